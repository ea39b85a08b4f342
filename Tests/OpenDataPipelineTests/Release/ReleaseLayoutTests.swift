import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

@Suite("Release layout")
struct ReleaseLayoutTests {
    @Test func namesEveryPathOfADatasetAndAPipeline() {
        #expect(CSVFormat.dataFile.path(for: "areas") == "data/areas.csv")
        #expect(ExcelCSVFormat.dataFile.path(for: "areas") == "data/areas.excel.csv")
        #expect(JSONFormat.dataFile.path(for: "areas") == "data/areas.json")
        #expect(NDJSONFormat.dataFile.path(for: "areas") == "data/areas.ndjson")
        #expect(JSONStatFormat.dataFile.path(for: "areas") == "data/areas.jsonstat.json")
        #expect(JSONFormat.schemaFile.path(for: "areas") == "data/areas.schema.json")
        #expect(ReleaseLayout.feedStem("areas") == "feeds/areas")
        #expect(ReleaseLayout.page("areas", .vi) == "areas.html")
        #expect(ReleaseLayout.page("areas", .en) == "areas.en.html")
        #expect(ReleaseLayout.index(.en) == "index.en.html")
        #expect(ReleaseLayout.inPipeline("p", ReleaseLayout.dataPackage) == "p/datapackage.json")
        #expect(ReleaseLayout.release("20180918T020000Z") == "releases/20180918T020000Z")
        #expect(ReleaseLayout.releaseID(linkTarget: "releases/20180918T020000Z") == "20180918T020000Z")
        #expect(ReleaseLayout.releaseID(linkTarget: "/elsewhere/20180918T020000Z") == nil)
    }

    @Test func tellsWhichDatasetADataFileBelongsTo() {
        #expect(ReleaseLayout.dataset(ofDataFile: "data/areas.excel.csv") == "areas")
        #expect(ReleaseLayout.dataset(ofDataFile: "feeds/areas.rss") == nil)
        #expect(ReleaseLayout.isDataFile("data/areas.schema.json", of: "areas"))
        // A dataset whose id starts with another's owns none of its files.
        #expect(!ReleaseLayout.isDataFile("data/areas-2.csv", of: "areas"))
    }

    /// Publishes one dataset in `formats`; returns the output folder and the release's folder.
    private func publish(_ directory: TemporaryDirectory, formats: String) throws -> (output: URL, release: URL, id: String) {
        try directory.write("area,population\nHà Nội,8053\n", to: "Pipelines/p/t.csv")
        let path = try directory.write(
            populationPipeline(publish: formats), to: "Pipelines/p.yml")
        let output = directory.url.appendingPathComponent("Output")
        let report = try PipelineRunner(
            output: output, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: 1_537_236_000) }
        ).run([PipelineLoader().load(path: path)])
        let id = try #require(report.releaseID)
        return (output, output.appendingPathComponent(ReleaseLayout.release(id)), id)
    }

    @Test func thePublisherTheStoreAndTheVerifierUseTheSamePaths() throws {
        let directory = try TemporaryDirectory()
        let (output, release, id) = try publish(directory, formats: "csv, excel, json, ndjson, jsonstat, rss")
        let store = ReleaseStore(root: output)
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: output.appendingPathComponent(ReleaseLayout.currentLink).path)
                == ReleaseLayout.release(id))
        #expect(store.currentID == id)
        let manifest = try #require(store.currentManifest)
        let listed = Set(manifest.files.map(\.path))
        // The store lists every file but the release's own, which are there.
        for own in ReleaseLayout.ownFiles {
            #expect(!listed.contains(own))
            #expect(FileManager.default.fileExists(atPath: release.appendingPathComponent(own).path), "\(own)")
        }
        let formats: [PublishFormat] = [.csv, .excel, .json, .ndjson, .jsonstat]
        let expected =
            formats.compactMap(\.file).map { $0.path(for: "d") } + [JSONFormat.schemaFile.path(for: "d"), ReleaseLayout.database("test-pipeline")]
        let package = try #require(try DataPackage.read(pipelineFolder: release.appendingPathComponent("test-pipeline")))
        #expect(Set(package.resources.map(\.path)) == Set(expected))
        for file in expected + [ReleaseLayout.dataPackage, ReleaseLayout.changeLog, ReleaseLayout.history, "\(ReleaseLayout.feedStem("d")).rss"] {
            #expect(listed.contains(ReleaseLayout.inPipeline("test-pipeline", file)), "\(file) is not in release.json")
        }
        #expect(listed.contains(ReleaseLayout.catalog) && listed.contains(ReleaseLayout.catalogLD))
        #expect(ReleaseVerifier().problems(release: release) == [])
        // A file the layout names, removed: the verifier names it by the same path.
        let removed = ReleaseLayout.inPipeline("test-pipeline", NDJSONFormat.dataFile.path(for: "d"))
        try FileManager.default.removeItem(at: release.appendingPathComponent(removed))
        #expect(ReleaseVerifier().problems(release: release) == ["\(removed): missing"])
    }

    @Test func theVerifierNamesADataPackageThatDoesNotDecode() throws {
        let directory = try TemporaryDirectory()
        let release = try publish(directory, formats: "csv").release
        let package = release.appendingPathComponent("test-pipeline/datapackage.json")
        let text = try String(contentsOf: package, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"resources\" : [", with: "\"resources\" : 3, \"x\" : [").utf8).write(to: package)
        let problems = ReleaseVerifier().problems(release: release)
        #expect(problems.contains("test-pipeline/datapackage.json: not a Data Package (at .resources: expected an array)"))
    }
}
