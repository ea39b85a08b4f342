/// Warns about a string field whose every value is a number in the source's
/// declared number format (`96.484,0` under `vi`): it was probably meant to be
/// `number` or `integer`, and as text it sorts, charts and sums wrongly.
/// Values with a leading zero (`01`, `079`) are codes and keep a field quiet.
struct NumbersAsTextCheck: Transform {
    struct Watched: Sendable {
        var index: Int
        var name: String
        var from: String
        var format: NumberFormat
    }

    let watched: [Watched]
    let outputSchema: TableSchema
    var name: String { "numbers kept as text" }

    init(fields: [SourceField], schema: TableSchema) {
        outputSchema = schema
        watched = fields.enumerated().compactMap { index, field in
            guard field.field.type == .string, field.field.role == nil, field.field.format == nil,
                field.field.constraints.allowed == nil
            else { return nil }
            return Watched(index: index, name: field.field.name, from: field.from ?? field.field.name, format: field.numberFormat)
        }
    }

    func makeProcessor(context: StepContext) -> any BatchProcessor { Processor(check: self, context: context) }

    final class Processor: BatchProcessor {
        let check: NumbersAsTextCheck
        let context: StepContext
        /// Per watched field: still only numbers, how many, the first value.
        private var candidate: [Bool]
        private var counts: [Int]
        private var examples: [String?]

        init(check: NumbersAsTextCheck, context: StepContext) {
            self.check = check
            self.context = context
            candidate = Array(repeating: true, count: check.watched.count)
            counts = Array(repeating: 0, count: check.watched.count)
            examples = Array(repeating: nil, count: check.watched.count)
        }

        func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
            for (slot, field) in check.watched.enumerated() where candidate[slot] {
                for row in 0..<batch.rowCount {
                    guard case let .string(text) = batch[row, field.index] else { continue }
                    let scalars = Array(text.unicodeScalars.prefix(2))
                    let isCode = scalars.count == 2 && scalars[0] == "0" && ("0"..."9").contains(scalars[1])
                    guard !isCode, NumberParser.parse(text, format: field.format) != nil else {
                        candidate[slot] = false
                        break
                    }
                    counts[slot] += 1
                    if examples[slot] == nil { examples[slot] = text }
                }
            }
            return batch
        }

        func finish() throws(PipelineFailure) -> Batch? {
            for (slot, field) in check.watched.enumerated() where candidate[slot] && counts[slot] > 0 {
                context.collector?.add(
                    ValidationIssue(
                        .typeError, severity: .warning, location: SourceLocation(file: context.sourceFile, field: field.from),
                        message: "every value of the string field '\(field.name)' (\(counts[slot]), e.g. '\(examples[slot] ?? "")') "
                            + "is a number in the '\(field.format.rawValue)' number format: declare it 'type: number' "
                            + "(or 'integer') to publish numbers; keep 'string' only for codes",
                        rule: "type"))
            }
            return nil
        }
    }
}
