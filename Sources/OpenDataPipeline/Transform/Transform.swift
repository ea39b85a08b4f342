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

    public init(sourceFile: String) {
        self.sourceFile = sourceFile
    }

    func location(line: Int?, field: String) -> SourceLocation {
        SourceLocation(file: sourceFile, line: line, field: field)
    }
}

/// Processes batches for one run. A streaming step returns a batch for every
/// batch; a step that must hold rows (aggregation) returns nil until `finish`.
public protocol BatchProcessor: AnyObject {
    func process(_ batch: Batch) throws(PipelineFailure) -> Batch?
    func finish() throws(PipelineFailure) -> Batch?
}
