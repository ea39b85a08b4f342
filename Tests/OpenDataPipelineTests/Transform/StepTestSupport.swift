@testable import OpenDataPipeline

/// A batch of `rows`, the first on line 2 (after a header).
func makeBatch(_ rows: [[Value]]) -> Batch {
    var batch = Batch(width: rows.first?.count ?? 0)
    for (index, row) in rows.enumerated() { batch.append(row: row, line: index + 2) }
    return batch
}

/// Runs one step's processor over batches and returns all rows it passes on.
func runStep(_ step: any Transform, _ batches: [Batch], context: StepContext = StepContext(sourceFile: "in.csv")) throws
    -> [[Value]]
{
    let processor = step.makeProcessor(context: context)
    var rows: [[Value]] = []
    func collect(_ batch: Batch?) {
        guard let batch else { return }
        for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
    }
    for batch in batches { collect(try processor.process(batch)) }
    collect(try processor.finish())
    return rows
}

func decimal(_ text: String) -> Value { .number(NumberParser.parse(text, format: .plain)!) }
