/// Orders rows by fields, each ascending or (`-field`) descending (text by
/// Unicode code points, not a language's collation), nulls
/// first; rows that compare equal keep their order. Holds every row until
/// the source ends (memory grows with the table).
public struct SortRows: Transform {
    public let keys: [(index: Int, descending: Bool)]
    public let outputSchema: TableSchema
    public var name: String { "sort" }

    /// - Parameter by: field names, `-name` for descending order.
    public init(by names: [String], input: TableSchema) throws(TransformError) {
        keys = try names.map { name throws(TransformError) in
            let descending = name.hasPrefix("-")
            return (try input.require(descending ? String(name.dropFirst()) : name, for: "sort"), descending)
        }
        guard !keys.isEmpty else { throw TransformError(message: "sort: expected at least one field") }
        outputSchema = input
    }

    public func makeProcessor(context: StepContext) -> any BatchProcessor { Processor(step: self) }

    final class Processor: BatchProcessor {
        let step: SortRows
        var rows: [(cells: [Value], line: Int?)] = []
        init(step: SortRows) { self.step = step }

        func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
            for row in 0..<batch.rowCount { rows.append((Array(batch.row(row)), batch.lines[row])) }
            return nil
        }

        func finish() throws(PipelineFailure) -> Batch? {
            let keys = step.keys
            let ordered = rows.enumerated().sorted { lhs, rhs in
                for key in keys {
                    let order = Value.compare(lhs.element.cells[key.index], rhs.element.cells[key.index]) ?? 0
                    if order != 0 { return key.descending ? order > 0 : order < 0 }
                }
                return lhs.offset < rhs.offset
            }
            var output = Batch(width: step.outputSchema.count, capacity: rows.count)
            for (_, row) in ordered { output.append(row: row.cells, line: row.line) }
            rows = []
            return output
        }
    }
}
