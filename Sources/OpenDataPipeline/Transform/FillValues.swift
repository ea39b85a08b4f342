/// Fills empty cells where a source leaves merged cells blank: with the value
/// of the same field in the last row that had one (`fillDown: [province]`), or
/// with a constant (`fill: {field: status, value: final}`). Streams; holds one
/// value per filled field.
public struct FillValues: RowStep {
    public enum Source: Sendable {
        case previousRow
        case constant(Value)
    }

    public let fields: [(index: Int, source: Source)]
    public let outputSchema: TableSchema
    public var name: String { "fill" }

    public init(_ fields: [(name: String, source: Source)], input: TableSchema) throws(TransformError) {
        var resolved: [(Int, Source)] = []
        for (name, source) in fields {
            resolved.append((try input.require(name, for: "fill"), source))
        }
        self.fields = resolved
        outputSchema = input
    }

    public var initialState: [Value] { fields.map { _ in .null } }

    public func map(_ row: ArraySlice<Value>, line: Int?, state: inout [Value], context: StepContext) -> [Value]? {
        var cells = Array(row)
        for (position, field) in fields.enumerated() {
            if cells[field.index].isNull {
                switch field.source {
                case .previousRow: cells[field.index] = state[position]
                case let .constant(value): cells[field.index] = value
                }
            }
            state[position] = cells[field.index]
        }
        return cells
    }
}
