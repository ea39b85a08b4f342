import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGTERM, SIGINT and SIGHUP during a run. The handler only records the
/// signal; the run stops at its next safe point (after each batch of rows,
/// each dataset, each pipeline, and before the rename and the switch of a
/// publication), removes its staging folder, releases the lock and fails with
/// ``PipelineFailure/interrupted(signal:)`` (exit status 128 + the signal's
/// number). Once `current` has switched, the run finishes its housekeeping.
public enum Interruption {
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers (for `opendata run`).
    public static func install() {
        _ = received.load(ordering: .relaxed)
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number) { Interruption.received.store($0, ordering: .relaxed) }
        }
    }

    /// The signal received, or 0.
    static var pending: Int32 { received.load(ordering: .relaxed) }

    /// A safe point: throws when a signal was received.
    static func check() throws(PipelineFailure) {
        let number = pending
        if number != 0 { throw PipelineFailure.interrupted(signal: number) }
    }
}
