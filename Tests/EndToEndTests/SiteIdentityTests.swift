import Foundation
import Testing

/// The site's identity comes from `Pipelines/site.yml`, never from whichever pipeline sorts first:
/// adding a pipeline keeps the site feeds' id, self links, title and entry ids (read by feedparser).
@Suite("Site identity")
struct SiteIdentityTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"]

    /// A pipeline that sorts before the example's, on another host and by another publisher.
    static let firstPipeline = """
        id: aaa-statistics
        title: {vi: Thống kê, en: Statistics}
        description: {vi: Một bộ số liệu, en: One dataset}
        publisher: {name: Cục Thống kê (Statistics Office), url: https://thongke.example.vn}
        license: {name: CC-BY-4.0, path: https://creativecommons.org/licenses/by/4.0/}
        baseURL: https://thongke.example.vn
        timeZone: Asia/Ho_Chi_Minh
        datasets:
          - id: counts
            title: {vi: Số đếm, en: Counts}
            description: {vi: Số đếm theo năm, en: Counts by year}
            source: {type: csv, path: aaa-statistics/counts.csv}
            fields:
              - {name: year, type: year}
              - {name: count, type: integer}
            primaryKey: [year]
            feed: {vi: "{year}: {count}", en: "{year}: {count}"}

        """

    static func addFirstPipeline(_ workspace: Workspace) throws {
        try FileManager.default.createDirectory(at: workspace.file("Pipelines/aaa-statistics"), withIntermediateDirectories: true)
        try "year,count\n2019,5\n2020,7\n".write(to: workspace.file("Pipelines/aaa-statistics/counts.csv"), atomically: true, encoding: .utf8)
        try firstPipeline.write(to: workspace.file("Pipelines/aaa-statistics.yml"), atomically: true, encoding: .utf8)
    }

    /// What feedparser reads of each site feed (Python's json each JSON Feed): id, self link, title and entry ids.
    static let readFeeds = """
        import feedparser, json, sys
        result = {}
        for name in ["feed.json", "feed.en.json"]:  # feedparser reads no JSON Feed
            with open(sys.argv[1] + "/" + name, encoding="utf-8") as handle:
                feed = json.load(handle)
            result[name] = {"id": None, "self": [feed["feed_url"]], "title": feed["title"], "entries": [i["id"] for i in feed["items"]]}
        for name in ["feed.atom", "feed.en.atom", "feed.rss", "feed.en.rss"]:
            feed = feedparser.parse(sys.argv[1] + "/" + name)
            assert not feed.bozo, (name, feed.get("bozo_exception"))
            selfs = [l["href"] for l in feed.feed.get("links", []) if l.get("rel") == "self"]
            result[name] = {"id": feed.feed.get("id"), "self": selfs, "title": feed.feed.get("title"),
                            "entries": [e.get("id") for e in feed.entries]}
        print(json.dumps(result))
        """

    static func feeds(_ workspace: Workspace) throws -> [String: [String: Any]] {
        let result = try run(
            URL(fileURLWithPath: try #require(python)), ["-c", readFeeds, workspace.file("Output/current").path], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]])
    }

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with feedparser"))
    func addingAPipelineThatSortsFirstKeepsTheSiteFeedsIdentity() throws {
        let workspace = try Workspace()
        let first = try opendata(["run", "-q", "--now", "2018-09-18T09:00:00+07:00"], in: workspace.url)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Self.feeds(workspace)
        try Self.addFirstPipeline(workspace)
        let second = try opendata(["run", "--now", "2018-09-19T09:00:00+07:00"], in: workspace.url)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stderr.contains("no site file"), "site.yml is there: no fallback warning")
        let after = try Self.feeds(workspace)
        #expect(before["feed.atom"]?["id"] as? String == "tag:opendata.hanoi.example.vn,2018:site")
        #expect(before["feed.en.atom"]?["id"] as? String == "tag:opendata.hanoi.example.vn,2018:site:en")
        #expect(before["feed.atom"]?["self"] as? [String] == ["https://opendata.hanoi.example.vn/feed.atom"])
        #expect(before["feed.en.rss"]?["self"] as? [String] == ["https://opendata.hanoi.example.vn/feed.en.rss"])
        #expect(before["feed.atom"]?["title"] as? String == "Dữ liệu mở")
        for (name, feed) in before {
            let later = try #require(after[name])
            #expect((later["id"] as? String) == (feed["id"] as? String), "\(name): id")
            #expect(later["self"] as? [String] == feed["self"] as? [String], "\(name): self link")
            #expect(later["title"] as? String == feed["title"] as? String, "\(name): title")
            let old = feed["entries"] as? [String] ?? []
            let new = later["entries"] as? [String] ?? []
            #expect(!old.isEmpty, "\(name): entries before")
            #expect(Set(old).isSubset(of: Set(new)), "\(name): the old entry ids are kept")
            #expect(new.contains { $0.hasPrefix("tag:thongke.example.vn,2018-09-19:aaa-statistics/counts/") }, "\(name): the new item")
        }
        // Nothing changed: nothing is published.
        let same = try opendata(["run", "--now", "2018-09-20T09:00:00+07:00"], in: workspace.url)
        #expect(same.status == 0 && same.stderr.contains("unchanged: the current release already holds this content"), "\(same.stderr)")
        // A change of the site file alone is published: its title reaches the feeds, the id stays.
        try workspace.edit("Pipelines/site.yml", replacing: "  en: Open data", with: "  en: Hanoi open data")
        let third = try opendata(["run", "--now", "2018-09-20T09:00:00+07:00"], in: workspace.url)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("the site file changed: the site's feeds, catalogue and pages are published again"), "\(third.stderr)")
        let retitled = try Self.feeds(workspace)
        #expect(retitled["feed.en.atom"]?["title"] as? String == "Hanoi open data")
        #expect(retitled["feed.en.atom"]?["id"] as? String == "tag:opendata.hanoi.example.vn,2018:site:en")
    }

    @Test func withoutASiteFilePipelinesThatDisagreeStopTheRunNamingEach() throws {
        let workspace = try Workspace()
        try FileManager.default.removeItem(at: workspace.file("Pipelines/site.yml"))
        let first = try opendata(["run", "--now", "2018-09-18T09:00:00+07:00"], in: workspace.url)
        #expect(first.status == 0, "\(first.stderr)")
        // The fallback is said, with each value it chose.
        #expect(
            first.stderr.contains(
                "no site file site.yml beside the pipeline files: the site feeds and catalogue use baseURL https://opendata.hanoi.example.vn, "
                    + "title 'Dữ liệu mở' / 'Open data', publisher 'Sở Thông tin và Truyền thông Hà Nội (Hanoi Department of Information and Communications)', "
                    + "feed id tag:opendata.hanoi.example.vn,2018:site"), "\(first.stderr)")
        let atom = try workspace.read("Output/current/feed.atom")
        #expect(atom.contains("<id>tag:opendata.hanoi.example.vn,2018:site</id>"))
        let before = workspace.snapshotOfOutputWithoutDigestCache()
        try Self.addFirstPipeline(workspace)
        let second = try opendata(["run", "--now", "2018-09-19T09:00:00+07:00"], in: workspace.url)
        #expect(second.status == 78, "\(second.stderr)")
        #expect(
            second.stderr.contains(
                "error: Pipelines/site.yml: there is no site file, and the pipelines give different baseURLs "
                    + "(aaa-statistics: https://thongke.example.vn; vietnam-digital-government: https://opendata.hanoi.example.vn; "
                    + "vietnam-provinces: https://opendata.hanoi.example.vn)"), "\(second.stderr)")
        #expect(workspace.snapshotOfOutputWithoutDigestCache() == before, "nothing was published")
    }

    @Test func withoutASiteFilePipelinesOfDifferentPublishersStopTheRun() throws {
        let workspace = try Workspace()
        try FileManager.default.removeItem(at: workspace.file("Pipelines/site.yml"))
        try Self.addFirstPipeline(workspace)
        try workspace.edit(
            "Pipelines/aaa-statistics.yml", replacing: "baseURL: https://thongke.example.vn", with: "baseURL: https://opendata.hanoi.example.vn")
        let result = try opendata(["run", "--now", "2018-09-18T09:00:00+07:00"], in: workspace.url)
        #expect(result.status == 78, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "error: Pipelines/site.yml: there is no site file, and the pipelines give different publishers "
                    + "(aaa-statistics: Cục Thống kê (Statistics Office); vietnam-digital-government: Sở Thông tin"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.file("Output/current").path), "nothing was published")
    }

    @Test(arguments: [
        (
            "tile: {vi: a, en: b}\n",
            "Pipelines/site.yml, line 1, column 1, 'tile': unknown key 'tile'; expected one of: title, publisher, baseURL, contact, languages",
            "unknown-key"
        ),
        (
            "contact: {email: not-an-address}\n",
            "Pipelines/site.yml, line 1, column 18, 'contact.email': expected an e-mail address such as opendata@example.gov.vn, found 'not-an-address'",
            "invalid-value"
        ),
        (
            "languages: [vi, xx]\n",
            "Pipelines/site.yml, line 1, column 17, 'languages[1]': unknown language 'xx'; expected one of: vi, en, fr, de, es, ru, zh, ja, ko, km, lo, th",
            "invalid-value"
        ),
        (
            "baseURL: ftp://x.example\n",
            "Pipelines/site.yml, line 1, column 10, 'baseURL': expected an absolute http or https URL such as https://opendata.example.gov.vn, found 'ftp://x.example'",
            "invalid-value"
        ),
    ])
    func aBadSiteFileStopsRunAndValidateAtItsPosition(line: String, message: String, code: String) throws {
        let workspace = try Workspace()
        var text = try workspace.read("Pipelines/site.yml")
        let key = line.prefix { $0 != ":" }
        // Replace the key's own line(s) with the bad one, at the top, so its position is line 1.
        text = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        if let range = text.range(of: "\(key):") {
            let end = text[range.upperBound...].range(of: "\n")?.lowerBound ?? text.endIndex
            var rest = text[end...].dropFirst()
            while rest.hasPrefix("  ") { rest = rest.drop { $0 != "\n" }.dropFirst() }
            text = String(text[..<range.lowerBound]) + String(rest)
        }
        try (line + text).write(to: workspace.file("Pipelines/site.yml"), atomically: true, encoding: .utf8)
        for command in ["run", "validate"] {
            let result = try opendata([command], in: workspace.url)
            #expect(result.status == 78, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("error: \(message)"), "\(command): \(result.stderr)")
            let json = try opendata([command, "--log-format", "json"], in: workspace.url)
            #expect(json.stderr.contains("\"code\":\"\(code)\""), "\(command): \(json.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.file("Output/current").path))
    }

    @Test func theSiteFileIsNeverReadAsAPipeline() throws {
        let workspace = try Workspace()
        let listed = try opendata(["list"], in: workspace.url)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(!listed.stdout.contains("site"), "\(listed.stdout)")
        let named = try opendata(["run", "site"], in: workspace.url)
        #expect(named.status == 78)
        #expect(
            named.stderr.contains(
                "error: site: site.yml is the site file (the site's title, publisher and baseURL), not a pipeline"), "\(named.stderr)")
    }
}
