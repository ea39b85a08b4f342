/// Keeps the first row of each key and drops later rows with the same key
/// (`deduplicate: [code, year]`). Streams; holds the set of keys seen.
public struct Deduplicate: RowStep {
    public let keys: [Int]
    public let outputSchema: TableSchema
    public var name: String { "deduplicate" }

    public init(by names: [String], input: TableSchema) throws(TransformError) {
        keys = try names.map { name throws(TransformError) in try input.require(name, for: "deduplicate") }
        guard !keys.isEmpty else { throw TransformError(message: "deduplicate: expected at least one field") }
        outputSchema = input
    }

    public var initialState: Set<[Value]> { [] }

    public func map(_ row: ArraySlice<Value>, line: Int?, state: inout Set<[Value]>, context: StepContext) -> [Value]? {
        state.insert(keys.map { row[row.startIndex + $0].keyForm }).inserted ? Array(row) : nil
    }
}
