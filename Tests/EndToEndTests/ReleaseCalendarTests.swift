import Foundation
import Testing

/// The release calendar end to end: a pipeline declares two releases, and three
/// runs confirm, release, postpone and cancel them. Python's `icalendar` reads
/// `calendar.ics`, `jsonschema` checks `calendar.json` against the published
/// schema, feedparser (Foundation for JSON Feed) reads the postponement and
/// cancellation items, and `opendata calendar --check` is asked at moments
/// before, after and around them.
@Suite("Release calendar, end to end")
struct ReleaseCalendarTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"]
    static let calendarScript = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_calendar.py")
    static let markupScript = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_markup.py")

    /// The pipeline `stats` of the revision tests (`counts`, with feeds), a dataset `other`, and `calendar`.
    static func pipeline(calendar: String) -> String {
        RevisionNoticeTests.pipeline + """

              - id: other
                title: {vi: Khác, en: Other}
                description: {vi: Mô tả, en: Description}
                source: {type: csv, path: stats/counts.csv}
                fields:
                  - {name: year, type: year}
                  - {name: value, type: integer}
                publish: [csv, rss]
                feed: {vi: "Năm {year}: {value}", en: "{year}: {value}"}
            calendar:
            \(calendar)
            """
    }

    static let first = """
          - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: confirmed}
          - {id: q2, date: 2019-02-10T09:00, datasets: [other], status: provisional}
        """
    static let postponed = """
          - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: confirmed}
          - id: q2
            date: 2019-02-10T09:00
            newDate: 2019-02-20T09:00
            datasets: [other]
            status: postponed
            reason: {vi: "Chờ số liệu, tỉnh; gửi", en: "Awaiting data; from, provinces"}
        """
    static let cancelled = """
          - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: confirmed}
          - {id: q2, date: 2019-02-10T09:00, datasets: [other], status: cancelled, reason: {vi: Gộp vào quý sau, en: Merged into the next quarter}}
        """

    final class Site {
        let workspace: Workspace

        init() throws {
            workspace = try Workspace()
            let pipelines = workspace.file("Pipelines")
            try FileManager.default.removeItem(at: pipelines)
            try FileManager.default.createDirectory(at: workspace.file("Pipelines/stats"), withIntermediateDirectories: true)
            try "year,value\r\n2017,10\r\n2018,20\r\n".write(to: workspace.file("Pipelines/stats/counts.csv"), atomically: true, encoding: .utf8)
        }

        func declare(_ calendar: String) throws {
            try ReleaseCalendarTests.pipeline(calendar: calendar).write(
                to: workspace.file("Pipelines/stats.yml"), atomically: true, encoding: .utf8)
        }

        func publish(at time: String) throws {
            let result = try opendata(["run", "--now", time, "--quiet"], in: workspace.url)
            #expect(result.status == 0, "\(result.stderr)")
        }

        func check(at time: String) throws -> ProcessResult {
            try opendata(["calendar", "--check", "--now", time], in: workspace.url)
        }

        var release: URL { workspace.file("Output/current").resolvingSymlinksInPath() }

        /// What icalendar and jsonschema read; nil (with a printed reason) when they are not installed.
        func calendar() throws -> [String: Any]? {
            let python = try #require(ReleaseCalendarTests.python)
            let files = ["calendar.ics", "calendar.json", "calendar.schema.json"].map { release.appendingPathComponent($0).path }
            let output = try run(URL(fileURLWithPath: python), [ReleaseCalendarTests.calendarScript.path] + files, in: workspace.url)
            #expect(output.status == 0, "\(output.stderr)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
            if let skipped = result["skipped"] as? String {
                print("skipped the icalendar check: \(skipped)")
                return nil
            }
            #expect(result["schemaErrors"] as? [String] == [], "calendar.json against calendar.schema.json")
            #expect(result["schemaCheck"] as? Bool == true, "the schema refuses a document that is not a calendar")
            #expect(result["version"] as? String == "2.0")
            #expect((result["prodid"] as? String)?.hasPrefix("-//opendata-pipeline//") == true)
            #expect((result["longestLine"] as? Int ?? 99) <= 75, "lines are folded at 75 octets")
            #expect(result["bareLineFeeds"] as? Int == 0, "every line ends with CRLF")
            #expect(result["endsWithCRLF"] as? Bool == true)
            return result
        }

        func events() throws -> [String: [String: Any]]? {
            guard let calendar = try calendar() else { return nil }
            let events = calendar["events"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: events.map { ($0["uid"] as? String ?? "", $0) })
        }

        /// A JSON Feed's items as title and summary (feedparser does not read JSON Feed: Foundation's parser does).
        func jsonFeedItems(_ file: String) throws -> [[String: Any]] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: release.appendingPathComponent(file))) as? [String: Any]
            return (object?["items"] as? [[String: Any]] ?? []).map { ["title": $0["title"] ?? "", "summary": $0["content_text"] ?? ""] }
        }

        /// Each RSS or Atom file's entries as feedparser reads them (title, summary).
        func feedItems(_ files: [String]) throws -> [String: [[String: Any]]]? {
            let python = try #require(ReleaseCalendarTests.python)
            let paths = files.map { release.appendingPathComponent($0).path }
            let output = try run(URL(fileURLWithPath: python), [ReleaseCalendarTests.markupScript.path, "feeds"] + paths, in: workspace.url)
            #expect(output.status == 0, "\(output.stderr)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
            if let skipped = result["skipped"] as? String {
                print("skipped the feedparser check: \(skipped)")
                return nil
            }
            var items: [String: [[String: Any]]] = [:]
            for (file, path) in zip(files, paths) {
                let feed = try #require(result[path] as? [String: Any])
                #expect(feed["bozo"] as? Bool == false, "\(file)")
                items[file] = feed["entries"] as? [[String: Any]] ?? []
            }
            return items
        }
    }

    static let q1 = "stats/q1@data.example.vn"
    static let q2 = "stats/q2@data.example.vn"

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with icalendar, jsonschema and feedparser"))
    func confirmsReleasesPostponesAndCancelsWithStableUIDsAndSequences() throws {
        let site = try Site()
        try site.declare(Self.first)
        try site.publish(at: "2019-01-01T09:00:00+07:00")
        if let events = try site.events() {
            #expect(Set(events.keys) == [Self.q1, Self.q2])
            #expect(events[Self.q1]?["sequence"] as? Int == 0)
            #expect(events[Self.q1]?["status"] as? String == "CONFIRMED")
            #expect(events[Self.q1]?["dtstart"] as? String == "2019-01-10T02:00:00+00:00")
            #expect(events[Self.q1]?["summary"] as? String == "Công bố số liệu: Số liệu / Data release: Counts")
            #expect(events[Self.q2]?["status"] as? String == "TENTATIVE")
            #expect(events[Self.q2]?["dtstart"] as? String == "2019-02-10T02:00:00+00:00")
            #expect(events[Self.q2]?["dtstamp"] as? String == "2019-01-01T02:00:00+00:00")
        }
        // Before q1's time nothing is overdue; after it, q1 is, until a release publishes its dataset.
        var check = try site.check(at: "2019-01-10T08:59:00+07:00")
        #expect(check.status == 0)
        #expect(check.stdout == "")
        check = try site.check(at: "2019-01-10T09:01:00+07:00")
        #expect(check.status == 80, "\(check.stderr)")
        #expect(check.stdout == "stats/q1  due 2019-01-10T09:00:00+07:00  OVERDUE: not released  (counts)\n")

        // At q1's time a run publishes new figures of `counts` and postpones q2.
        try "year,value\r\n2017,10\r\n2018,20\r\n2019,30\r\n".write(
            to: site.workspace.file("Pipelines/stats/counts.csv"), atomically: true, encoding: .utf8)
        try site.declare(Self.postponed)
        try site.publish(at: "2019-01-10T09:00:00+07:00")
        let second = site.release.lastPathComponent
        if let events = try site.events() {
            #expect(Set(events.keys) == [Self.q1, Self.q2], "the same UIDs: clients update the events")
            #expect(events[Self.q1]?["sequence"] as? Int == 1, "marked released")
            #expect(events[Self.q1]?["url"] as? String == "https://data.example.vn/releases/\(second)/stats/counts.html")
            #expect((events[Self.q1]?["description"] as? String)?.contains("Released at 10 January 2019, 09:00 (UTC+07:00)") == true)
            #expect(events[Self.q2]?["sequence"] as? Int == 1)
            #expect(events[Self.q2]?["status"] as? String == "CONFIRMED")
            #expect(events[Self.q2]?["dtstart"] as? String == "2019-02-20T02:00:00+00:00")
            #expect(
                (events[Self.q2]?["description"] as? String)?.contains("Reason: Awaiting data; from, provinces") == true,
                "escaped ; and , come back as text")
        }
        check = try site.check(at: "2019-01-11T00:00:00+07:00")
        #expect(check.status == 0)
        #expect(check.stdout == "")
        check = try site.check(at: "2019-02-15T00:00:00+07:00")
        #expect(check.status == 0, "q2 is now due on the 20th")
        check = try site.check(at: "2019-02-21T00:00:00+07:00")
        #expect(check.status == 80)
        #expect(check.stdout == "stats/q2  due 2019-02-20T09:00:00+07:00  OVERDUE: not released  (other)\n")
        if var items = try site.feedItems(["stats/feed.en.rss", "stats/feed.atom", "stats/feeds/other.en.atom"]) {
            items["stats/feed.en.json"] = try site.jsonFeedItems("stats/feed.en.json")
            for file in ["stats/feed.en.rss", "stats/feed.en.json", "stats/feeds/other.en.atom"] {
                let item = try #require(items[file]?.first { ($0["title"] as? String)?.hasPrefix("Release postponed") == true }, "\(file)")
                #expect(item["title"] as? String == "Release postponed: Other")
                #expect(
                    item["summary"] as? String
                        == "The release announced for 10 February 2019, 09:00 (UTC+07:00) is postponed to 20 February 2019, 09:00 (UTC+07:00). Reason: Awaiting data; from, provinces",
                    "\(file)")
            }
            let vi = try #require(items["stats/feed.atom"]?.first { ($0["title"] as? String)?.hasPrefix("Hoãn") == true })
            #expect(vi["title"] as? String == "Hoãn công bố: Khác")
            #expect(
                vi["summary"] as? String
                    == "Lần công bố dự kiến vào 09:00 ngày 10/02/2019 (UTC+07:00) được hoãn đến 09:00 ngày 20/02/2019 (UTC+07:00). Lý do: Chờ số liệu, tỉnh; gửi"
            )
        }

        // A cancellation changes q2 only: q1 keeps its sequence.
        try site.declare(Self.cancelled)
        try site.publish(at: "2019-01-15T09:00:00+07:00")
        #expect(site.release.lastPathComponent != second)
        if let events = try site.events() {
            #expect(events[Self.q1]?["sequence"] as? Int == 1, "unchanged")
            #expect(events[Self.q1]?["dtstamp"] as? String == "2019-01-10T02:00:00+00:00", "unchanged")
            #expect(events[Self.q2]?["sequence"] as? Int == 2)
            #expect(events[Self.q2]?["status"] as? String == "CANCELLED")
            #expect(events[Self.q2]?["dtstamp"] as? String == "2019-01-15T02:00:00+00:00")
        }
        check = try site.check(at: "2019-03-01T00:00:00+07:00")
        #expect(check.status == 0, "a cancelled release is never overdue")
        if var items = try site.feedItems(["stats/feed.en.rss", "feed.en.atom"]) {
            items["stats/feed.json"] = try site.jsonFeedItems("stats/feed.json")
            for file in ["stats/feed.en.rss", "feed.en.atom"] {
                let item = try #require(items[file]?.first, "\(file)")
                #expect(item["title"] as? String == "Release cancelled: Other", "\(file)")
                #expect(
                    item["summary"] as? String
                        == "The release announced for 10 February 2019, 09:00 (UTC+07:00) is cancelled. Reason: Merged into the next quarter")
            }
            #expect(items["stats/feed.json"]?.first?["title"] as? String == "Hủy công bố: Khác")
            #expect(
                items["stats/feed.json"]?.first?["summary"] as? String
                    == "Lần công bố dự kiến vào 09:00 ngày 10/02/2019 (UTC+07:00) bị hủy. Lý do: Gộp vào quý sau")
        }

        // Nothing changed: no release, the calendar's bytes stay.
        let before = try Data(contentsOf: site.release.appendingPathComponent("calendar.ics"))
        let rerun = try opendata(["run", "--now", "2019-01-16T09:00:00+07:00"], in: site.workspace.url)
        #expect(rerun.status == 0)
        #expect(rerun.stdout.contains("unchanged"), "\(rerun.stdout)")
        #expect(try Data(contentsOf: site.release.appendingPathComponent("calendar.ics")) == before)
    }

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with icalendar"))
    func textThatLooksLikeMarkupOrICalendarComesBackExactly() throws {
        let site = try Site()
        let text = HostileTextTests.nasty.joined(separator: " | ") + " a,b;c\\d"
        let q = HostileTextTests.yaml(text)
        try site.declare(
            "  - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: cancelled, title: {vi: \(q), en: \(q)}, reason: {vi: \(q), en: \(q)}}"
        )
        try site.publish(at: "2019-01-01T09:00:00+07:00")
        let event = try #require(try site.events()?[Self.q1])
        #expect(event["summary"] as? String == "Công bố số liệu: \(text) / Data release: \(text)")
        let description = try #require(event["description"] as? String)
        #expect(description.contains("Lý do: \(text)\n\nDatasets: Counts."), "\(description)")
        #expect(description.hasSuffix("Reason: \(text)"))
        #expect(event["status"] as? String == "CANCELLED")
    }

    @Test func theCalendarPageIsLinkedFromEveryPageAndShowsTheEntries() throws {
        let site = try Site()
        try site.declare(Self.postponed)
        try site.publish(at: "2019-01-01T09:00:00+07:00")
        let pages = try FileManager.default.subpathsOfDirectory(atPath: site.release.path).filter { $0.hasSuffix(".html") }
        #expect(pages.count == 12, "\(pages)")
        for page in pages {
            let html = try String(contentsOf: site.release.appendingPathComponent(page), encoding: .utf8)
            let root = page.contains("/") ? "../" : ""
            let suffix = page.hasSuffix(".en.html") ? ".en" : ""
            #expect(html.contains("<a href=\"\(root)calendar\(suffix).html\">"), "\(page) links to the calendar page")
        }
        let english = try String(contentsOf: site.release.appendingPathComponent("calendar.en.html"), encoding: .utf8)
        #expect(english.contains("<td>2019-02-20 09:00 (UTC+07:00)</td>"))
        #expect(english.contains("postponed<br>Postponed from 2019-02-10 09:00 (UTC+07:00)<br>Reason: Awaiting data; from, provinces"))
        #expect(english.contains("<a href=\"stats/other.en.html\">Other</a>"))
        let vietnamese = try String(contentsOf: site.release.appendingPathComponent("calendar.html"), encoding: .utf8)
        #expect(vietnamese.contains("hoãn<br>Hoãn từ 2019-02-10 09:00 (UTC+07:00)<br>Lý do: Chờ số liệu, tỉnh; gửi"))
        #expect(vietnamese.contains("<a href=\"calendar.ics\" type=\"text/calendar\">"))
    }

    @Test func checkingAFolderWithoutAReleaseIsAnError() throws {
        let site = try Site()
        let result = try site.check(at: "2019-01-01T00:00:00+07:00")
        #expect(result.status == 64)
        #expect(result.stderr.contains("Output' has no current release: nothing to check"), "\(result.stderr)")
    }

    @Test func aDefinitionErrorInTheCalendarPublishesNothing() throws {
        let site = try Site()
        try site.declare(Self.first)
        try site.publish(at: "2019-01-01T09:00:00+07:00")
        let before = site.workspace.snapshotOfOutputWithoutDigestCache()
        try site.declare("  - {id: q1, date: 2019-01-10T09:00, datasets: [count], status: confirmed}")
        let result = try opendata(["run", "--now", "2019-01-02T09:00:00+07:00"], in: site.workspace.url)
        #expect(result.status == 78)
        #expect(
            result.stderr.contains("Pipelines/stats.yml, line 29, column 49, 'calendar[0].datasets[0]': unknown dataset 'count'"), "\(result.stderr)")
        #expect(site.workspace.snapshotOfOutputWithoutDigestCache() == before)
    }
}
