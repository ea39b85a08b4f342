/// What a run or a validation did, for the closing summary.
public struct RunReport: Sendable {
    public struct DatasetReport: Sendable {
        public var pipeline: String
        public var dataset: String
        public var rows: Int
        public var files: [PublishedFile]
    }

    /// The release that was published; nil for a validation.
    public var releaseID: String?
    public var releasePath: String?
    public var datasets: [DatasetReport] = []
    public var carriedForward: [String] = []
    /// What validation found (warnings only, when the run succeeded).
    public var validation: ValidationReport?
}
