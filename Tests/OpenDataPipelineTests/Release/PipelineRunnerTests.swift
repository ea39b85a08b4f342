import Foundation
import LibXML
import Logging
@testable import OpenDataPipeline
import Testing

@Suite("PipelineRunner")
struct PipelineRunnerTests {
    static func yaml(id: String) -> String {
        """
        \(testPipelineHeader.replacingOccurrences(of: "id: test-pipeline", with: "id: \(id)"))
          - id: by-level
            title: {vi: Theo mức độ, en: By level}
            description: {vi: Mô tả, en: Description}
            source: {type: csv, path: \(id)/catalogue.csv}
            fields:
              - {name: level, type: integer, required: true, minimum: 1, maximum: 4}
            steps:
              - aggregate: {groupBy: [level], measures: [{name: procedures, count: all}]}
            primaryKey: [level]
            feed: {vi: "Mức độ {level}: {procedures}", en: "Level {level}: {procedures}"}

        """
    }

    /// A folder with pipeline `id` whose catalogue has `levels`.
    private func makePipeline(in directory: TemporaryDirectory, id: String, levels: [String]) throws -> String {
        try directory.write(Self.yaml(id: id), to: "Pipelines/\(id).yml")
        try directory.write((["level"] + levels).joined(separator: "\n") + "\n", to: "Pipelines/\(id)/catalogue.csv")
        return directory.url.appendingPathComponent("Pipelines/\(id).yml").path
    }

    private func runner(_ directory: TemporaryDirectory, at seconds: TimeInterval) -> PipelineRunner {
        PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: seconds) })
    }

    private func load(_ path: String) throws -> Pipeline {
        try PipelineLoader().load(path: path)
    }

    @Test func publishesAReleaseAndPointsCurrentAtIt() throws {
        let directory = try TemporaryDirectory()
        let path = try makePipeline(in: directory, id: "alpha", levels: ["3", "4", "3"])
        let report = try runner(directory, at: 1_537_236_000).run([load(path)])
        #expect(report.releaseID == "20180918T020000Z")
        let store = ReleaseStore(root: directory.url.appendingPathComponent("Output"))
        #expect(store.currentRelease?.lastPathComponent == "20180918T020000Z")
        #expect(try directory.read("Output/current/alpha/data/by-level.csv") == "level,procedures\r\n3,2\r\n4,1\r\n")
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("Output/current/alpha/datapackage.json").path))
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("Output/current/release.json").path))
    }

    @Test func leavesEveryPublishedByteUnchangedWhenAValueIsBad() throws {
        let directory = try TemporaryDirectory()
        let path = try makePipeline(in: directory, id: "alpha", levels: ["3", "4"])
        _ = try runner(directory, at: 1_537_236_000).run([load(path)])
        let before = snapshot(of: directory.url.appendingPathComponent("Output"))
        try directory.write("level\n3\n7\n", to: "Pipelines/alpha/catalogue.csv")
        let error = failure { try runner(directory, at: 1_537_239_600).run([load(path)]) }
        guard case let .invalidData(report)? = error as? PipelineFailure else {
            Issue.record("expected invalid data, got \(String(describing: error))")
            return
        }
        #expect(report.errors == 1)
        let issue = try #require(report.issues.first)
        #expect(issue.type == .constraintError)
        #expect(issue.location == SourceLocation(file: directory.url.path + "/Pipelines/alpha/catalogue.csv", line: 3, row: 3, field: "level"))
        #expect(issue.code == .constraintError)
        #expect(issue.cell == "7")
        #expect(issue.message == "a value from 1 to 4")
        #expect(snapshot(of: directory.url.appendingPathComponent("Output")) == before)
    }

    @Test func cleansUpAStagingFolderAKilledRunLeftBehind() throws {
        let directory = try TemporaryDirectory()
        let path = try makePipeline(in: directory, id: "alpha", levels: ["1"])
        try directory.write("half", to: "Output/releases/20000101T000000Z.partial/alpha/data/by-level.csv")
        _ = try runner(directory, at: 1_537_236_000).run([load(path)])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.appendingPathComponent("Output/releases").path)
        #expect(names == ["20180918T020000Z"])
    }

    @Test func refusesToRunWhileAnotherRunHoldsTheLock() throws {
        let directory = try TemporaryDirectory()
        let path = try makePipeline(in: directory, id: "alpha", levels: ["1"])
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("Output"), withIntermediateDirectories: true)
        let held = try RunLock(path: directory.url.appendingPathComponent("Output").path)
        #expect(throws: PipelineFailure.anotherRunInProgress(lockFile: held.path)) {
            try runner(directory, at: 1_537_236_000).run([load(path)])
        }
        #expect(ReleaseStore(root: directory.url.appendingPathComponent("Output")).currentRelease == nil)
    }

    @Test func carriesOtherPipelinesForwardAndKeepsTheFeedHistory() throws {
        let directory = try TemporaryDirectory()
        let alpha = try makePipeline(in: directory, id: "alpha", levels: ["1"])
        let beta = try makePipeline(in: directory, id: "beta", levels: ["2"])
        _ = try runner(directory, at: 1_537_236_000).run([load(alpha), load(beta)])
        let betaBefore = try directory.read("Output/current/beta/data/by-level.csv")
        try directory.write("level\n1\n1\n", to: "Pipelines/alpha/catalogue.csv")
        let report = try runner(directory, at: 1_537_239_600).run([load(alpha)])
        #expect(report.carriedForward == ["beta"])
        #expect(try directory.read("Output/current/beta/data/by-level.csv") == betaBefore)
        #expect(try directory.read("Output/current/alpha/data/by-level.csv") == "level,procedures\r\n1,2\r\n")
        let feed = try Document(parsing: Array(try directory.read("Output/current/alpha/feed.rss").utf8), source: "feed.rss")
        let guids = try feed.xpath().nodes(XPathQuery("/rss/channel/item/guid")).map(\.content)
        #expect(guids.count == 2)
        #expect(Set(guids).count == 2)
        let descriptions = try feed.xpath().nodes(XPathQuery("/rss/channel/item/description")).map(\.content)
        #expect(descriptions == ["1: procedures điều chỉnh từ 1 thành 2.", "Mức độ 1: 1."])
    }
}
