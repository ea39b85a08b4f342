import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// The release store's order, its guard against switching to older data,
/// host-independent manifests and the no-op run that opens no source.
@Suite("ReleaseStore")
struct ReleaseStoreTests {
    /// A runner releasing at `seconds` whose digest cache remembers every file at once.
    static func runner(_ directory: TemporaryDirectory, at seconds: TimeInterval) -> PipelineRunner {
        var runner = PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: seconds) })
        runner.digestSettleSeconds = 0
        return runner
    }

    private func runner(_ directory: TemporaryDirectory, at seconds: TimeInterval) -> PipelineRunner {
        Self.runner(directory, at: seconds)
    }

    /// Pipeline `alpha` whose catalogue holds `levels`; returns its (absolute) path.
    private func alpha(in directory: TemporaryDirectory, levels: [String]) throws -> String {
        try directory.write(PipelineRunnerTests.yaml(id: "alpha"), to: "Pipelines/alpha.yml")
        try directory.write((["level"] + levels).joined(separator: "\n") + "\n", to: "Pipelines/alpha/catalogue.csv")
        return directory.url.appendingPathComponent("Pipelines/alpha.yml").path
    }

    @Test(arguments: [
        ("20180918T020000Z", true), ("20180918T020000Z-2", true), ("20180918T020000Z-10", true), ("", false), (".", false),
        ("..", false), ("20180918T020000Z.partial", false), ("20180918T020000Z-0", false), ("20180918T020000Z-", false),
        ("20180918T020000Z/..", false), ("2018091T020000Z", false), ("20180918t020000z", false),
    ])
    func recognisesReleaseIDsExactly(text: String, valid: Bool) {
        #expect(ReleaseStore.isReleaseID(text) == valid)
    }

    @Test func ordersReleasesBySequenceNotByTheirIDs() throws {
        let directory = try TemporaryDirectory()
        let path = try alpha(in: directory, levels: ["1"])
        var published: [String] = []
        for count in 1...11 {
            try directory.write((["level"] + Array(repeating: "1", count: count)).joined(separator: "\n") + "\n", to: "Pipelines/alpha/catalogue.csv")
            // The same release time every time: ids get -2 … -11, and "-10" sorts before "-2" as text.
            published.append(try #require(try runner(directory, at: 1_537_236_000).run([PipelineLoader().load(path: path)]).releaseID))
        }
        #expect(published.first == "20180918T020000Z")
        #expect(published.last == "20180918T020000Z-11")
        let store = ReleaseStore(root: directory.url.appendingPathComponent("Output"))
        #expect(store.releases().map(\.id) == published)
        #expect(store.releases().map(\.sequence) == Array(1...11))
        #expect(try store.rollback(to: nil) == "20180918T020000Z-10")
        #expect(try store.prune(keep: 3) == Array(published.prefix(8)))
        #expect(store.releases().map(\.id) == Array(published.suffix(3)))
    }

    @Test func neverSwitchesCurrentToAReleaseOlderThanTheCurrentOne() throws {
        let directory = try TemporaryDirectory()
        let path = try alpha(in: directory, levels: ["1"])
        _ = try runner(directory, at: 1_537_236_000).run([PipelineLoader().load(path: path)])
        _ = try alpha(in: directory, levels: ["1", "2"])
        _ = try runner(directory, at: 1_537_239_600).run([PipelineLoader().load(path: path)])
        let output = directory.url.appendingPathComponent("Output")
        let store = ReleaseStore(root: output)
        #expect(store.currentID == "20180918T030000Z")
        // A run that took sequence 2 before another run (whose lock was lost) published sequence 2.
        let staging = output.appendingPathComponent("releases/20180918T020000Z-2.partial")
        try FileManager.default.copyItem(at: output.appendingPathComponent("releases/20180918T020000Z"), to: staging)
        try FileManager.default.removeItem(at: staging.appendingPathComponent(ReleaseStore.markerName))
        #expect(
            throws: PipelineFailure.cannotPublish(
                path: output.appendingPathComponent("current").path,
                reason: "'current' moved to release 20180918T030000Z (sequence 2) during this run; "
                    + "this run's release (sequence 2) is older and is not published")
        ) { try store.commit(staging: staging, id: "20180918T020000Z-2", sequence: 2) }
        #expect(store.currentID == "20180918T030000Z")
        #expect(store.releases().map(\.id) == ["20180918T020000Z", "20180918T030000Z"])
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("releases/20180918T020000Z-2").path))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(".trash").path))
    }

    @Test func recordsInputPathsRelativeToThePipelinesFolder() throws {
        let directory = try TemporaryDirectory()
        let path = try alpha(in: directory, levels: ["1"])
        #expect(path.hasPrefix("/"))
        _ = try runner(directory, at: 1_537_236_000).run([PipelineLoader().load(path: path)])
        let manifest = try #require(ReleaseStore(root: directory.url.appendingPathComponent("Output")).currentManifest)
        #expect(manifest.pipelines["alpha"]?.inputs.map(\.path) == ["alpha.yml", "alpha/catalogue.csv"])
        for (file, data) in snapshot(of: directory.url.appendingPathComponent("Output/current/")) {
            #expect(!String(decoding: data, as: UTF8.self).contains(directory.path), "\(file) names the host's folder")
        }
    }

    @Test func anUnchangedRunOfTheShippedExamplesOpensNoSourceOfAnyType() throws {
        let directory = try TemporaryDirectory()
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Pipelines")
        try FileManager.default.copyItem(at: shipped, to: directory.url.appendingPathComponent("Pipelines"))
        let files = try PipelineCatalog(directory: directory.url.appendingPathComponent("Pipelines").path).files(named: [])
        let pipelines = try files.map { try PipelineLoader().load(path: $0) }
        _ = try runner(directory, at: 1_537_236_000).run(pipelines)
        let manifest = try #require(ReleaseStore(root: directory.url.appendingPathComponent("Output")).currentManifest)
        let inputs = manifest.pipelines.values.flatMap(\.inputs).map(\.path)
        for type in ["csv", "xml", "sqlite", "xlsx", "html", "json", "ndjson", "yml"] {
            #expect(inputs.contains { $0.hasSuffix(".\(type)") }, "no .\(type) input in the examples")
        }
        #expect(manifest.pipelines.values.allSatisfy { $0.fingerprint != nil })
        // The second run hashes what the first wrote (the release, to verify it); the sources come from the cache.
        let second = try runner(directory, at: 1_537_239_600).run(pipelines)
        #expect(second.unchanged)
        #expect(Set(second.skipped) == Set(pipelines.map(\.id)))
        #expect(!second.hashedFiles.contains { $0.hasPrefix(directory.url.appendingPathComponent("Pipelines").path) })
        let third = try runner(directory, at: 1_537_243_200).run(pipelines)
        #expect(third.unchanged)
        #expect(third.hashedFiles == [])
        // A source edited in place (same size, same inode) is seen, and published.
        let indicators = "Pipelines/vietnam-digital-government/digital-indicators-2018.csv"
        let text = try directory.read(indicators)
        #expect(text.contains(";52 triệu;"))
        try directory.write(text.replacingOccurrences(of: ";52 triệu;", with: ";53 triệu;"), to: indicators)
        let changed = try runner(directory, at: 1_537_246_800).run(pipelines)
        #expect(!changed.unchanged)
        #expect(try directory.read("Output/current/vietnam-digital-government/data/vietnam-internet-2018.csv").contains(",53000000,"))
    }
}
