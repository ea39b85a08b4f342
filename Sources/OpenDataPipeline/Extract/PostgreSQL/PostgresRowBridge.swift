import Foundation
import PostgresNIO

/// Rows handed from the driver's task to the engine's (synchronous) thread,
/// at most ``capacity`` chunks at a time: a full bridge suspends the task (it
/// does not block a thread), so the driver stops reading and the server waits.
final class PostgresRowBridge: @unchecked Sendable {
    static let chunkSize = 512
    static let capacity = 8

    enum Item {
        case rows([PostgresRow])
        case end
        case failed(any Error)
    }

    private let condition = NSCondition()
    private var chunks: [[PostgresRow]] = []
    private var outcome: Item?
    private var cancelled = false
    private var producerEnded = false
    private var waitingProducer: CheckedContinuation<Void, Never>?

    /// Called by the task; false once the engine has stopped reading.
    func put(_ chunk: [PostgresRow]) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !park(continuation) { continuation.resume() }
        }
        return append(chunk)
    }

    private func append(_ chunk: [PostgresRow]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !cancelled else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    /// Keeps the continuation to resume when there is room; false when there is room now.
    private func park(_ continuation: CheckedContinuation<Void, Never>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard chunks.count >= Self.capacity, !cancelled else { return false }
        waitingProducer = continuation
        return true
    }

    func finish() { end(.end) }
    func fail(_ error: any Error) { end(.failed(error)) }

    private func end(_ item: Item) {
        condition.lock()
        if outcome == nil { outcome = item }
        producerEnded = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the engine's thread: the next chunk, or how the result ended.
    func take() -> Item {
        condition.lock()
        while chunks.isEmpty && outcome == nil { condition.wait() }
        var resume: CheckedContinuation<Void, Never>?
        let item: Item
        if !chunks.isEmpty {
            item = .rows(chunks.removeFirst())
            resume = waitingProducer
            waitingProducer = nil
        } else {
            item = outcome!
        }
        condition.unlock()
        resume?.resume()
        return item
    }

    /// The engine stops reading (done or failed): a waiting task resumes and ends.
    func cancel() {
        condition.lock()
        cancelled = true
        chunks.removeAll()
        let resume = waitingProducer
        waitingProducer = nil
        condition.unlock()
        resume?.resume()
    }

    func waitUntilProducerEnds() {
        condition.lock()
        while !producerEnded { condition.wait() }
        condition.unlock()
    }
}

/// A task executor on one thread of its own, so the driver's task never needs a
/// thread of the shared pool (which the engine's blocked thread may be one of).
final class PostgresThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs jobs until ``stop()`` and none are left.
    func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }
}
