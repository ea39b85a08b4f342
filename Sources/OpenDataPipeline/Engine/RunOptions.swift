/// How a publication run behaves.
public struct RunOptions: Sendable {
    /// Compute everything and report what would change, but publish nothing.
    public var dryRun = false
    /// How long to wait for another run's lock before giving up (0: fail at once).
    public var waitSeconds: Double = 0
    /// After publishing, keep at most this many releases (never removing the current one).
    public var keep: Int?

    public init(dryRun: Bool = false, waitSeconds: Double = 0, keep: Int? = nil) {
        self.dryRun = dryRun
        self.waitSeconds = waitSeconds
        self.keep = keep
    }
}
