/// Turns a long table into a wide one: one output column per value of a key
/// field, e.g. one column per year:
///
///     pivot: {key: year, value: users, columns: {y2016: 2016, y2017: 2017}}
///
/// The other fields identify an output row. A key value not listed is a
/// `step-error` (a column cannot appear from the data). Holds one row per
/// group until the source ends; groups come out in ascending order.
public struct Pivot: Transform {
    public let key: Int
    public let value: Int
    public let groupBy: [Int]
    public let columns: [(name: String, key: Value)]
    public let outputSchema: TableSchema
    /// The key field's name, for errors.
    let keyName: String
    public var name: String { "pivot" }

    public init(key keyName: String, value valueName: String, columns: [(String, String)], input: TableSchema) throws(TransformError) {
        let key = try input.require(keyName, for: "pivot")
        let value = try input.require(valueName, for: "pivot")
        self.key = key
        self.keyName = keyName
        self.value = value
        let groupBy = input.fields.indices.filter { $0 != key && $0 != value }
        self.groupBy = groupBy
        let decoder = ValueDecoder(field: Field(name: keyName, type: input.fields[key].type), numberFormat: .plain)
        var resolved: [(String, Value)] = []
        var fields = groupBy.map { input.fields[$0] }
        for (name, text) in columns {
            do {
                resolved.append((name, try decoder.decode(text)))
            } catch {
                throw TransformError(message: "pivot: the key '\(text)' of the column '\(name)' is not \(error.expected)")
            }
            guard !fields.contains(where: { $0.name == name }) else {
                throw TransformError(message: "pivot: a field named '\(name)' already exists", code: .duplicateName)
            }
            var field = input.fields[value]
            field.name = name
            field.constraints.required = false
            fields.append(field)
        }
        guard !resolved.isEmpty else { throw TransformError(message: "pivot: expected at least one column") }
        self.columns = resolved
        outputSchema = TableSchema(fields: fields)
    }

    public func makeProcessor(context: StepContext) -> any BatchProcessor { Processor(step: self, context: context) }

    final class Processor: BatchProcessor {
        let step: Pivot
        let context: StepContext
        var groups: [[Value]: (values: [Value], line: Int?)] = [:]

        init(step: Pivot, context: StepContext) {
            self.step = step
            self.context = context
        }

        func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
            for row in 0..<batch.rowCount {
                let cells = batch.row(row)
                let group = step.groupBy.map { cells[cells.startIndex + $0] }
                let key = cells[cells.startIndex + step.key]
                let line = batch.lines[row]
                guard let column = step.columns.firstIndex(where: { Value.compare($0.key, key) == 0 }) else {
                    let location = context.location(line: line, field: step.keyName)
                    let expected = "one of \(step.columns.compactMap { $0.key.text }.joined(separator: ", "))"
                    try context.report(
                        ValidationIssue(
                            .stepError, location: location, cell: key.text, message: "the pivot key: expected \(expected)", rule: step.name),
                        otherwise: .badValue(location, value: key.text ?? "", expected: expected))
                    continue
                }
                var entry = groups[group] ?? (step.columns.map { _ in Value.null }, line)
                entry.values[column] = cells[cells.startIndex + step.value]
                groups[group] = entry
            }
            return nil
        }

        func finish() throws(PipelineFailure) -> Batch? {
            let keys = groups.keys.sorted { lhs, rhs in
                for (a, b) in zip(lhs, rhs) {
                    let order = Value.compare(a, b) ?? 0
                    if order != 0 { return order < 0 }
                }
                return false
            }
            var output = Batch(width: step.outputSchema.count, capacity: keys.count)
            for key in keys {
                guard let entry = groups[key] else { continue }
                output.append(row: key + entry.values, line: entry.line)
            }
            groups = [:]
            return output
        }
    }
}
