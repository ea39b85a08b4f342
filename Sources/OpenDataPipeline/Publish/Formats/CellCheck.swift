/// Refuses the published rows a format's file cannot hold, before anything is written: each
/// refused cell is a `type-error` (its `rule` the format's id) naming the file, the dataset,
/// the row and the field, found by `validate` as by `run`.
struct CellCheck: Transform {
    /// What the cell at `column` of `cells`, the `row`th published row, should be, and what to do; nil when it can be written.
    typealias Problem = @Sendable (_ cells: ArraySlice<Value>, _ column: Int, _ row: Int) -> (expected: String, advice: String)?

    let dataset: String
    let outputSchema: TableSchema
    let file: OutputFile
    let rule: String
    let problem: Problem
    var name: String { rule }

    func makeProcessor(context: StepContext) -> any BatchProcessor { Processor(check: self, context: context) }

    final class Processor: BatchProcessor {
        let check: CellCheck
        let context: StepContext
        private var published = 0

        init(check: CellCheck, context: StepContext) {
            self.check = check
            self.context = context
        }

        func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
            var refused: Set<Int> = []
            for row in 0..<batch.rowCount {
                published += 1
                let cells = batch.row(row)
                for column in 0..<batch.width {
                    guard let problem = check.problem(cells, column, published) else { continue }
                    refused.insert(row)
                    let location = context.location(line: batch.lines[row], field: check.outputSchema.fields[column].name)
                    let text = cells[cells.startIndex + column].text ?? ""
                    let message =
                        "\(problem.expected) in \(check.file.path(for: check.dataset)) "
                        + "(dataset '\(check.dataset)', row \(published)); \(problem.advice)"
                    try context.report(
                        ValidationIssue(.typeError, location: location, cell: text, message: message, rule: check.rule),
                        otherwise: .badValue(location, value: text, expected: message))
                }
            }
            guard !refused.isEmpty else { return batch }
            var kept = Batch(width: batch.width, capacity: batch.rowCount - refused.count)
            for row in 0..<batch.rowCount where !refused.contains(row) {
                kept.append(row: batch.row(row), line: batch.lines[row])
            }
            return kept
        }

        func finish() throws(PipelineFailure) -> Batch? { nil }
    }
}
