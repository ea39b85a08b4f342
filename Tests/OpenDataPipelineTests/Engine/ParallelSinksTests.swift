import Foundation
@testable import OpenDataPipeline
import Synchronization
import Testing

/// Sinks write on threads of their own (``ParallelSinks``): each gets every batch in order,
/// the queue stays bounded, and the failure a serial run would have met first is the one thrown.
@Suite("Parallel sinks")
struct ParallelSinksTests {
    /// Records the line of each batch's first row; fails on batch `failing` (0-based) when given.
    final class RecordingSink: RowSink, @unchecked Sendable {
        let name: String
        let failing: Int?
        let written: Mutex<[Int64]> = Mutex([])

        init(_ name: String, failing: Int? = nil) {
            self.name = name
            self.failing = failing
        }

        func write(_ batch: Batch) throws(PipelineFailure) {
            let count = written.withLock { $0.count }
            if count == failing { throw PipelineFailure.cannotPublish(path: name, reason: "batch \(count)") }
            written.withLock { $0.append(Int64(batch.lines[0] ?? -1)) }
        }
    }

    static func batch(_ number: Int) -> Batch {
        var batch = Batch(width: 1)
        batch.append(row: [.integer(Int64(number))], line: number)
        return batch
    }

    /// Sink threads: as this machine gives (one fewer than its cores), one for all sinks, two (the first with two sinks), one each.
    static let threadCounts: [Int?] = [nil, 1, 2, 3]

    @Test(arguments: threadCounts)
    func everySinkGetsEveryBatchInOrderAndTheQueueStaysBounded(threads: Int?) throws {
        let sinks = [RecordingSink("a"), RecordingSink("b"), RecordingSink("c")]
        let parallel = ParallelSinks(sinks, threads: threads)
        var mostAhead = 0
        for number in 0..<500 {
            try parallel.send(Self.batch(number))
            for sink in sinks { mostAhead = max(mostAhead, number + 1 - sink.written.withLock { $0.count }) }
        }
        try parallel.finish()
        for sink in sinks { #expect(sink.written.withLock { $0 } == (0..<500).map(Int64.init)) }
        // Queued batches plus the one being written.
        #expect(mostAhead <= SinkThread.depth + 1)
    }

    @Test(arguments: threadCounts)
    func theEarliestFailureByBatchThenBySinkIsThrown(threads: Int?) {
        let sinks = [RecordingSink("a", failing: 7), RecordingSink("b", failing: 3), RecordingSink("c", failing: 3)]
        let parallel = ParallelSinks(sinks, threads: threads)
        var thrown: PipelineFailure?
        do {
            for number in 0..<100 { try parallel.send(Self.batch(number)) }
            try parallel.finish()
        } catch {
            thrown = error
        }
        #expect(thrown == .cannotPublish(path: "b", reason: "batch 3"))
        // Each sink stops at its failure; the reader is stopped soon after it.
        #expect(sinks[1].written.withLock { $0 } == [0, 1, 2])
        #expect(sinks[0].written.withLock { $0.count } <= 7)
    }

    @Test func aFlowThrowsTheSinkFailureBeforeALaterSourceError() throws {
        let directory = try TemporaryDirectory()
        var csv = "code,level\n"
        for index in 0..<(Batch.preferredRowCount * 3) { csv += "A\(index),\(index % 10)\n" }
        csv += "Z,x\n"  // a bad value after three full batches
        _ = try directory.write(csv, to: "in.csv")
        let path = try directory.write(
            """
            id: p
            title: {vi: Thử, en: Test}
            description: {vi: Thử, en: Test}
            publisher: {name: test}
            license: {name: CC0-1.0}
            baseURL: https://example.org
            timeZone: Asia/Ho_Chi_Minh
            datasets:
              - id: d
                title: {vi: Thử, en: Test}
                description: {vi: Thử, en: Test}
                source: {type: csv, path: in.csv}
                fields:
                  - {name: code, type: string}
                  - {name: level, type: integer}
                publish: [csv]

            """, to: "p.yml")
        let dataset = try PipelineLoader().load(path: path).datasets[0]
        let failing = RecordingSink("out.csv", failing: 1)
        #expect(throws: PipelineFailure.cannotPublish(path: "out.csv", reason: "batch 1")) {
            try DatasetFlow(dataset: dataset).run(into: [failing])
        }
        // Without a failing sink the bad value is what stops the run.
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: directory.url.appendingPathComponent("in.csv").path, line: 12290, row: 12290, field: "level"),
                value: "x", expected: "a whole number (e.g. 1883)", code: .typeError)
        ) {
            try DatasetFlow(dataset: dataset).run(into: [RecordingSink("fine")])
        }
    }
}
