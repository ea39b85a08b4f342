import Foundation

/// Some of a dataset's ``RowSink``s fed on a thread of their own through a bounded queue of
/// batches, so that reading and decoding overlap with writing and the cores all work. The
/// thread writes each batch to its sinks in their order.
///
/// The queue holds at most ``depth`` batches (shared with the other sinks' queues,
/// not copied), so memory stays flat: a slow writer makes the reader wait. The sinks
/// are touched only by the thread between ``start()`` and ``join()``, and only by the
/// owner before and after; the lock hands them over (hence `@unchecked Sendable`).
final class SinkThread: @unchecked Sendable {
    /// Batches waiting for the sinks.
    static let depth = 4

    private let sinks: [any RowSink]
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [(index: Int, batch: Batch)] = []
    private var closed = false
    private var done = false
    private var failure: (index: Int, error: PipelineFailure)?

    init(_ sinks: [any RowSink]) {
        self.sinks = sinks
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "opendata-sink"
        thread.start()
    }

    /// Queues batch number `index`; waits while the queue is full. False once the sink has failed.
    @discardableResult
    func send(_ batch: Batch, index: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.depth, failure == nil { condition.wait() }
        guard failure == nil else { return false }
        queue.append((index, batch))
        condition.broadcast()
        return true
    }

    /// Lets the sink write what is queued, waits for its thread to end, and returns
    /// its failure with the number of the batch it failed on.
    func join() -> (index: Int, error: PipelineFailure)? {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        return failure
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty, !closed { condition.wait() }
            guard !queue.isEmpty else {
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let next = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                for sink in sinks { try sink.write(next.batch) }
            } catch {
                condition.lock()
                failure = (next.index, error)
                queue.removeAll()
                condition.broadcast()
                // Nothing more is written; the thread waits to be joined.
                while !closed { condition.wait() }
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }
}

/// A dataset's sinks on ``SinkThread``s: batches go to all of them in order; the first
/// failure (by batch, then by sink, as a serial run would have met it) is thrown by
/// ``send(_:)`` or ``finish()``.
///
/// One thread fewer than the cores (at least one), each with a run of consecutive sinks: the
/// reader keeps a core to itself. On two cores, one thread for the CSV and JSON writers
/// together was faster than one each (measured, 1 GB: the three threads took turns on two
/// cores, and the reader, which sets the pace, ran only 70% of the time).
final class ParallelSinks {
    private let threads: [SinkThread]
    private var sent = 0
    private var joined = false

    /// The sink threads for `sinks` on this machine.
    static func threadCount(for sinks: Int) -> Int {
        max(1, min(sinks, ProcessInfo.processInfo.activeProcessorCount - 1))
    }

    init(_ sinks: [any RowSink], threads count: Int? = nil) {
        let count = min(max(1, count ?? Self.threadCount(for: sinks.count)), max(1, sinks.count))
        // Consecutive runs, the first ones a sink longer when they do not divide evenly.
        var groups: [[any RowSink]] = []
        var start = 0
        for group in 0..<count {
            let size = sinks.count / count + (group < sinks.count % count ? 1 : 0)
            groups.append(Array(sinks[start..<start + size]))
            start += size
        }
        threads = groups.map(SinkThread.init)
        for thread in threads { thread.start() }
    }

    deinit {
        if !joined { for thread in threads { _ = thread.join() } }
    }

    func send(_ batch: Batch) throws(PipelineFailure) {
        var failed = false
        for thread in threads where !thread.send(batch, index: sent) { failed = true }
        sent += 1
        if failed { try finish() }
    }

    /// Waits for every sink to write what it was sent; throws the earliest failure.
    func finish() throws(PipelineFailure) {
        joined = true
        var first: (index: Int, error: PipelineFailure)?
        for thread in threads {
            if let failure = thread.join(), failure.index < (first?.index ?? .max) { first = failure }
        }
        if let first { throw first.error }
    }
}
