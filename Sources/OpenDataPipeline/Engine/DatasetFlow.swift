/// The one place where a dataset's stages are composed, in order:
///
///     extractor → transform 1 → … → transform n → writers (CSV, JSON, feed summary)
///
/// Batches are pushed through the chain as the extractor reads them; a step
/// that must hold rows (aggregation) passes nothing on until the source is
/// exhausted, then hands its result down the rest of the chain.
struct DatasetFlow {
    let dataset: Dataset

    /// Runs the flow and returns the number of rows that reached the writers.
    @discardableResult
    func run(into writers: [any DatasetWriter], progress: ((Int) -> Void)? = nil) throws(PipelineFailure) -> Int {
        let context = StepContext(sourceFile: dataset.extractor.displayPath)
        let processors = dataset.transforms.map { $0.makeProcessor(context: context) }
        var rows = 0

        func push(_ batch: Batch, from stage: Int) throws(PipelineFailure) {
            var batch = batch
            for index in stage..<processors.count {
                guard let output = try processors[index].process(batch) else { return }
                batch = output
            }
            rows += batch.rowCount
            for writer in writers { try writer.write(batch) }
        }

        var read = 0
        try dataset.extractor.extract { batch throws(PipelineFailure) in
            read += batch.rowCount
            progress?(read)
            try push(batch, from: 0)
        }
        for index in processors.indices {
            if let remaining = try processors[index].finish() {
                try push(remaining, from: index + 1)
            }
        }
        return rows
    }
}
