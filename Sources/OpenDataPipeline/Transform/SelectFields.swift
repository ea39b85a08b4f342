/// Keeps some fields, in the order given, optionally renaming them:
/// `select: [year, area, value]` or `select: [year, {area_name: area}]`.
/// Also the `rename` step (every field kept, some renamed). Streams.
public struct SelectFields: RowStep {
    public let columns: [Int]
    public let outputSchema: TableSchema
    public var name: String { "select" }

    /// - Parameter fields: pairs of (field in the input, name in the output).
    public init(_ fields: [(from: String, to: String)], input: TableSchema) throws(TransformError) {
        var columns: [Int] = []
        var output: [Field] = []
        for (from, to) in fields {
            let index = try input.require(from, for: "select")
            guard !output.contains(where: { $0.name == to }) else {
                throw TransformError(message: "select: the field '\(to)' appears twice", code: .duplicateName)
            }
            var field = input.fields[index]
            field.name = to
            columns.append(index)
            output.append(field)
        }
        guard !columns.isEmpty else { throw TransformError(message: "select: expected at least one field") }
        self.columns = columns
        outputSchema = TableSchema(fields: output)
    }

    /// Every field, those named in `renames` under their new name.
    public static func renaming(_ renames: [String: String], input: TableSchema) throws(TransformError) -> SelectFields {
        for old in renames.keys { _ = try input.require(old, for: "rename") }
        return try SelectFields(input.fields.map { ($0.name, renames[$0.name] ?? $0.name) }, input: input)
    }

    public func map(_ row: ArraySlice<Value>, line: Int?, state: inout Void, context: StepContext) -> [Value]? {
        columns.map { row[row.startIndex + $0] }
    }
}
