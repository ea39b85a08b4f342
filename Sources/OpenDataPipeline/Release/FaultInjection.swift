#if canImport(Glibc)
    import Glibc
#endif

/// Test hooks for the fault tests: with `OPENDATA_FAULT_KILL_AT=<checkpoint>`
/// the process kills itself with SIGKILL when it reaches that point of a
/// publication; with `OPENDATA_FAULT_PAUSE_AT=<checkpoint>:<seconds>` it
/// sleeps there (to hold the lock while another run starts). Unset in
/// production, where a checkpoint is one environment lookup.
enum FaultInjection {
    static func checkpoint(_ name: String) {
        if let target = getenv("OPENDATA_FAULT_KILL_AT").map({ String(cString: $0) }), target == name {
            kill(getpid(), SIGKILL)
        }
        if let pause = getenv("OPENDATA_FAULT_PAUSE_AT").map({ String(cString: $0) }) {
            let parts = pause.split(separator: ":")
            if parts.count == 2, parts[0] == name, let seconds = UInt32(parts[1]) { sleep(seconds) }
        }
    }
}
