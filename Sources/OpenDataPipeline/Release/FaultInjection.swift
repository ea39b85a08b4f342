import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Test hooks for the fault tests: with `OPENDATA_FAULT_KILL_AT=<checkpoint>`
/// (or `<checkpoint>#<n>` for its n-th passage, e.g. `file#7`, the 7th file
/// opened) the process kills itself with SIGKILL there; with
/// `OPENDATA_FAULT_PAUSE_AT=<checkpoint>:<seconds>` it sleeps there (to hold
/// the lock while another run starts); with `OPENDATA_FAULT_FAIL_AT=<checkpoint>`
/// a failable checkpoint fails as an I/O error would (exit status 73 before
/// the switch, a housekeeping warning after it). Unset in production, where
/// a checkpoint costs one environment lookup.
///
/// Checkpoints: `staging-created`, `file` (each file opened for writing),
/// `pipelines-written`, `release-written`, `before-rename`, `before-switch`,
/// `after-switch` (failable), `prune` (failable, before an old release is
/// moved to the trash), `prune-renamed` (after it), `trash-file` (each file
/// deleted from the trash), `link` (each file carried forward, before it is
/// linked; made to fail, the link is refused as across devices and the file
/// is copied); for held releases, `held-renamed` (a held release
/// complete, before its `hold.json`), and in `release-due` `held-before-rename`
/// and `held-before-switch` (failable) and `held-after-switch`.
enum FaultInjection {
    private static let passages = Mutex<[String: Int]>([:])

    static func checkpoint(_ name: String) {
        if let target = getenv("OPENDATA_FAULT_KILL_AT").map({ String(cString: $0) }) {
            let parts = target.split(separator: "#")
            if parts.first.map(String.init) == name {
                let passage = passages.withLock { counts in
                    counts[name, default: 0] += 1
                    return counts[name, default: 0]
                }
                if parts.count == 1 || Int(parts[1]) == passage { kill(getpid(), SIGKILL) }
            }
        }
        if let pause = getenv("OPENDATA_FAULT_PAUSE_AT").map({ String(cString: $0) }) {
            let parts = pause.split(separator: ":")
            if parts.count == 2, parts[0] == name, let seconds = UInt32(parts[1]) { sleep(seconds) }
        }
    }

    /// A checkpoint that can also be made to fail.
    static func failable(_ name: String) throws(PipelineFailure) {
        checkpoint(name)
        if shouldFail(name) {
            throw PipelineFailure.cannotPublish(path: name, reason: "injected failure (OPENDATA_FAULT_FAIL_AT=\(name))")
        }
    }

    /// Whether `OPENDATA_FAULT_FAIL_AT` names `name`.
    static func shouldFail(_ name: String) -> Bool {
        getenv("OPENDATA_FAULT_FAIL_AT").map { String(cString: $0) } == name
    }
}
