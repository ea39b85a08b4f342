import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// The typed documents of a release (`datapackage.json`, `changes.json`,
/// `history.json`) decode what is published and encode it back to the same bytes.
@Suite("Release documents")
struct ReleaseDocumentTests {
    private func runner(_ directory: TemporaryDirectory, at seconds: TimeInterval) -> PipelineRunner {
        PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: seconds) })
    }

    /// Decodes the file as `T`, encodes it again and compares the bytes with the file's.
    private func expectRoundTrip<T: Codable & Equatable>(
        _ type: T.Type, _ url: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation, encode: (T) throws -> [UInt8]
    ) throws {
        let published = try [UInt8](Data(contentsOf: url))
        let value = try JSONDecoder().decode(T.self, from: Data(published))
        var encoded = try encode(value)
        if encoded.last != 0x0A { encoded.append(0x0A) }
        #expect(encoded == published, "\(url.path) differs once decoded and encoded again", sourceLocation: sourceLocation)
        // Decoding what was encoded gives the same value.
        #expect(try JSONDecoder().decode(T.self, from: Data(encoded)) == value, sourceLocation: sourceLocation)
    }

    private func expectEveryDocumentRoundTrips(in release: URL) throws -> Int {
        var checked = 0
        for pipeline in try FileManager.default.contentsOfDirectory(atPath: release.path).sorted() {
            let folder = release.appendingPathComponent(pipeline)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(ReleaseLayout.dataPackage).path) else { continue }
            try expectRoundTrip(DataPackage.self, folder.appendingPathComponent(ReleaseLayout.dataPackage)) {
                try $0.encoded(path: ReleaseLayout.dataPackage)
            }
            try expectRoundTrip(ChangeLog.self, folder.appendingPathComponent(ReleaseLayout.changeLog)) {
                try $0.encoded(path: ReleaseLayout.changeLog)
            }
            try expectRoundTrip(FeedHistory.self, folder.appendingPathComponent(ReleaseLayout.history)) { try $0.encoded() }
            checked += 1
        }
        return checked
    }

    @Test func theShippedExamplesDocumentsRoundTripByteForByteIncludingARevision() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("Pipelines"), to: directory.url.appendingPathComponent("Pipelines"))
        let load = { () throws -> [Pipeline] in
            try PipelineCatalog(directory: directory.url.appendingPathComponent("Pipelines").path).files(named: [])
                .map { try PipelineLoader().load(path: $0) }
        }
        let first = try runner(directory, at: 1_537_236_000).run(try load())
        #expect(try expectEveryDocumentRoundTrips(in: directory.url.appendingPathComponent("Output/current")) == 2)
        // A revised figure: changes.json lists the revised value, with its key, old and new text.
        let indicators = "Pipelines/vietnam-digital-government/digital-indicators-2018.csv"
        try directory.write(try directory.read(indicators).replacingOccurrences(of: ";52 triệu;", with: ";53 triệu;"), to: indicators)
        let second = try runner(directory, at: 1_537_239_600).run(try load())
        let current = directory.url.appendingPathComponent("Output/current")
        #expect(try expectEveryDocumentRoundTrips(in: current) == 2)
        let changes = try JSONDecoder().decode(
            ChangeLog.self, from: Data(contentsOf: current.appendingPathComponent("vietnam-digital-government/changes.json")))
        #expect(changes.previousRelease == first.releaseID)
        #expect(changes.release == second.releaseID)
        let revised = try #require(changes.datasets.first { $0.id == "vietnam-internet-2018" })
        #expect(revised.change == .revised)
        #expect(revised.revised?.values.map(\.new) == ["53000000"])
        #expect(revised.revised?.values.map(\.old) == ["52000000"])
    }

    private func writeConstrainedPipeline(_ directory: TemporaryDirectory, rows: String) throws -> String {
        try directory.write("code,parent,name,share,Note\n\(rows)", to: "Pipelines/p/t.csv")
        return try directory.write(
            testPipelineHeader + """

                  - id: d
                    title: {vi: Tỉnh, en: Provinces}
                    description: {vi: Tỉ lệ, en: Shares}
                    publish: [csv, json, rss]
                    source: {type: csv, path: p/t.csv}
                    fields:
                      - {name: code, type: string, required: true, minLength: 2, maxLength: 3, pattern: "[0-9]+"}
                      - {name: parent, type: string}
                      - {name: name, type: string, enum: [Hà Nội, "Hải \\"Phòng\\"", Huế/Thừa Thiên]}
                      - {name: share, type: number, unit: "%", decimals: 2, minimum: 0.05, maximum: 99.75, exclusiveMinimum: 0, title: {vi: Tỉ lệ, en: Share}}
                      - {name: Note, type: string}
                    primaryKey: [code]
                    uniqueKeys: [[name]]
                    foreignKeys: [{fields: [parent], reference: {fields: [code]}}]
                    feed: {vi: "{name}: {share}", en: "{name}: {share}"}

                """, to: "Pipelines/p.yml")
    }

    @Test func constraintsKeysAndNullsRoundTripWithTheKeyOrderAndNumbersOfTheWriter() throws {
        let directory = try TemporaryDirectory()
        let path = try writeConstrainedPipeline(directory, rows: "01,,Hà Nội,17.90,\n31,01,\"Hải \"\"Phòng\"\"\",0.05,\n")
        _ = try runner(directory, at: 1_537_236_000).run([PipelineLoader().load(path: path)])
        _ = try writeConstrainedPipeline(directory, rows: "01,,Hà Nội,17.95,\n46,01,Huế/Thừa Thiên,99.75,x\n")
        _ = try runner(directory, at: 1_537_239_600).run([PipelineLoader().load(path: path)])
        let folder = directory.url.appendingPathComponent("Output/current/test-pipeline")
        #expect(try expectEveryDocumentRoundTrips(in: folder.deletingLastPathComponent()) == 1)
        let text = try String(contentsOf: folder.appendingPathComponent(ReleaseLayout.dataPackage), encoding: .utf8)
        // Exact decimals, and no escaped slash.
        #expect(text.contains("\"maximum\" : 99.75,\n"))
        #expect(text.contains("\"minimum\" : 0.05\n"))
        #expect(text.contains("\"Huế/Thừa Thiên\""))
        #expect(text.contains("\"Hải \\\"Phòng\\\"\""))
        let package = try JSONDecoder().decode(DataPackage.self, from: Data(text.utf8))
        let table = try #require(package.resources.first { $0.isMainTable })
        #expect(table.schema?.foreignKeys == [.init(fields: ["parent"], reference: .init(resource: nil, fields: ["code"]))])
        #expect(table.schema?.fields[3].constraints?.minimum == Decimal(string: "0.05"))
        #expect(table.schema?.fields.first?.constraints?.allowed == nil)
        #expect(table.schema?.fields[2].constraints?.allowed == [.text("Hà Nội"), .text("Hải \"Phòng\""), .text("Huế/Thừa Thiên")])
        // A removed row is listed with an empty cell as null.
        let changes = try String(contentsOf: folder.appendingPathComponent(ReleaseLayout.changeLog), encoding: .utf8)
        let log = try JSONDecoder().decode(ChangeLog.self, from: Data(changes.utf8))
        let entry = try #require(log.datasets.first)
        #expect(entry.removed?.rows == [["code": "31", "parent": "01", "name": "Hải \"Phòng\"", "share": "0.05", "Note": nil]])
        #expect(entry.added?.rows == [["code": "46", "parent": "01", "name": "Huế/Thừa Thiên", "share": "99.75", "Note": "x"]])
        // JSONSerialization's key order (case-insensitive: name, Note, parent), not JSONEncoder's (Note first).
        let removed = try #require(changes.range(of: "\"removed\""))
        let keys = ["\"code\"", "\"name\"", "\"Note\" : null", "\"parent\"", "\"share\""].map {
            changes.range(of: $0, range: removed.upperBound..<changes.endIndex)?.lowerBound
        }
        #expect(keys.allSatisfy { $0 != nil } && keys.map { $0! } == keys.map { $0! }.sorted())
        #expect(entry.revised?.values == [.init(key: ["code": "01"], field: "share", old: "17.90", new: "17.95")])
        // The untyped writer gives the same bytes for the same document.
        let untyped = try JSONSerialization.jsonObject(with: Data(changes.utf8))
        #expect(try JSONWriter.serialize(untyped, path: "x", pretty: true) + [0x0A] == Array(changes.utf8))
    }

    @Test func aFirstReleaseHasANullPreviousRelease() throws {
        let log = ChangeLog(release: "R", previousRelease: nil, datasets: [.init(id: "d", change: .new, rows: 2)])
        let text = String(decoding: try log.encoded(path: "changes.json"), as: UTF8.self)
        #expect(
            text
                == "{\n  \"datasets\" : [\n    {\n      \"change\" : \"new\",\n      \"id\" : \"d\",\n      \"rows\" : 2\n    }\n  ],\n  \"previousRelease\" : null,\n  \"release\" : \"R\"\n}"
        )
    }

    // MARK: A previous document that does not decode

    private func damage(_ body: () throws(PipelineFailure) -> Void) -> (release: String, problems: [String])? {
        do throws(PipelineFailure) {
            try body()
        } catch {
            if case let .damagedRelease(release, problems) = error { return (release, problems) }
        }
        return nil
    }

    @Test func aMalformedDataPackageIsAnErrorNamingTheFileAndWhereItDiffers() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.appendingPathComponent("20180918T020000Z/p")
        #expect(try DataPackage.read(pipelineFolder: folder) == nil)
        try directory.write("{\"resources\": []", to: "20180918T020000Z/p/datapackage.json")
        let notJSON = damage { () throws(PipelineFailure) in _ = try DataPackage.read(pipelineFolder: folder) }
        #expect(notJSON?.release == "20180918T020000Z")
        #expect(notJSON?.problems == ["p/datapackage.json: not a Data Package (not JSON)"])
        let package = DataPackage(
            profile: "x", name: "p", id: "u", title: "t", titles: .init(vi: "t", en: "t"), description: "d",
            descriptions: .init(vi: "d", en: "d"), homepage: "u", created: "c", licenses: [], sources: [], contributors: [],
            resources: [])
        var object = try #require(JSONSerialization.jsonObject(with: Data(package.encoded(path: "x"))) as? [String: Any])
        object["resources"] = [["name": "d"]]
        try directory.write(try JSONSerialization.data(withJSONObject: object), to: "20180918T020000Z/p/datapackage.json")
        let missing = damage { () throws(PipelineFailure) in _ = try DataPackage.read(pipelineFolder: folder) }
        #expect(missing?.problems == ["p/datapackage.json: not a Data Package (at .resources[0]: 'path' is missing)"])
        object["resources"] = []
        object["created"] = 5
        try directory.write(try JSONSerialization.data(withJSONObject: object), to: "20180918T020000Z/p/datapackage.json")
        let mistyped = damage { () throws(PipelineFailure) in _ = try DataPackage.read(pipelineFolder: folder) }
        #expect(mistyped?.problems == ["p/datapackage.json: not a Data Package (at .created: expected a string)"])
        // The site's pages and catalogue stop on it rather than leave the pipeline out.
        let catalog = damage { () throws(PipelineFailure) in
            _ = try SiteCatalog(folder: folder.deletingLastPathComponent(), release: ReleaseInfo(id: "x", date: Date())).pipelineFolders()
        }
        #expect(catalog?.problems == mistyped?.problems)
    }

    /// Replaces a file of a release and records it in `release.json`, `SHA256SUMS` and
    /// `.complete`, as a release written that way would be (it verifies file by file).
    private func reseal(_ release: URL, _ relative: String, with text: String) throws {
        try Data(text.utf8).write(to: release.appendingPathComponent(relative))
        var manifest = try #require(ReleaseManifest.read(from: release.appendingPathComponent(ReleaseLayout.manifest)))
        let index = try #require(manifest.files.firstIndex { $0.path == relative })
        manifest.files[index].bytes = text.utf8.count
        manifest.files[index].sha256 = Digest.sha256(Data(text.utf8))
        let bytes = try manifest.encoded()
        try Data(bytes).write(to: release.appendingPathComponent(ReleaseLayout.manifest))
        try Data(manifest.sums.utf8).write(to: release.appendingPathComponent(ReleaseLayout.sums))
        try Data((Digest.sha256(bytes) + "\n").utf8).write(to: release.appendingPathComponent(ReleaseLayout.completionMarker))
    }

    @Test(arguments: [
        ("datapackage.json", "{}", "not a Data Package (at the top: '$schema' is missing)"),
        ("history.json", "{\"entries\": 5}", "not a feed history (at .entries: expected an array)"),
        ("data/d.json", "[]", "not a dataset's JSON file (expected an object whose 'records' is an array of objects)"),
    ])
    func aRunStopsOnAPreviousDocumentThatDoesNotDecodeAndChangesNothing(file: String, text: String, problem: String) throws {
        let directory = try TemporaryDirectory()
        let write = { (population: String) throws -> String in
            try directory.write("area,population\nHà Nội,\(population)\n", to: "Pipelines/p/t.csv")
            return try directory.write(
                testPipelineHeader + """

                      - id: d
                        title: {vi: Dân số, en: Population}
                        description: {vi: Dân số, en: Population}
                        publish: [csv, json, rss]
                        source: {type: csv, path: p/t.csv}
                        fields:
                          - {name: area, type: string}
                          - {name: population, type: integer}
                        primaryKey: [area]
                        tests:
                          - {name: no-jump, maximumChange: {field: population, percent: 50, key: [area]}}
                        feed: {vi: "{area}: {population}", en: "{area}: {population}"}

                    """, to: "Pipelines/p.yml")
        }
        var runner = runner(directory, at: 1_537_236_000)
        runner.digestSettleSeconds = 1e9
        let first = try runner.run([PipelineLoader().load(path: write("8053"))])
        let id = try #require(first.releaseID)
        let release = directory.url.appendingPathComponent("Output/\(ReleaseLayout.release(id))")
        try reseal(release, ReleaseLayout.inPipeline("test-pipeline", file), with: text)
        #expect(ReleaseVerifier().problems(release: release).allSatisfy { $0.hasPrefix("test-pipeline/datapackage.json: ") })
        let before = snapshot(of: directory.url.appendingPathComponent("Output"))
        let pipeline = try PipelineLoader().load(path: write("8246"))
        var later = self.runner(directory, at: 1_537_239_600)
        later.digestSettleSeconds = 1e9
        let second = later
        var status: Int32?
        let found = damage { () throws(PipelineFailure) in
            do throws(PipelineFailure) {
                _ = try second.run([pipeline])
            } catch {
                status = error.exitStatus
                throw error
            }
        }
        #expect(found?.release == id)
        #expect(found?.problems == ["test-pipeline/\(file): \(problem)"])
        #expect(status == 74)
        #expect(snapshot(of: directory.url.appendingPathComponent("Output")) == before)
    }

    @Test func aMalformedHistoryIsAnErrorNotAnEmptyHistory() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.appendingPathComponent("R/p")
        #expect(try FeedHistory.read(pipelineFolder: folder) == nil)
        try directory.write("{\"entries\": [{\"id\": 3}]}", to: "R/p/history.json")
        let failure = damage { () throws(PipelineFailure) in _ = try FeedHistory.read(pipelineFolder: folder) }
        #expect(failure?.problems == ["p/history.json: not a feed history (at .entries[0].id: expected a string)"])
    }
}
