import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Test hooks for the fault tests: with `OPENDATA_FAULT_KILL_AT=<checkpoint>`
/// (or `<checkpoint>#<n>` for its n-th passage, e.g. `file#7`, the 7th file
/// opened) the process kills itself with SIGKILL there; with
/// `OPENDATA_FAULT_PAUSE_AT=<checkpoint>:<seconds>` it sleeps there (to hold
/// the lock while another run starts). Unset in production, where a
/// checkpoint costs one environment lookup.
///
/// Checkpoints: `staging-created`, `file` (each file opened for writing),
/// `pipelines-written`, `release-written`, `before-rename`, `before-switch`,
/// `after-switch`.
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
}
