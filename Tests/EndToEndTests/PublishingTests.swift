import Foundation
import LibXML
import Testing

/// What cron, journalists and developers rely on across runs: change
/// detection, revisions in words and numbers, dry runs, rollback, pruning,
/// reproducible releases, the lock and the logs.
@Suite("Publishing across runs, end to end")
struct PublishingTests {
    private static let indicators = "Pipelines/vietnam-digital-government/digital-indicators-2018.csv"
    private static let folder = "Output/current/vietnam-digital-government"

    private func releases(_ workspace: Workspace) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: workspace.file("Output/releases").path).sorted()
    }

    private func manifest(_ workspace: Workspace) throws -> [String: Any] {
        let data = try Data(contentsOf: workspace.file("Output/current/release.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func fileHashes(_ workspace: Workspace) throws -> [String: String] {
        let files = try #require(try manifest(workspace)["files"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as! String, $0["sha256"] as! String) })
    }

    /// Revises the number of internet users (52 million → `millions` million); the
    /// report's own figures are guarded by data tests, so the example's revisions happen here.
    private func reviseInternetUsers(_ workspace: Workspace, to millions: Int = 53) throws {
        let text = try workspace.read(Self.indicators)
        let revised = text.replacing(/;\d+ triệu;/, with: ";\(millions) triệu;")
        try revised.write(to: workspace.file(Self.indicators), atomically: true, encoding: .utf8)
    }

    @Test func runningTwiceOnTheSameInputsPublishesOnce() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "-q", "--now", "2018-09-18T09:00:00+07:00"], in: workspace.url).status == 0)
        let before = workspace.snapshotOfOutputWithoutDigestCache()
        let second = try opendata(["run", "--now", "2018-09-19T09:00:00+07:00"], in: workspace.url)
        #expect(second.status == 0)
        #expect(second.stdout.hasPrefix("unchanged"))
        #expect(workspace.snapshotOfOutputWithoutDigestCache() == before)
        // A pipeline file that changes only in a comment reads every source and still finds nothing new.
        try workspace.edit("Pipelines/vietnam-digital-government.yml", replacing: "# Digital government", with: "# (edited) Digital government")
        let third = try opendata(["run", "--now", "2018-09-20T09:00:00+07:00"], in: workspace.url)
        #expect(third.status == 0)
        #expect(third.stdout.hasPrefix("unchanged"))
        #expect(workspace.snapshotOfOutputWithoutDigestCache() == before)
    }

    @Test func aRevisedValueMakesAReleaseWhoseFeedsSayWhatChanged() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "-q", "--now", "2018-09-18T09:00:00+07:00"], in: workspace.url).status == 0)
        let hashesBefore = try fileHashes(workspace)
        try reviseInternetUsers(workspace)
        let result = try opendata(["run", "--now", "2018-09-25T09:00:00+07:00"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try releases(workspace) == ["20180918T020000Z", "20180925T020000Z"])
        let hashesAfter = try fileHashes(workspace)
        let changed = Set(hashesAfter.keys.filter { hashesBefore[$0] != hashesAfter[$0] })
        // Only the dataset fed by the indicators file changed its data files.
        let dataFiles = changed.filter { $0.contains("/data/") }.map { URL(fileURLWithPath: $0).lastPathComponent.components(separatedBy: ".")[0] }
        #expect(Set(dataFiles) == ["vietnam-internet-2018"])
        #expect(!changed.contains("vietnam-digital-government/data/hanoi-online-public-services.json"))

        let feed = try Document(parsing: Array(try workspace.read("\(Self.folder)/feed.en.rss").utf8), source: "feed.en.rss")
        let descriptions = try feed.xpath().nodes(XPathQuery("/rss/channel/item/description")).map(\.content)
        #expect(descriptions.count == 7)  // 6 first publications (every dataset has items), 1 revision
        #expect(descriptions.first == "internet_users, Việt Nam, 2018: Value revised from 52,000,000 to 53,000,000.")
        let vietnamese = try workspace.read("\(Self.folder)/feed.rss")
        #expect(vietnamese.contains("internet_users, Việt Nam, 2018: Giá trị điều chỉnh từ 52.000.000 thành 53.000.000."))
        let guids = try feed.xpath().nodes(XPathQuery("/rss/channel/item/guid")).map(\.content)
        #expect(Set(guids).count == guids.count)

        let changes = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.file("\(Self.folder)/changes.json"))) as? [String: Any])
        #expect(changes["previousRelease"] as? String == "20180918T020000Z")
        let datasets = try #require(changes["datasets"] as? [[String: Any]])
        #expect(datasets.first { $0["id"] as? String == "hanoi-online-public-services" }?["change"] as? String == "unchanged")
        let internetChange = try #require(datasets.first { $0["id"] as? String == "vietnam-internet-2018" })
        #expect(internetChange["change"] as? String == "revised")
        let revised = try #require((internetChange["revised"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(revised.count == 1)
        #expect(revised.contains { $0["field"] as? String == "value" && $0["old"] as? String == "52000000" && $0["new"] as? String == "53000000" })

        // The unchanged dataset keeps the date its data last changed; the revised one gets the new one.
        let internet = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.file("\(Self.folder)/data/vietnam-internet-2018.json")))
                as? [String: Any])
        #expect(internet["dataModified"] as? String == "2018-09-25T09:00:00+07:00")
        let online = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: workspace.file("\(Self.folder)/data/hanoi-online-public-services.json"))) as? [String: Any])
        #expect(online["dataModified"] as? String == "2018-09-18T09:00:00+07:00")
    }

    @Test func aDryRunShowsTheRevisionAndPublishesNothing() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "-q"], in: workspace.url).status == 0)
        let before = workspace.snapshotOfOutput()
        try reviseInternetUsers(workspace)
        let result = try opendata(["run", "--dry-run"], in: workspace.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("dry run"))
        #expect(result.stdout.contains("value: 52000000 → 53000000"))
        #expect(result.stdout.contains("vietnam-digital-government/data/vietnam-internet-2018.csv"))
        #expect(workspace.snapshotOfOutput() == before)
    }

    @Test func rollsBackAndPrunesWithoutTouchingTheCurrentRelease() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "-q", "--now", "1537236000"], in: workspace.url).status == 0)
        try reviseInternetUsers(workspace, to: 53)
        #expect(try opendata(["run", "-q", "--now", "1537322400"], in: workspace.url).status == 0)
        let listed = try opendata(["releases"], in: workspace.url)
        #expect(listed.stdout.contains("* 20180919T020000Z"))
        let rollback = try opendata(["rollback"], in: workspace.url)
        #expect(rollback.status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: workspace.file("Output/current").path) == "releases/20180918T020000Z")
        #expect(try opendata(["rollback", "20180919T020000Z"], in: workspace.url).status == 0)
        #expect(try opendata(["rollback", "no-such-release"], in: workspace.url).status == 64)
        // A third release with --keep 1 removes both older ones.
        try reviseInternetUsers(workspace, to: 54)
        #expect(try opendata(["run", "-q", "--now", "1537408800", "--keep", "1"], in: workspace.url).status == 0)
        #expect(try releases(workspace) == ["20180920T020000Z"])
    }

    @Test func fixedReleaseTimesGiveByteIdenticalReleases() throws {
        let workspace = try Workspace()
        let environment = ["SOURCE_DATE_EPOCH": "1537236000"]
        #expect(try opendata(["run", "-q", "--output", "A"], in: workspace.url, environment: environment).status == 0)
        #expect(try opendata(["run", "-q", "--output", "B"], in: workspace.url, environment: environment).status == 0)
        let first = workspace.snapshot(of: workspace.file("A/releases"))
        let second = workspace.snapshot(of: workspace.file("B/releases"))
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test func aSecondRunExitsWith75WhileTheFirstHoldsTheLockOrWaitsForIt() throws {
        let workspace = try Workspace()
        let first = try startOpendata(["run", "-q"], in: workspace.url, environment: ["OPENDATA_FAULT_PAUSE_AT": "staging-created:3"])
        // Wait until the first run holds the lock (its staging folder exists).
        let releasesFolder = workspace.file("Output/releases").path
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: releasesFolder)) ?? []
            if names.contains(where: { $0.hasSuffix(".partial") }) { break }
            usleep(50_000)
        }
        let second = try opendata(["run", "-q"], in: workspace.url)
        #expect(second.status == 75)
        #expect(second.stderr.contains("another run holds the lock"))
        let waiting = try opendata(["run", "--wait", "30"], in: workspace.url)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(waiting.status == 0)
        #expect(waiting.stdout.hasPrefix("unchanged"))
    }

    @Test func writesJSONLogLinesWhenAsked() throws {
        let workspace = try Workspace()
        let result = try opendata(["run", "--log-format", "json"], in: workspace.url)
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(object["level"] != nil && object["message"] != nil && object["time"] != nil)
        }
        #expect(lines.contains { $0.contains("\"message\":\"release published\"") })
    }
}
