/// How a publication run behaves.
public struct RunOptions: Sendable {
    /// Compute everything and report what would change, but publish nothing.
    public var dryRun = false
    /// How long to wait for another run's lock before giving up (0: fail at once).
    public var waitSeconds: Double = 0
    /// After publishing, keep at most this many releases (never removing the current one).
    public var keep: Int?
    /// Publish even when the release time is earlier than the current release's.
    public var allowEarlierTime = false
    /// A note on the release (`--note`), stored in release.json and changes.json and shown on pages and feeds.
    public var note: String?
    /// The release corrects an error (`--correction`): its feed items are titled "Correction".
    public var correction = false

    /// Hold the release until its release time (the runner's clock) instead of
    /// publishing it: `opendata run --release-at TIME`, published by `release-due`.
    public var embargo = false
    /// With ``embargo``: replace the held release of the same pipelines instead of refusing.
    public var replaceHeld = false

    public init(dryRun: Bool = false, waitSeconds: Double = 0, keep: Int? = nil, allowEarlierTime: Bool = false) {
        self.dryRun = dryRun
        self.waitSeconds = waitSeconds
        self.keep = keep
        self.allowEarlierTime = allowEarlierTime
    }
}
