/// Turns a wide table with one column per year into a long one with a key
/// field and a value field:
///
///     unpivot: {fields: [y2016, y2017, y2018], key: {name: year, type: year}, value: {name: users}, stripPrefix: y}
///
/// Each input row gives one row per listed field (other fields repeated, then
/// the key, then the value); the key is the field's name without `stripPrefix`,
/// read as the key's type. Streams.
public struct Unpivot: Transform {
    public let columns: [Int]
    public let keys: [Value]
    public let kept: [Int]
    public let outputSchema: TableSchema
    public var name: String { "unpivot" }

    public init(fields names: [String], key: Field, value: Field, stripPrefix: String, input: TableSchema) throws(TransformError) {
        guard !names.isEmpty else { throw TransformError(message: "unpivot: expected at least one field") }
        let columns = try names.map { name throws(TransformError) in try input.require(name, for: "unpivot") }
        self.columns = columns
        let valueType = input.fields[columns[0]].type
        for index in columns where input.fields[index].type != valueType && !(valueType.isNumeric && input.fields[index].type.isNumeric) {
            throw TransformError(
                message:
                    "unpivot: '\(input.fields[index].name)' is \(input.fields[index].type.rawValue) but '\(input.fields[columns[0]].name)' is \(valueType.rawValue)"
            )
        }
        let decoder = ValueDecoder(field: Field(name: key.name, type: key.type), numberFormat: .plain)
        var keys: [Value] = []
        for name in names {
            let text = name.hasPrefix(stripPrefix) ? String(name.dropFirst(stripPrefix.count)) : name
            do {
                keys.append(try decoder.decode(text))
            } catch {
                throw TransformError(message: "unpivot: the key '\(text)' of '\(name)' is not \(error.expected)")
            }
        }
        self.keys = keys
        let kept = input.fields.indices.filter { !columns.contains($0) }
        self.kept = kept
        var value = value
        value.type = columns.contains(where: { input.fields[$0].type == .number }) ? .number : valueType
        let fields = kept.map { input.fields[$0] } + [key, value]
        guard Set(fields.map(\.name)).count == fields.count else {
            throw TransformError(message: "unpivot: the key or value name is already a field", code: .duplicateName)
        }
        outputSchema = TableSchema(fields: fields)
    }

    public func makeProcessor(context: StepContext) -> any BatchProcessor { Processor(step: self) }

    final class Processor: BatchProcessor {
        let step: Unpivot
        init(step: Unpivot) { self.step = step }

        func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
            var output = Batch(width: step.outputSchema.count, capacity: batch.rowCount * step.columns.count)
            let numeric = step.outputSchema.fields.last?.type == .number
            for row in 0..<batch.rowCount {
                let cells = batch.row(row)
                let kept = step.kept.map { cells[cells.startIndex + $0] }
                for (position, column) in step.columns.enumerated() {
                    var value = cells[cells.startIndex + column]
                    if numeric, case let .integer(integer) = value { value = .number(DecimalNumber(integer)) }
                    output.append(row: kept + [step.keys[position], value], line: batch.lines[row])
                }
            }
            return output
        }

        func finish() throws(PipelineFailure) -> Batch? { nil }
    }
}
