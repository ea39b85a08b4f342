/// What a run, a dry run or a validation did, for the closing summary.
public struct RunReport: Sendable {
    public struct DatasetReport: Sendable {
        public var pipeline: String
        public var dataset: String
        public var rows: Int
        public var files: [PublishedFile]
        public var change: DatasetChange = .new
        public var revision: DatasetRevision?
    }

    /// The release that was published (or would be, in a dry run); nil when
    /// nothing changed or for a validation.
    public var releaseID: String?
    public var releasePath: String?
    /// An embargoed run's held release (``RunOptions/embargo``), and the held releases it replaced.
    public var held: HeldRelease?
    public var replacedHeld: [String] = []
    public var datasets: [DatasetReport] = []
    /// Pipelines carried forward from the current release without being run.
    public var carriedForward: [String] = []
    /// Pipelines whose inputs were unchanged, so their work was skipped.
    public var skipped: [String] = []
    /// Feed entries the release adds.
    public var feedEntries: [FeedEntry] = []
    /// Files that are new or differ from the current release (paths under the release).
    public var changedFiles: [String] = []
    /// What failed after `current` switched to the new release (which stays published).
    public var housekeepingWarnings: [String] = []
    /// The files an unchanged run had to hash (not found unchanged in the digest cache).
    var hashedFiles: [String] = []
    public var seconds: Double = 0

    /// What validation found (warnings only, when the run succeeded).
    public var validation: ValidationReport?

    /// True when the run found nothing to publish.
    public var unchanged: Bool { releaseID == nil }
}

/// What a run is doing, for a progress display: the dataset and the rows read so far.
public struct RunProgress: Sendable {
    public var pipeline: String
    public var dataset: String
    public var rowsRead: Int
}
