import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// Whether a dataset's data changed does not depend on the formats it is published in.
@Suite("One meaning of 'the data changed'")
struct DataChangeTests {
    private func write(_ directory: TemporaryDirectory, publish: String, population: String = "8053") throws -> String {
        try directory.write("area,population\nHà Nội,\(population)\nHải Phòng,2033\n", to: "Pipelines/p/t.csv")
        return try directory.write(
            populationPipeline(publish: publish), to: "Pipelines/p.yml")
    }

    private func run(_ directory: TemporaryDirectory, _ path: String, at seconds: TimeInterval) throws -> RunReport {
        try PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: seconds) }
        ).run([PipelineLoader().load(path: path)])
    }

    private func dataHash(_ directory: TemporaryDirectory) -> String? {
        ReleaseStore(root: directory.url.appendingPathComponent("Output")).currentManifest?.pipelines["test-pipeline"]?.datasets["d"]?.dataSHA256
    }

    @Test func theDataHashIsTheSameWhateverFormatsArePublished() throws {
        var hashes: Set<String> = []
        for publish in ["csv, rss", "json, rss", "ndjson, excel, rss"] {
            let directory = try TemporaryDirectory()
            _ = try run(directory, write(directory, publish: publish), at: 1_537_236_000)
            hashes.insert(try #require(dataHash(directory)))
        }
        #expect(hashes.count == 1)
    }

    @Test func droppingTheCSVIsNotARevision() throws {
        let directory = try TemporaryDirectory()
        _ = try run(directory, write(directory, publish: "csv, json, rss"), at: 1_537_236_000)
        let before = dataHash(directory)
        let report = try run(directory, write(directory, publish: "json, rss"), at: 1_537_239_600)
        #expect(report.datasets.map(\.change) == [.metadata])
        #expect(report.feedEntries.isEmpty)
        #expect(dataHash(directory) == before)
    }

    @Test func aChangedFigureIsARevisionWithItsValuesEvenWithoutAPublishedCSVNow() throws {
        let directory = try TemporaryDirectory()
        _ = try run(directory, write(directory, publish: "csv, json, rss"), at: 1_537_236_000)
        let report = try run(directory, write(directory, publish: "json, rss", population: "8246"), at: 1_537_239_600)
        #expect(report.datasets.map(\.change) == [.revised])
        let revision = try #require(report.datasets.first?.revision)
        #expect(revision.revised == [.init(key: ["Hà Nội"], field: "population", old: "8053", new: "8246")])
        #expect(report.feedEntries.count == 1)
        // The rows written aside for the comparison are not part of the release; the vintages kept them.
        let files = try FileManager.default.contentsOfDirectory(
            atPath: directory.url.appendingPathComponent("Output/current/test-pipeline/data").path)
        #expect(files.sorted() == ["d.json", "d.schema.json", "d.vintages.csv", "d.vintages.json"])
        let vintages = try directory.read("Output/current/test-pipeline/data/d.vintages.csv")
        #expect(vintages.contains("Hà Nội,population,8053,2018-09-18T09:00:00+07:00,2018-09-18T10:00:00+07:00\r\n"))
        #expect(vintages.contains("Hà Nội,population,8246,2018-09-18T10:00:00+07:00,\r\n"))
    }

    @Test func aHashOfAnotherKindWithTheSameValuesIsNotARevision() throws {
        let directory = try TemporaryDirectory()
        let path = try write(directory, publish: "csv, rss")
        _ = try run(directory, path, at: 1_537_236_000)
        // A release whose manifest hashed the data another way (as earlier versions did, from the CSV's bytes).
        let manifest = directory.url.appendingPathComponent("Output/current/release.json")
        let hash = try #require(dataHash(directory))
        let text = try String(contentsOf: manifest, encoding: .utf8)
        let older = Data(text.replacingOccurrences(of: hash, with: String(repeating: "0", count: 64)).utf8)
        try older.write(to: manifest)
        // Completed as that version would have completed it: the marker is the manifest's digest.
        try Data(Digest.sha256(older).utf8).write(to: manifest.deletingLastPathComponent().appendingPathComponent(ReleaseStore.markerName))
        try directory.write(
            try directory.read("Pipelines/p.yml").replacingOccurrences(
                of: "{vi: Dân số, en: Population}\n    publish", with: "{vi: Dân số 2019, en: Population 2019}\n    publish"), to: "Pipelines/p.yml")
        let report = try run(directory, path, at: 1_537_239_600)
        #expect(report.datasets.map(\.change) == [.metadata])
        #expect(report.feedEntries.isEmpty)
    }
}
