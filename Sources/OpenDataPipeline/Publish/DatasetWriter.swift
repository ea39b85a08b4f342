/// Receives a dataset's final rows, batch by batch: the writers of its files,
/// and observers that only look (the content hash, the feed summary).
protocol RowSink: AnyObject {
    func write(_ batch: Batch) throws(PipelineFailure)
}

/// Writes one published file from a dataset's rows. Writers stream: they
/// never hold more than their output buffer (JSON-stat excepted).
protocol DatasetWriter: RowSink {
    /// Every row is written: a file that needs no metadata is completed here
    /// (the plain CSV, which is read back to describe a revision).
    func rowsEnded() throws(PipelineFailure)
    /// Completes and closes the file with the dataset's metadata; returns the bytes written.
    func finish(_ metadata: DatasetMetadata) throws(PipelineFailure) -> Int
}

extension DatasetWriter {
    func rowsEnded() throws(PipelineFailure) {}
}

/// A file written into a release.
public struct PublishedFile: Sendable {
    /// The path under the pipeline's folder, e.g. `data/internet-users.csv`.
    public var path: String
    public var format: PublishFormat
    public var bytes: Int
    /// What kind of file it is: the format's data file or one of its companions.
    var kind: OutputFile
}
