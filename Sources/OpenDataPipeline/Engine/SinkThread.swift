import Foundation

/// One ``RowSink`` fed on a thread of its own through a bounded queue of batches, so
/// that reading and decoding overlap with writing and the two cores both work.
///
/// The queue holds at most ``depth`` batches (shared with the other sinks' queues,
/// not copied), so memory stays flat: a slow writer makes the reader wait. The sink
/// is touched only by the thread between ``start()`` and ``join()``, and only by the
/// owner before and after; the lock hands it over (hence `@unchecked Sendable`).
final class SinkThread: @unchecked Sendable {
    /// Batches waiting for the sink.
    static let depth = 4

    private let sink: any RowSink
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [(index: Int, batch: Batch)] = []
    private var closed = false
    private var done = false
    private var failure: (index: Int, error: PipelineFailure)?

    init(_ sink: any RowSink) {
        self.sink = sink
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
                try sink.write(next.batch)
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

/// A dataset's sinks, each on its own ``SinkThread``: batches go to all of them in
/// order; the first failure (by batch, then by sink, as a serial run would have met
/// it) is thrown by ``send(_:)`` or ``finish()``.
final class ParallelSinks {
    private let threads: [SinkThread]
    private var sent = 0
    private var joined = false

    init(_ sinks: [any RowSink]) {
        threads = sinks.map(SinkThread.init)
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
