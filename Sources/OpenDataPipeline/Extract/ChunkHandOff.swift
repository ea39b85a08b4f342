import Foundation

/// A bounded queue between a parsing thread and the thread that decodes what it parsed: at
/// most ``depth`` chunks wait, so a slow decoder makes the parser wait and memory stays flat.
/// Either side may stop the other: the parser by ``close(failure:)`` (after its last chunk,
/// with the error it stopped on, if any), the decoder by ``cancel()`` (then ``put(_:)`` returns
/// false and the parser ends early).
final class ChunkHandOff<Chunk: Sendable>: @unchecked Sendable {
    static var depth: Int { 3 }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Chunk] = []
    private var closed = false
    private var cancelled = false
    private var failure: PipelineFailure?
    private var finished = false

    /// Queues a chunk; waits while the queue is full. False once the decoder has cancelled.
    func put(_ chunk: Chunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.depth, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(chunk)
        condition.broadcast()
        return true
    }

    /// The parser is done: no more chunks; `failure` is the error it stopped on.
    func close(failure: PipelineFailure?) {
        condition.lock()
        closed = true
        self.failure = failure
        condition.broadcast()
        condition.unlock()
    }

    /// The parser's thread has returned (after ``close(failure:)``).
    func markFinished() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, in order; at the end, nil and the parser's failure, if any.
    func take() -> (chunk: Chunk?, failure: PipelineFailure?) {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !closed { condition.wait() }
        guard !queue.isEmpty else { return (nil, failure) }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return (chunk, nil)
    }

    /// The decoder stops: the parser's next ``put(_:)`` returns false; waits for its thread to return.
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Waits for the parser's thread to return.
    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
