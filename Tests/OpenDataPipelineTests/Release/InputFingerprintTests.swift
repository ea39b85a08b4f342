import Crypto
import Foundation
@testable import OpenDataPipeline
import Testing

/// The input fingerprint is hashed while the pipeline runs only when it cannot skip the pipeline;
/// either way it is the same value, and an unchanged source still skips.
@Suite("Input fingerprint")
struct InputFingerprintTests {
    private func alpha(in directory: TemporaryDirectory, levels: [String]) throws -> Pipeline {
        try directory.write(PipelineRunnerTests.yaml(id: "alpha"), to: "Pipelines/alpha.yml")
        try directory.write((["level"] + levels).joined(separator: "\n") + "\n", to: "Pipelines/alpha/catalogue.csv")
        return try PipelineLoader().load(path: directory.url.appendingPathComponent("Pipelines/alpha.yml").path)
    }

    private var cacheFile: (TemporaryDirectory) -> URL { { $0.url.appendingPathComponent("Output/.digests.json") } }

    @Test func hashedMeanwhileOrFirstItIsTheSameFingerprint() throws {
        let directory = try TemporaryDirectory()
        let pipeline = try alpha(in: directory, levels: ["1", "2"])
        let meanwhile = try InputFingerprint.begin(pipeline, cache: DigestCache(file: nil), mayBeUnchanged: false)
        #expect(meanwhile.inBackground)
        let first = try InputFingerprint.begin(pipeline, cache: DigestCache(file: nil), mayBeUnchanged: true)
        #expect(!first.inBackground)
        let (a, b) = (try meanwhile.resolve(), try first.resolve())
        #expect(a.fingerprint != nil)
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.files.map(\.path) == ["alpha.yml", "alpha/catalogue.csv"])
        #expect(a.files.map(\.path) == b.files.map(\.path))
        #expect(a.files.map(\.sha256) == b.files.map(\.sha256))
        #expect(a.files[1].sha256 == SHA256.hash(data: Data("level\n1\n2\n".utf8)).map { String(format: "%02x", $0) }.joined())
    }

    @Test func aSourceOfAnotherSizeIsHashedWhileThePipelineRunsAndOneOfTheSameSizeFirst() throws {
        let directory = try TemporaryDirectory()
        let pipeline = try alpha(in: directory, levels: ["1", "2"])
        let first = try ReleaseStoreTests.runner(directory, at: 1_537_236_000).run([pipeline])
        #expect(first.releaseID != nil)
        let recorded = try #require(ReleaseStore(root: directory.url.appendingPathComponent("Output")).currentManifest?.pipelines["alpha"])

        // Rewritten with the same bytes (a new modification time): hashed first, and the pipeline is skipped.
        try directory.write("level\n1\n2\n", to: "Pipelines/alpha/catalogue.csv")
        let cache = DigestCache(file: cacheFile(directory))
        let same = try InputFingerprint.begin(pipeline, cache: cache, mayBeUnchanged: true)
        #expect(!same.inBackground)
        #expect(try same.resolve().fingerprint == recorded.fingerprint)
        let touched = try ReleaseStoreTests.runner(directory, at: 1_537_239_600).run([pipeline])
        #expect(touched.skipped == ["alpha"])
        #expect(touched.unchanged)

        // Another size: it cannot be the file hashed before, so it is hashed while the pipeline runs.
        try directory.write("level\n1\n2\n3\n", to: "Pipelines/alpha/catalogue.csv")
        let resized = try InputFingerprint.begin(pipeline, cache: DigestCache(file: cacheFile(directory)), mayBeUnchanged: true)
        #expect(resized.inBackground)
        let expected = try InputFingerprint.begin(pipeline, cache: DigestCache(file: nil), mayBeUnchanged: true).resolve()
        #expect(try resized.resolve().fingerprint == expected.fingerprint)
        let changed = try ReleaseStoreTests.runner(directory, at: 1_537_243_200).run([pipeline])
        #expect(changed.releaseID != nil)
        #expect(changed.skipped.isEmpty)
        let entry = try #require(ReleaseStore(root: directory.url.appendingPathComponent("Output")).currentManifest?.pipelines["alpha"])
        #expect(entry.fingerprint == expected.fingerprint)
        #expect(entry.inputs.map(\.sha256) == expected.files.map(\.sha256))
        #expect(entry.fingerprint != recorded.fingerprint)
        // And the next run with nothing changed skips it again.
        let again = try ReleaseStoreTests.runner(directory, at: 1_537_246_800).run([pipeline])
        #expect(again.skipped == ["alpha"])
    }
}
