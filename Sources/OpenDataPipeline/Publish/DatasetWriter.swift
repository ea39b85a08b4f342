/// Receives a dataset's final rows, batch by batch, and writes one published
/// file. Writers stream: they never hold more than their output buffer.
protocol DatasetWriter: AnyObject {
    func write(_ batch: Batch) throws(PipelineFailure)
    /// Completes and closes the file; returns what was written.
    func finish() throws(PipelineFailure) -> PublishedFile
}

/// A file written into a release.
public struct PublishedFile: Sendable, Hashable {
    /// The path under the pipeline's folder, e.g. `data/internet-users.csv`.
    public var path: String
    public var format: PublishFormat
    public var bytes: Int
    public var mediaType: String
}
