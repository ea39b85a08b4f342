import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// Every published value with the release times during which it was published, kept past `--keep`, and `asof`.
@Suite("Vintages")
struct VintagesTests {
    // 2018-09-18, -19 and -20 at 09:00 in Hanoi.
    static let t1: TimeInterval = 1_537_236_000
    static let t2: TimeInterval = t1 + 86_400
    static let t3: TimeInterval = t2 + 86_400

    static let yaml =
        testPipelineHeader + """

              - id: d
                title: {vi: Dân số, en: Population}
                description: {vi: Dân số, en: Population}
                publish: [csv, json]
                source: {type: csv, path: p/t.csv}
                fields:
                  - {name: area, type: string}
                  - {name: population, type: integer}
                  - {name: density, type: number}
                primaryKey: [area]

            """

    final class Setup {
        let directory: TemporaryDirectory
        var output: URL { directory.url.appendingPathComponent("Output") }

        init() throws {
            directory = try TemporaryDirectory()
            try directory.write(VintagesTests.yaml, to: "Pipelines/p.yml")
        }

        /// Publishes `rows` (after the header) at `seconds`; returns the release id and its CSV's bytes.
        func publish(_ rows: String, at seconds: TimeInterval, keep: Int? = nil) throws -> (id: String, csv: Data) {
            try directory.write("area,population,density\n" + rows, to: "Pipelines/p/t.csv")
            var runner = PipelineRunner(
                output: output, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, now: { Date(timeIntervalSince1970: seconds) })
            runner.digestSettleSeconds = 0
            let pipeline = try PipelineLoader().load(path: directory.url.appendingPathComponent("Pipelines/p.yml").path)
            let report = try runner.run([pipeline], options: RunOptions(keep: keep))
            let id = try #require(report.releaseID)
            return (id, try Data(contentsOf: output.appendingPathComponent("releases/\(id)/test-pipeline/data/d.csv")))
        }

        func asof(_ seconds: TimeInterval) throws -> (bytes: [UInt8], origin: AsOf.Origin) {
            try AsOf(output: output).csv(pipeline: "test-pipeline", dataset: "d", at: Date(timeIntervalSince1970: seconds))
        }
    }

    /// Three releases: HN revised in the second (and DN added), "Thừa Thiên, Huế" revised and DN removed in the third.
    static let rows1 = "HN,100,2398.50\n\"Thừa Thiên, Huế\",200,\n"
    static let rows2 = "HN,110,2398.50\n\"Thừa Thiên, Huế\",200,\nDN,50,1.25\n"
    static let rows3 = "HN,110,2398.50\n\"Thừa Thiên, Huế\",210,7\n"

    /// A dataset that did not change, in a pipeline published again for another one, keeps its vintages byte for byte.
    @Test func anUnchangedDatasetKeepsItsVintagesWhenAnotherOneChanges() throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("Output")
        func dataset(_ id: String) -> String {
            """

              - id: \(id)
                title: {vi: Dân số, en: Population}
                description: {vi: Dân số, en: Population}
                publish: [csv]
                source: {type: csv, path: p/\(id).csv}
                fields:
                  - {name: area, type: string}
                  - {name: population, type: integer}
                primaryKey: [area]

            """
        }
        try directory.write(testPipelineHeader + dataset("d") + dataset("e"), to: "Pipelines/p.yml")
        try directory.write("area,population\nHN,100\n", to: "Pipelines/p/d.csv")
        var ids: [String] = []
        for (seconds, population) in [(Self.t1, 1), (Self.t2, 2)] {
            try directory.write("area,population\nHN,\(population)\n", to: "Pipelines/p/e.csv")
            var runner = PipelineRunner(
                output: output, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, now: { Date(timeIntervalSince1970: seconds) })
            runner.digestSettleSeconds = 0
            let pipeline = try PipelineLoader().load(path: directory.url.appendingPathComponent("Pipelines/p.yml").path)
            ids.append(try #require(try runner.run([pipeline], options: RunOptions()).releaseID))
        }
        for file in ["d.vintages.csv", "d.vintages.json"] {
            let first = try Data(contentsOf: output.appendingPathComponent("releases/\(ids[0])/test-pipeline/data/\(file)"))
            let second = try Data(contentsOf: output.appendingPathComponent("releases/\(ids[1])/test-pipeline/data/\(file)"))
            #expect(first == second, "\(file)")
        }
        let csv = try directory.read("Output/current/test-pipeline/data/d.vintages.csv")
        #expect(csv == "area,field,value,realtime_start,realtime_end\r\nHN,population,100,2018-09-18T09:00:00+07:00,\r\n")
        // e's vintages moved on.
        let e = try directory.read("Output/current/test-pipeline/data/e.vintages.csv")
        #expect(e.contains("HN,population,1,2018-09-18T09:00:00+07:00,2018-09-19T09:00:00+07:00\r\n"))
        // The copied files are in the manifest with their digests: the release verifies.
        #expect(ReleaseVerifier().problems(release: output.appendingPathComponent("releases/\(ids[1])")) == [])
    }

