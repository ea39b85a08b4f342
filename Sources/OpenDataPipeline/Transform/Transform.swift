/// One transform step of a dataset: it declares the schema it produces when the
/// pipeline is loaded, and makes a fresh processor for each run.
public protocol Transform: Sendable {
    /// A short name for logs and errors, e.g. `derive share_percent`.
    var name: String { get }
    /// The schema of the rows this step passes on.
    var outputSchema: TableSchema { get }
    /// A processor holding this run's state.
    func makeProcessor(context: StepContext) -> any BatchProcessor
}

/// What a step needs to know to report errors about the rows it sees.
public struct StepContext: Sendable {
    /// The source the rows came from, as shown to the user.
    public var sourceFile: String
    /// Where a run collects issues; nil to stop at the first (as in a unit test of one step).
    public var collector: ValidationCollector?
    /// The tables of the pipeline's earlier datasets, for lookups, foreign keys and data tests.
    public var tables: PipelineTables?

    public init(sourceFile: String, collector: ValidationCollector? = nil, tables: PipelineTables? = nil) {
        self.sourceFile = sourceFile
        self.collector = collector
        self.tables = tables
    }

    func location(line: Int?, field: String) -> SourceLocation {
        SourceLocation(file: sourceFile, line: line, field: field)
    }

    /// Records `issue` when collecting (the caller then drops the row), or throws `failure`.
    func report(_ issue: ValidationIssue, otherwise failure: PipelineFailure) throws(PipelineFailure) {
        guard let collector else { throw failure }
        collector.add(issue)
    }
}

/// Processes batches for one run. A streaming step returns a batch for every
/// batch; a step that must hold rows (aggregation) returns nil until `finish`.
public protocol BatchProcessor: AnyObject {
    func process(_ batch: Batch) throws(PipelineFailure) -> Batch?
    func finish() throws(PipelineFailure) -> Batch?
}
