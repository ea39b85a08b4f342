import Foundation
import LibXML
@testable import OpenDataPipeline
import Testing

@Suite("FeedRenderer")
struct FeedRendererTests {
    private let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    private var scope: FeedRenderer.Scope {
        FeedRenderer.Scope(
            title: LocalizedText(vi: "Dữ liệu <mở> & \"Hà Nội\"", en: "Open data"), description: LocalizedText(vi: "Mô tả\u{0}", en: "About"),
            homeURL: "https://d.example.vn/p/", folderURL: "https://d.example.vn/p", stem: "feed", id: "tag:d.example.vn,2018:p",
            publisher: Publisher(name: "Sở TT&TT", url: "https://d.example.vn"), updated: Date(timeIntervalSince1970: 1_537_236_000),
            timeZone: zone)
    }

    private var entries: [FeedEntry] {
        [
            FeedEntry(
                id: "tag:d.example.vn,2018-09-18:p/a/20180918T020000Z", pipeline: "p", dataset: "a", release: "20180918T020000Z",
                timestamp: 1_537_236_000, timeZone: zone.identifier,
                title: ["vi": "<script>alert(1)</script>", "en": "Procedures"],
                summary: ["vi": "Mức độ 3: 386 thủ tục.", "en": "Level 3: 386 procedures."],
                link: "https://d.example.vn/p/a.html",
                pages: ["vi": "https://d.example.vn/p/a.html", "en": "https://d.example.vn/p/a.en.html"],
                enclosures: [.init(url: "https://d.example.vn/p/data/a.csv", bytes: 79, type: "text/csv")])
        ]
    }

    private func file(_ name: String) throws -> [UInt8] {
        let files = try FeedRenderer.render(scope, entries: entries)
        return try #require(files.first { $0.path == name }).bytes
    }

    @Test func writesEveryFormatInBothLanguages() throws {
        let names = try FeedRenderer.render(scope, entries: entries).map(\.path).sorted()
        #expect(names == ["feed.atom", "feed.en.atom", "feed.en.json", "feed.en.rss", "feed.json", "feed.rss"])
    }

    @Test func writesRSSWithEveryRequiredElementEscaped() throws {
        let document = try Document(parsing: try file("feed.rss"), source: "feed.rss")
        let xpath = try document.xpath(namespaces: ["atom": FeedRenderer.atomNamespace])
        func text(_ path: String) throws -> String? { try xpath.string(XPathQuery(path)) }
        #expect(try text("/rss/@version") == "2.0")
        #expect(try text("/rss/channel/title") == "Dữ liệu <mở> & \"Hà Nội\"")
        #expect(try text("/rss/channel/description") == "Mô tả")
        #expect(try text("/rss/channel/language") == "vi")
        #expect(try text("/rss/channel/lastBuildDate") == "Tue, 18 Sep 2018 09:00:00 +0700")
        #expect(try text("/rss/channel/atom:link[@rel='self']/@href") == "https://d.example.vn/p/feed.rss")
        #expect(try text("/rss/channel/item/title") == "<script>alert(1)</script>")
        #expect(try text("/rss/channel/item/guid/@isPermaLink") == "false")
        #expect(try text("/rss/channel/item/pubDate") == "Tue, 18 Sep 2018 09:00:00 +0700")
        #expect(try text("/rss/channel/item/enclosure/@length") == "79")
        #expect(try text("/rss/channel/item/link") == "https://d.example.vn/p/a.html")
    }

    @Test func writesAtomWithIdsDatesAuthorAndSelfLink() throws {
        let document = try Document(parsing: try file("feed.en.atom"), source: "feed.en.atom")
        let xpath = try document.xpath(namespaces: ["a": FeedRenderer.atomNamespace])
        func text(_ path: String) throws -> String? { try xpath.string(XPathQuery(path)) }
        #expect(try text("/a:feed/a:id") == "tag:d.example.vn,2018:p:en")
        #expect(try text("/a:feed/a:title") == "Open data")
        #expect(try text("/a:feed/a:updated") == "2018-09-18T09:00:00+07:00")
        #expect(try text("/a:feed/a:author/a:name") == "Sở TT&TT")
        #expect(try text("/a:feed/a:link[@rel='self']/@href") == "https://d.example.vn/p/feed.en.atom")
        #expect(try text("/a:feed/a:entry/a:id") == "tag:d.example.vn,2018-09-18:p/a/20180918T020000Z:en")
        #expect(try text("/a:feed/a:entry/a:summary") == "Level 3: 386 procedures.")
        #expect(try text("/a:feed/a:entry/a:link[@rel='enclosure']/@length") == "79")
        // Readers of the English feed go to the English page of the dataset.
        #expect(try text("/a:feed/a:entry/a:link[@rel='alternate']/@href") == "https://d.example.vn/p/a.en.html")
        #expect(try text("/a:feed/@xml:lang") == "en")
    }

    @Test func writesJSONFeedThatFoundationReads() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try file("feed.json"))) as? [String: Any])
        #expect(object["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(object["feed_url"] as? String == "https://d.example.vn/p/feed.json")
        let item = try #require((object["items"] as? [[String: Any]])?.first)
        #expect(item["id"] as? String == "tag:d.example.vn,2018-09-18:p/a/20180918T020000Z")
        #expect(item["content_text"] as? String == "Mức độ 3: 386 thủ tục.")
        #expect(item["date_published"] as? String == "2018-09-18T09:00:00+07:00")
        #expect((item["attachments"] as? [[String: Any]])?.first?["mime_type"] as? String == "text/csv")
    }

    @Test func showsAtMostTheNewestFiftyItems() throws {
        let many = (0..<60).map { index -> FeedEntry in
            var entry = entries[0]
            entry.id += "-\(index)"
            return entry
        }
        let document = try Document(parsing: try FeedRenderer.render(scope, entries: many)[0].bytes, source: "feed.rss")
        #expect(try document.xpath().nodes(XPathQuery("/rss/channel/item")).count == FeedHistory.feedItems)
    }
}
