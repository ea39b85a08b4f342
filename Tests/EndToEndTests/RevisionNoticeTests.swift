import Foundation
import LibXML
import Testing

/// Releases that change published figures say so: feed items titled "Revised
/// figures" / "Điều chỉnh số liệu", or "Correction" / "Đính chính" with
/// `--correction`, and `--note` stored in release.json and changes.json and shown
/// on pages and in every feed, as text whatever it holds.
@Suite("Revisions and corrections, end to end")
struct RevisionNoticeTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"]
    static let markupScript = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_markup.py")
    static let hostileNote = "<script>alert(1)</script> ]]><b>x</b> & \"q\" 'a'\r\nline 2\rline 3"
    static let storedNote = "<script>alert(1)</script> ]]><b>x</b> & \"q\" 'a'\nline 2\nline 3"

    /// A pipeline `stats` of one dataset `counts` (year, value) with feeds.
    static let pipeline = """
        id: stats
        title: {vi: Thống kê, en: Statistics}
        description: {vi: Mô tả, en: Description}
        publisher: {name: Cục Thống kê}
        license: {name: CC-BY-4.0}
        baseURL: https://data.example.vn
        timeZone: Asia/Ho_Chi_Minh
        datasets:
          - id: counts
            title: {vi: Số liệu, en: Counts}
            description: {vi: Mô tả, en: Description}
            source: {type: csv, path: stats/counts.csv}
            fields:
              - {name: year, type: year}
              - {name: value, type: integer}
            primaryKey: [year]
            publish: [csv, rss]
            feed: {vi: "Năm {year}: {value}", en: "{year}: {value}"}
        """

    final class Site {
        let workspace: Workspace

        init() throws {
            workspace = try Workspace()
            try FileManager.default.removeItem(at: workspace.file("Pipelines"))
            try FileManager.default.createDirectory(at: workspace.file("Pipelines/stats"), withIntermediateDirectories: true)
            try RevisionNoticeTests.pipeline.write(to: workspace.file("Pipelines/stats.yml"), atomically: true, encoding: .utf8)
            try data("2017,10", "2018,20")
        }

        func data(_ rows: String...) throws {
            try (["year,value"] + rows).map { $0 + "\r\n" }.joined().write(
                to: workspace.file("Pipelines/stats/counts.csv"), atomically: true, encoding: .utf8)
        }

        func publish(at time: String, _ arguments: [String] = []) throws -> ProcessResult {
            try opendata(["run", "--now", time, "--quiet"] + arguments, in: workspace.url)
        }

        var release: URL { workspace.file("Output/current").resolvingSymlinksInPath() }

        func json(_ path: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: release.appendingPathComponent(path))) as? [String: Any])
        }

        /// The newest item of the pipeline's JSON Feed in `language` (vi: `feed.json`).
        func newestJSONItem(_ file: String) throws -> [String: Any] {
            try #require((try json(file)["items"] as? [[String: Any]])?.first)
        }

        /// The newest item's title in each of the pipeline's RSS, Atom and JSON feeds, by libxml2 and Foundation.
        func newestTitles(language: String) throws -> [String] {
            let suffix = language == "vi" ? "" : ".\(language)"
            var titles: [String] = []
            for (file, item) in [("rss", "item"), ("atom", "entry")] {
                let path = release.appendingPathComponent("stats/feed\(suffix).\(file)")
                let root = try #require(try Document(parsing: Array(try Data(contentsOf: path)), source: path.path).root)
                let first = try #require(RevisionNoticeTests.elements(root, named: item).first)
                titles.append(try #require(RevisionNoticeTests.elements(first, named: "title").first).content)
            }
            titles.append(try newestJSONItem("stats/feed\(suffix).json")["title"] as? String ?? "")
            return titles
        }
    }

    static func elements(_ node: Node, named name: String) -> [Node] {
        node.children.filter { $0.name == name } + node.children.flatMap { elements($0, named: name) }
    }

    @Test func feedItemsSayRevisedFiguresOnlyWhenPublishedFiguresChange() throws {
        let site = try Site()
        #expect(try site.publish(at: "2019-01-01T09:00:00+07:00").status == 0)
        #expect(try site.newestTitles(language: "en") == ["Counts", "Counts", "Counts"])
        // A new row only: new figures, nothing published before changes.
        try site.data("2017,10", "2018,20", "2019,30")
        #expect(try site.publish(at: "2019-02-01T09:00:00+07:00").status == 0)
        #expect(try site.newestTitles(language: "en") == ["Counts", "Counts", "Counts"])
        #expect(try site.newestJSONItem("stats/feed.en.json")["content_text"] as? String == "1 new row.")
        // A published figure changes: a revision, in both languages and every format.
        try site.data("2017,10", "2018,25", "2019,30")
        #expect(try site.publish(at: "2019-03-01T09:00:00+07:00").status == 0)
        #expect(try site.newestTitles(language: "en") == Array(repeating: "Revised figures: Counts", count: 3))
        #expect(try site.newestTitles(language: "vi") == Array(repeating: "Điều chỉnh số liệu: Số liệu", count: 3))
        let history = try #require(try site.json("stats/history.json")["entries"] as? [[String: Any]])
        #expect(history.map { $0["kind"] as? String } == ["revision", nil, nil])
        // A removed row is a revision too.
        try site.data("2018,25", "2019,30")
        #expect(try site.publish(at: "2019-04-01T09:00:00+07:00").status == 0)
        #expect(try site.newestTitles(language: "en") == Array(repeating: "Revised figures: Counts", count: 3))
    }

    @Test func aCorrectionWithANoteIsTitledAndAnnotatedAsTextEverywhere() throws {
        let site = try Site()
        #expect(try site.publish(at: "2019-01-01T09:00:00+07:00").status == 0)
        try site.data("2017,11", "2018,20")
        let run = try site.publish(at: "2019-02-01T09:00:00+07:00", ["--correction", "--note", Self.hostileNote])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try site.newestTitles(language: "en") == Array(repeating: "Correction: Counts", count: 3))
        #expect(try site.newestTitles(language: "vi") == Array(repeating: "Đính chính: Số liệu", count: 3))
        // Stored in the release, with CR LF and CR as LF.
        let manifest = try site.json("release.json")
        #expect(manifest["note"] as? String == Self.storedNote)
        #expect(manifest["correction"] as? Bool == true)
        let changes = try site.json("stats/changes.json")
        #expect(changes["note"] as? String == Self.storedNote)
        #expect(changes["correction"] as? Bool == true)
        let sentence = "2017: value revised from 10 to 11."
        let english = "\(sentence) Note: \(Self.storedNote)"
        #expect(try site.newestJSONItem("stats/feed.en.json")["content_text"] as? String == english)
        #expect(
            try site.newestJSONItem("stats/feed.json")["content_text"] as? String
                == "2017: value điều chỉnh từ 10 thành 11. Ghi chú: \(Self.storedNote)")
        // libxml2 reads the note back as text in Atom, and as escaped HTML in RSS.
        let atom = site.release.appendingPathComponent("stats/feed.en.atom")
        let atomRoot = try #require(try Document(parsing: Array(try Data(contentsOf: atom)), source: atom.path).root)
        let summary = try #require(Self.elements(atomRoot, named: "summary").first)
        #expect(summary.content == english)
        #expect(summary.attribute("type") == "text")
        let rss = site.release.appendingPathComponent("stats/feed.en.rss")
        let rssRoot = try #require(try Document(parsing: Array(try Data(contentsOf: rss)), source: rss.path).root)
        let description = try #require(Self.elements(rssRoot, named: "description").dropFirst().first)
        #expect(description.content == HostileTextTests.escapedHTML(english))
        let rawRSS = try String(contentsOf: rss, encoding: .utf8)
        #expect(!rawRSS.contains("<script>") && !rawRSS.contains("]]><b>"))
        let history = try #require(try site.json("stats/history.json")["entries"] as? [[String: Any]])
        #expect(history.first?["kind"] as? String == "correction")
        #expect(history.first?["note"] as? String == Self.storedNote)
    }

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with feedparser"))
    func feedparserAndHTMLParserReadTheNoteAsText() throws {
        let site = try Site()
        #expect(try site.publish(at: "2019-01-01T09:00:00+07:00").status == 0)
        try site.data("2017,11", "2018,20")
        #expect(try site.publish(at: "2019-02-01T09:00:00+07:00", ["--note", Self.hostileNote]).status == 0)
        let english = "2017: value revised from 10 to 11. Note: \(Self.storedNote)"
        let python = URL(fileURLWithPath: try #require(Self.python))
        let feeds = ["stats/feed.en.rss", "stats/feed.en.atom"].map { site.release.appendingPathComponent($0).path }
        let output = try run(python, [Self.markupScript.path, "feeds"] + feeds, in: site.workspace.url)
        #expect(output.status == 0, "\(output.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: [String: Any]])
        var htmlSummaries: [String] = []
        for feed in feeds {
            let entry = try #require((result[feed]?["entries"] as? [[String: Any]])?.first, "\(feed)")
            #expect(result[feed]?["bozo"] as? Bool == false, "\(feed)")
            #expect(entry["title"] as? String == "Revised figures: Counts", "\(feed)")
            if entry["summary_type"] as? String == "text/html" {
                htmlSummaries.append(entry["summary"] as? String ?? "")
            } else {
                #expect(entry["summary"] as? String == english, "\(feed)")
            }
        }
        #expect(htmlSummaries.count == 1, "RSS's description is HTML to feedparser")
        for parsed in try HostileTextTests.fragments(htmlSummaries, python: python.path) {
            #expect(parsed.tags.isEmpty)
            #expect(parsed.text == english)
        }
        // The dataset's page lists the change with its note, as text: no element of the note's.
        let page = site.release.appendingPathComponent("stats/counts.en.html").path
        let html = try run(python, [Self.markupScript.path, "html", page], in: site.workspace.url)
        let read = try #require((try JSONSerialization.jsonObject(with: Data(html.stdout.utf8)) as? [String: [String: Any]])?[page])
        #expect((read["text"] as? String)?.contains(english) == true)
        let tags = (read["tags"] as? [[Any]] ?? []).compactMap { $0.first as? String }
        #expect(!tags.contains("b"))
        #expect(tags.filter { $0 == "script" }.count == 1, "only the JSON-LD")
    }

    @Test func aNoteOnARunThatPublishesNothingIsAWarning() throws {
        let site = try Site()
        #expect(try site.publish(at: "2019-01-01T09:00:00+07:00").status == 0)
        let before = site.workspace.snapshotOfOutputWithoutDigestCache()
        let result = try site.publish(at: "2019-02-01T09:00:00+07:00", ["--note", "checked again", "--correction"])
        #expect(result.status == 0)
        #expect(
            result.stderr.contains("warning: nothing changed, so no release was published: --note and --correction were not stored"),
            "\(result.stderr)")
        #expect(site.workspace.snapshotOfOutputWithoutDigestCache() == before)
    }

    @Test func aNoteWithAControlCharacterIsRefusedAndNothingIsPublished() throws {
        let site = try Site()
        #expect(try site.publish(at: "2019-01-01T09:00:00+07:00").status == 0)
        let before = site.workspace.snapshotOfOutputWithoutDigestCache()
        try site.data("2017,11", "2018,20")
        let result = try site.publish(at: "2019-02-01T09:00:00+07:00", ["--note", "bell \u{07} here"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--note: the note holds the control character U+7: expected text"), "\(result.stderr)")
        let empty = try site.publish(at: "2019-02-01T09:00:00+07:00", ["--note", " \n "])
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("--note: the note is empty"), "\(empty.stderr)")
        #expect(site.workspace.snapshotOfOutputWithoutDigestCache() == before)
    }
}
