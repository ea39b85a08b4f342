import Crypto
import Foundation
@testable import OpenDataPipeline
import Testing

/// The input fingerprint is hashed while the pipeline runs only when it cannot skip the pipeline;
/// either way it is the same value, and a source that may be unchanged still skips.
@Suite("Input fingerprint")
struct InputFingerprintTests {
    private func alpha(in directory: TemporaryDirectory, levels: [String]) throws -> Pipeline {
        try directory.write(PipelineRunnerTests.yaml(id: "alpha"), to: "Pipelines/alpha.yml")
        try directory.write((["level"] + levels).joined(separator: "\n") + "\n", to: "Pipelines/alpha/catalogue.csv")
        return try PipelineLoader().load(path: directory.url.appendingPathComponent("Pipelines/alpha.yml").path)
    }

    private func cache(_ directory: TemporaryDirectory) -> DigestCache {
        DigestCache(file: directory.url.appendingPathComponent("Output/.digests.json"))
    }

    private func current(_ directory: TemporaryDirectory) throws -> ReleaseManifest.PipelineEntry {
        try #require(ReleaseStore(root: directory.url.appendingPathComponent("Output")).currentManifest?.pipelines["alpha"])
    }

    private func run(_ directory: TemporaryDirectory, _ pipeline: Pipeline, at seconds: TimeInterval) throws -> RunReport {
        try ReleaseStoreTests.runner(directory, at: seconds).run([pipeline])
    }

    @Test func hashedMeanwhileOrFirstItIsTheSameFingerprint() throws {
        let directory = try TemporaryDirectory()
        let pipeline = try alpha(in: directory, levels: ["1", "2"])
        _ = try run(directory, pipeline, at: 1_537_236_000)
        let entry = try current(directory)
        let meanwhile = try InputFingerprint.begin(pipeline, cache: DigestCache(file: nil), current: nil)
        #expect(meanwhile.inBackground)
        let first = try InputFingerprint.begin(pipeline, cache: DigestCache(file: nil), current: entry)
        #expect(!first.inBackground)
        let (a, b) = (try meanwhile.resolve(), try first.resolve())
        #expect(a.fingerprint != nil)
        #expect(a.fingerprint == entry.fingerprint)
        #expect(b.fingerprint == entry.fingerprint)
        #expect(a.files == entry.inputs)
        #expect(b.files == entry.inputs)
        #expect(a.files.map(\.path) == ["alpha.yml", "alpha/catalogue.csv"])
        #expect(a.files[1].sha256 == SHA256.hash(data: Data("level\n1\n2\n".utf8)).map { String(format: "%02x", $0) }.joined())
    }

    @Test func aSourceOfAnotherSizeIsHashedWhileThePipelineRunsAndOneOfTheSameSizeFirst() throws {
        let directory = try TemporaryDirectory()
        let pipeline = try alpha(in: directory, levels: ["1", "2"])
        #expect(try run(directory, pipeline, at: 1_537_236_000).releaseID != nil)
        let recorded = try current(directory)

        // Rewritten with the same bytes (a new modification time): hashed first, and the pipeline is skipped.
        try directory.write("level\n1\n2\n", to: "Pipelines/alpha/catalogue.csv")
        let same = try InputFingerprint.begin(pipeline, cache: cache(directory), current: recorded)
        #expect(!same.inBackground)
        #expect(try same.resolve().fingerprint == recorded.fingerprint)
        let touched = try run(directory, pipeline, at: 1_537_239_600)
        #expect(touched.skipped == ["alpha"])
        #expect(touched.unchanged)

        // Another size: it cannot be the file the release was fingerprinted from, so it is hashed while the pipeline runs.
        try directory.write("level\n1\n2\n3\n", to: "Pipelines/alpha/catalogue.csv")
        let resized = try InputFingerprint.begin(pipeline, cache: cache(directory), current: recorded)
        #expect(resized.inBackground)
        let expected = try InputFingerprint.begin(pipeline, cache: DigestCache(file: nil), current: recorded).resolve()
        #expect(try resized.resolve().fingerprint == expected.fingerprint)
        let changed = try run(directory, pipeline, at: 1_537_243_200)
        #expect(changed.releaseID != nil)
        #expect(changed.skipped.isEmpty)
        let entry = try current(directory)
        #expect(entry.fingerprint == expected.fingerprint)
        #expect(entry.inputs == expected.files)
        #expect(entry.fingerprint != recorded.fingerprint)
        // And the next run with nothing changed skips it again: the digest hashed meanwhile was remembered.
        let again = try run(directory, pipeline, at: 1_537_246_800)
        #expect(again.skipped == ["alpha"])
        #expect(!again.hashedFiles.contains { $0.hasPrefix(directory.url.appendingPathComponent("Pipelines").path) }, "\(again.hashedFiles)")
    }

    /// Other bytes with the same rows publish nothing, so the release keeps the old fingerprint while the cache
    /// remembers the new file; put back, the released file is not taken for a changed one: it is hashed first and skips.
    @Test func aSourcePutBackAfterAnUnpublishedRewriteStillSkips() throws {
        let directory = try TemporaryDirectory()
        let pipeline = try alpha(in: directory, levels: ["1", "2"])
        #expect(try run(directory, pipeline, at: 1_537_236_000).releaseID != nil)
        let recorded = try current(directory)
        try directory.write("level\r\n1\r\n2\r\n", to: "Pipelines/alpha/catalogue.csv")
        let rewritten = try run(directory, pipeline, at: 1_537_239_600)
        #expect(rewritten.unchanged)
        #expect(rewritten.skipped.isEmpty)
        #expect(try current(directory).fingerprint == recorded.fingerprint)
        try directory.write("level\n1\n2\n", to: "Pipelines/alpha/catalogue.csv")
        let back = try InputFingerprint.begin(pipeline, cache: cache(directory), current: recorded)
        #expect(!back.inBackground)
        #expect(try run(directory, pipeline, at: 1_537_243_200).skipped == ["alpha"])
    }
}
