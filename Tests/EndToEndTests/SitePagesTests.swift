import Foundation
import Testing

/// The published pages, as files: what a journalist opening `Output/current/index.html`
/// from disk gets, and what a developer finds; and that data cannot inject markup.
@Suite("Site pages, end to end")
struct SitePagesTests {
    private func published() throws -> Workspace {
        let workspace = try Workspace()
        let result = try opendata(["run", "-q"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        return workspace
    }

    /// Every `href`/`src` of a page that is relative.
    private func relativeLinks(_ html: String) -> [String] {
        let pattern = /(?:href|src)="([^"#]+)"/
        return html.matches(of: pattern).map { String($0.1) }.filter { !$0.contains("://") && !$0.hasPrefix("mailto:") }
    }

    @Test func writesEveryPageInBothLanguagesWithLinksThatResolve() throws {
        let workspace = try published()
        let release = workspace.file("Output/current").resolvingSymlinksInPath()
        let pages = try FileManager.default.subpathsOfDirectory(atPath: release.path).filter { $0.hasSuffix(".html") }.sorted()
        // Site index and developers page, and for the example pipeline its page and 6 dataset pages, in two languages;
        // the second example pipeline adds its own.
        #expect(pages.count >= 18)
        #expect(pages.contains("vietnam-digital-government/hanoi-online-services-by-year.en.html"))
        for page in pages {
            let html = try workspace.read("Output/current/\(page)")
            #expect(html.contains("<html lang=\"\(page.contains(".en.") ? "en" : "vi")\">"), "\(page)")
            #expect(!html.contains("<script src"), "\(page) needs no JavaScript")
            let folder = workspace.file("Output/current/\(page)").deletingLastPathComponent()
            for link in relativeLinks(html) {
                let target = folder.appendingPathComponent(link).standardizedFileURL.path
                #expect(FileManager.default.fileExists(atPath: target), "\(page) links to \(link)")
            }
        }
    }

    @Test func showsTheSeedsFiguresChartDownloadsAndMetadata() throws {
        let workspace = try published()
        let vi = try workspace.read("Output/current/vietnam-digital-government/hanoi-online-public-services.html")
        let en = try workspace.read("Output/current/vietnam-digital-government/hanoi-online-public-services.en.html")
        for figure in ["386", "170", "1.883", "556", "29,5"] { #expect(vi.contains(figure), "\(figure)") }
        for figure in ["1,883", "29.5"] { #expect(en.contains(figure), "\(figure)") }
        #expect(vi.contains("<svg") && vi.contains("role=\"img\"") && vi.contains("<desc"))
        #expect(vi.contains("<caption>") && vi.contains("<th scope=\"col\""))
        #expect(vi.contains("<link rel=\"alternate\" type=\"application/rss+xml\""))
        #expect(vi.contains("<link rel=\"alternate\" type=\"application/atom+xml\""))
        #expect(vi.contains("href=\"data/hanoi-online-public-services.csv\""))
        // schema.org Dataset JSON-LD that a JSON parser reads.
        let jsonLD = try #require(vi.firstMatch(of: /<script type="application\/ld\+json">(.*?)<\/script>/)).1
        let object = try #require(try JSONSerialization.jsonObject(with: Data(jsonLD.utf8)) as? [String: Any])
        #expect(object["@type"] as? String == "Dataset")
        #expect((object["distribution"] as? [Any])?.isEmpty == false)
        let developers = try workspace.read("Output/current/developers.en.html")
        #expect(developers.contains("read_csv"))
        #expect(developers.contains("https://opendata.hanoi.example.vn/vietnam-digital-government/data/hanoi-online-public-services.ndjson"))
        #expect(developers.contains("jq"))
    }

    @Test func escapesMarkupFromTheData() throws {
        let workspace = try Workspace()
        try workspace.edit(
            "Pipelines/vietnam-digital-government.yml",
            replacing: "en: Hanoi online public services at levels 3–4, 2018",
            with: "en: \"<script>alert(1)</script> & </script><b>bold</b>\"")
        let result = try opendata(["run", "-q"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        let page = try workspace.read("Output/current/vietnam-digital-government/hanoi-online-public-services.en.html")
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"))
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("<b>bold"))
        // Inside JSON-LD the title cannot close the script element.
        #expect(page.components(separatedBy: "</script>").count == 2)
    }

    /// People double-click downloads: the page's first download and every feed enclosure is the
    /// workbook, then the formula-safe Excel CSV; the plain CSV stays exact and is labelled for programs.
    @Test func offersPeopleTheFormulaSafeCSVAndLabelsThePlainOneForPrograms() throws {
        let workspace = try Workspace()
        let data = "Pipelines/vietnam-digital-government/digital-indicators-2018.csv"
        let first = try #require(try workspace.read(data).split(separator: "\n").dropFirst().first)
        try workspace.edit(data, replacing: String(first), with: String(first).replacingOccurrences(of: "Việt Nam", with: "=1+2"))
        #expect(try opendata(["run", "-q"], in: workspace.url).status == 0)
        let stem = "Output/current/vietnam-digital-government"
        for (page, labels) in [
            ("vietnam-internet-2018.html", ["Bảng tính Excel (.xlsx)", "CSV cho Excel và bảng tính", "CSV cho chương trình máy tính"]),
            ("vietnam-internet-2018.en.html", ["Excel workbook (.xlsx)", "CSV for Excel and spreadsheets", "CSV for programs"]),
        ] {
            let html = try workspace.read("\(stem)/\(page)")
            let downloads = try #require(html.firstMatch(of: /<ul class="downloads">(.*?)<\/ul>/)).1
            let links = downloads.matches(of: /<a href="([^"]+)"[^>]*>([^<]+)<\/a>/).map { (String($0.1), String($0.2)) }
            #expect(links.first?.0 == "data/vietnam-internet-2018.xlsx", "\(page): \(links)")
            #expect(links.first?.1 == labels[0], "\(page)")
            #expect(links.contains { $0 == ("data/vietnam-internet-2018.excel.csv", labels[1]) }, "\(page): \(links)")
            #expect(links.contains { $0 == ("data/vietnam-internet-2018.csv", labels[2]) }, "\(page): \(links)")
        }
        let excel = try workspace.read("\(stem)/data/vietnam-internet-2018.excel.csv")
        #expect(excel.contains(",'=1+2,"))
        #expect(try workspace.read("\(stem)/data/vietnam-internet-2018.csv").contains(",=1+2,"))
        let enclosure = "https://opendata.hanoi.example.vn/vietnam-digital-government/data/vietnam-internet-2018.xlsx"
        for feed in ["feeds/vietnam-internet-2018.rss", "feeds/vietnam-internet-2018.en.atom", "feed.rss"] {
            let text = try workspace.read("\(stem)/\(feed)")
            #expect(text.contains("url=\"\(enclosure)\"") || text.contains("href=\"\(enclosure)\""), "\(feed)")
            #expect(!text.contains("vietnam-internet-2018.csv\""), "\(feed) offers the plain CSV")
        }
        let jsonFeed = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.file("\(stem)/feeds/vietnam-internet-2018.json"))) as? [String: Any])
        let items = try #require(jsonFeed["items"] as? [[String: Any]])
        #expect(items.flatMap { $0["attachments"] as? [[String: Any]] ?? [] }.map { $0["url"] as? String } == [enclosure])
    }

    @Test func usesAPublishersTemplatesWhenTheyExist() throws {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(at: workspace.file("Pipelines/templates"), withIntermediateDirectories: true)
        try "{{> header}}<p class=\"custom\">{{#pipelines}}{{title}}{{/pipelines}}</p>{{> footer}}"
            .write(to: workspace.file("Pipelines/templates/index.mustache"), atomically: true, encoding: .utf8)
        #expect(try opendata(["run", "-q"], in: workspace.url).status == 0)
        let index = try workspace.read("Output/current/index.en.html")
        #expect(index.contains("<p class=\"custom\">"))
        #expect(index.contains("Digital government in Vietnam and Hanoi, 2018"))
        #expect(!index.contains("class=\"cards\""))  // the default template's markup is gone
    }
}