    /// A dataset of more values than a run keeps the history of publishes without vintages and says so, rather than
    /// holding every value in memory.
    @Test func aDatasetOfMoreValuesThanTheBoundKeepsNoVintagesAndWarns() throws {
        let setup = try Setup()
        let rows = DatasetVintages.maximumValues / 2 + 1
        var csv = ""
        csv.reserveCapacity(rows * 16)
        for index in 0..<rows { csv += "A\(index),\(index),1.5\n" }
        try setup.directory.write("area,population,density\n" + csv, to: "Pipelines/p/t.csv")
        var runner = PipelineRunner(
            output: setup.output, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, now: { Date(timeIntervalSince1970: Self.t1) })
        runner.digestSettleSeconds = 0
        let pipeline = try PipelineLoader().load(path: setup.directory.url.appendingPathComponent("Pipelines/p.yml").path)
        #expect(DatasetVintages.values(rows: rows, dataset: try #require(pipeline.datasets.first)) == DatasetVintages.maximumValues + 2)
        let report = try runner.run([pipeline], options: RunOptions())
        #expect(report.releaseID != nil)
        let folder = setup.output.appendingPathComponent("current/test-pipeline/data")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("d.csv").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("d.vintages.csv").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("d.vintages.json").path))
        let warnings = report.validation?.issues.filter { $0.rule == "vintages" } ?? []
        #expect(warnings.count == 1)
        #expect(warnings.first?.severity == .warning)
        #expect(
            warnings.first?.message
                == "no vintages are kept for this dataset: its \(DatasetVintages.maximumValues + 2) values are more than the "
                + "\(DatasetVintages.maximumValues) whose history a run keeps; asof gives it only from the releases still kept")
    }

    @Test func keepsARowPerChangeAcrossThreeReleasesAndAPruning() throws {
        let setup = try Setup()
        let r1 = try setup.publish(Self.rows1, at: Self.t1)
        let r2 = try setup.publish(Self.rows2, at: Self.t2)
        // While the releases exist, asof gives each one's CSV, byte for byte.
        #expect(try setup.asof(Self.t1 + 60).origin == .release(r1.id))
        #expect(Data(try setup.asof(Self.t1 + 60).bytes) == r1.csv)
        #expect(Data(try setup.asof(Self.t2).bytes) == r2.csv)
        let r3 = try setup.publish(Self.rows3, at: Self.t3, keep: 1)
        #expect(ReleaseStore(root: setup.output).releases().map(\.id) == [r3.id])

        let day1 = "2018-09-18T09:00:00+07:00"
        let day2 = "2018-09-19T09:00:00+07:00"
        let day3 = "2018-09-20T09:00:00+07:00"
        let expected = [
            "area,field,value,realtime_start,realtime_end",
            "HN,population,100,\(day1),\(day2)",
            "HN,population,110,\(day2),",
            "HN,density,2398.50,\(day1),",
            "\"Thừa Thiên, Huế\",population,200,\(day1),\(day3)",
            "\"Thừa Thiên, Huế\",population,210,\(day3),",
            "\"Thừa Thiên, Huế\",density,,\(day1),\(day3)",
            "\"Thừa Thiên, Huế\",density,7,\(day3),",
            "DN,population,50,\(day2),\(day3)",
            "DN,density,1.25,\(day2),\(day3)",
        ].map { $0 + "\r\n" }.joined()
        let csv = try setup.directory.read("Output/current/test-pipeline/data/d.vintages.csv")
        #expect(csv == expected)

        // The JSON says the same, read with Foundation's parser.
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: setup.output.appendingPathComponent("current/test-pipeline/data/d.vintages.json"))) as? [String: Any]
        #expect(json?["dataset"] as? String == "d")
        #expect(json?["key"] as? [String] == ["area"])
        let vintages = try #require(json?["vintages"] as? [[String: Any]])
        #expect(vintages.count == 9)
        #expect(vintages[0]["key"] as? [String] == ["HN"])
        #expect(vintages[0]["value"] as? String == "100")
        #expect(vintages[0]["realtime_end"] as? String == day2)
        #expect(vintages[0]["release"] as? String == r1.id)
        #expect(vintages[1]["realtime_end"] is NSNull)
        #expect(vintages[5]["value"] is NSNull)

        // Five moments: before anything, in each release's period (the first two rebuilt), at and after the last.
        let before = failure { try setup.asof(Self.t1 - 1) } as? PipelineFailure
        #expect(
            before == .notPublished("test-pipeline/d", reason: "was not published at 2018-09-18T01:59:59+00:00: it was first published at \(day1)"))
        #expect(before?.exitStatus == 66)
        let first = try setup.asof(Self.t1 + 3600)
        #expect(first.origin == .vintages(r3.id))
        #expect(Data(first.bytes) == r1.csv)
        let second = try setup.asof(Self.t2 + 3600)
        #expect(second.origin == .vintages(r3.id))
        #expect(Data(second.bytes) == r2.csv)
        #expect(
            String(decoding: second.bytes, as: UTF8.self) == "area,population,density\r\nHN,110,2398.50\r\n\"Thừa Thiên, Huế\",200,\r\nDN,50,1.25\r\n"
        )
        let third = try setup.asof(Self.t3)
        #expect(third.origin == .release(r3.id))
        #expect(Data(third.bytes) == r3.csv)
        #expect(Data(try setup.asof(Self.t3 + 86_400 * 400).bytes) == r3.csv)
    }

    @Test func theJSONIsWrittenByHandAndReadsBackAsWrittenByPython() throws {
        let directory = try TemporaryDirectory()
        let document = DatasetVintages(
            dataset: "d", key: ["a"], layouts: [.init(realtimeStart: "2018-09-18T09:00:00+07:00", fields: ["a", "b"])],
            vintages: [
                .init(
                    key: ["x\"y"], field: "b", value: "line\nbreak\u{1}", realtimeStart: "2018-09-18T09:00:00+07:00", realtimeEnd: nil, release: "r1"),
                .init(
                    key: ["z"], field: "b", value: nil, realtimeStart: "2018-09-18T09:00:00+07:00", realtimeEnd: "2018-09-19T09:00:00+07:00",
                    release: "r1", note: "Sửa lỗi"),
            ])
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("data"), withIntermediateDirectories: true)
        try document.write(pipelineFolder: directory.url)
        #expect(try DatasetVintages.read(pipelineFolder: directory.url, dataset: "d") == document)
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile) else {
            withKnownIssue("python3 is not installed: the independent read of the vintages JSON is skipped") { throw CancellationError() }
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            "-c", "import json,sys; print(json.dumps(json.load(open(sys.argv[1], encoding='utf-8')), sort_keys=True))",
            directory.url.appendingPathComponent("data/d.vintages.json").path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"dataset": "d", "key": ["a"], "layouts": [{"fields": ["a", "b"], "realtime_start": "2018-09-18T09:00:00+07:00"}], "vintages": [{"field": "b", "key": ["x\"y"], "realtime_end": null, "realtime_start": "2018-09-18T09:00:00+07:00", "release": "r1", "value": "line\nbreak\u0001"}, {"field": "b", "key": ["z"], "note": "S\u1eeda l\u1ed7i", "realtime_end": "2018-09-19T09:00:00+07:00", "realtime_start": "2018-09-18T09:00:00+07:00", "release": "r1", "value": null}]}"#
                + "\n")
    }

    @Test func thePagesRevisionsAreTheNewestValueChangesOfTheVintagesCSV() throws {
        let directory = try TemporaryDirectory()
        let (a, b, c) = ("2018-09-18T09:00:00+07:00", "2018-09-19T09:00:00+07:00", "2018-09-20T09:00:00+07:00")
        let path = try directory.write(
            [
                "area,field,value,realtime_start,realtime_end", "HN,pop,1,\(a),\(b)", "HN,pop,2,\(b),\(c)", "HN,pop,3,\(c),",
                "HCM,pop,5,\(a),", "DN,pop,7,\(a),\(b)", "DN,pop,8,\(c),", "DN,rate,,\(a),\(c)", "DN,rate,9,\(c),",
            ].map { $0 + "\r\n" }.joined(), to: "v.csv")
        typealias Revision = RevisionHistory.Revision
        // DN's population came back after a gap: not a revision. An empty value shows as empty.
        #expect(
            try RevisionHistory.latest(csv: path, limit: 10) == [
                Revision(key: ["HN"], field: "pop", old: "2", new: "3", time: c),
                Revision(key: ["DN"], field: "rate", old: "", new: "9", time: c),
                Revision(key: ["HN"], field: "pop", old: "1", new: "2", time: b),
            ])
        #expect(try RevisionHistory.latest(csv: path, limit: 1) == [Revision(key: ["HN"], field: "pop", old: "2", new: "3", time: c)])
        let positional = try directory.write("row,field,value,realtime_start,realtime_end\r\n4,x,1,\(a),\(b)\r\n4,x,2,\(b),\r\n", to: "p.csv")
        #expect(try RevisionHistory.latest(csv: positional, limit: 10) == [Revision(key: ["row 4"], field: "x", old: "1", new: "2", time: b)])
    }

    @Test func aDatasetWithoutAPrimaryKeyIsKeyedByRowPosition() throws {
        let setup = try Setup()
        try setup.directory.write(Self.yaml.replacingOccurrences(of: "primaryKey: [area]\n", with: ""), to: "Pipelines/p.yml")
        #expect(try setup.directory.read("Pipelines/p.yml").contains("primaryKey") == false)
        let r1 = try setup.publish("HN,100,1\n", at: Self.t1)
        _ = try setup.publish("HN,100,2\nDN,5,3\n", at: Self.t2, keep: 1)
        let csv = try setup.directory.read("Output/current/test-pipeline/data/d.vintages.csv")
        #expect(csv.hasPrefix("row,field,value,realtime_start,realtime_end\r\n1,area,HN,2018-09-18T09:00:00+07:00,\r\n"))
        #expect(csv.contains("1,density,1,2018-09-18T09:00:00+07:00,2018-09-19T09:00:00+07:00\r\n1,density,2,2018-09-19T09:00:00+07:00,\r\n"))
        #expect(Data(try setup.asof(Self.t1 + 1).bytes) == r1.csv)
    }

    @Test func aDatasetPageShowsItsRevisedFigures() throws {
        let setup = try Setup()
        _ = try setup.publish(Self.rows1, at: Self.t1)
        _ = try setup.publish(Self.rows2, at: Self.t2)
        let page = try setup.directory.read("Output/current/test-pipeline/d.en.html")
        #expect(page.contains("<h2>Revision history</h2>"))
        #expect(page.contains("<li>2018-09-19 09:00 (UTC+07:00): HN population: 100 → 110</li>"))
        #expect(page.contains("<a href=\"data/d.vintages.csv\" type=\"text/csv\">CSV</a>"))
        let vietnamese = try setup.directory.read("Output/current/test-pipeline/d.html")
        #expect(vietnamese.contains("<h2>Lịch sử điều chỉnh số liệu</h2>"))
    }

    @Test func theFirstReleaseWithVintagesStartsThemFromThePreviousRelease() throws {
        let setup = try Setup()
        let r1 = try setup.publish(Self.rows1, at: Self.t1)
        // A release from before vintages existed: its vintages files removed (and its manifest and marker made to match).
        let folder = setup.output.appendingPathComponent("releases/\(r1.id)")
        for suffix in ["csv", "json"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent("test-pipeline/data/d.vintages.\(suffix)"))
        }
        var manifest = try #require(ReleaseManifest.read(from: folder.appendingPathComponent("release.json")))
        manifest.files.removeAll { $0.path.contains(".vintages.") }
        let bytes = try manifest.encoded()
        try Data(bytes).write(to: folder.appendingPathComponent("release.json"))
        try Data(manifest.sums.utf8).write(to: folder.appendingPathComponent("SHA256SUMS"))
        try Data((Digest.sha256(Data(bytes)) + "\n").utf8).write(to: folder.appendingPathComponent(".complete"))
        #expect(try ReleaseStore(root: setup.output).verify(nil).problems.isEmpty)
        _ = try setup.publish(Self.rows2, at: Self.t2)
        let csv = try setup.directory.read("Output/current/test-pipeline/data/d.vintages.csv")
        #expect(csv.contains("HN,population,100,2018-09-18T09:00:00+07:00,2018-09-19T09:00:00+07:00\r\n"))
    }
}
