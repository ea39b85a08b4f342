import Foundation
import LibXML
@testable import OpenDataPipeline
import Testing

@Suite("Writers")
struct WriterTests {
    private let schema = TableSchema(fields: [
        Field(name: "name", type: .string), Field(name: "count", type: .integer), Field(name: "share", type: .number),
        Field(name: "day", type: .date),
    ])

    private var rows: Batch {
        var batch = Batch(width: 4)
        batch.append(row: [.string("Hà Nội, \"thủ đô\""), .integer(1883), .number(.init(units: 1790, scale: 2)), .date(CalendarDate(year: 2018, month: 9, day: 18)!)], line: 2)
        batch.append(row: [.string("hai\r\ndòng\t\u{1}"), .null, .number(.init(units: -5, scale: 1)), .null], line: 3)
        return batch
    }

    @Test func writesRFC4180CSVWithQuotingOnlyWhereNeeded() throws {
        let directory = try TemporaryDirectory()
        let writer = try CSVWriter(schema: schema, path: directory.url.appendingPathComponent("o.csv").path, relativePath: "o.csv")
        try writer.write(rows)
        let file = try writer.finish()
        let text = try directory.read("o.csv")
        #expect(text == "name,count,share,day\r\n\"Hà Nội, \"\"thủ đô\"\"\",1883,17.90,2018-09-18\r\n\"hai\r\ndòng\t\u{1}\",,-0.5,\r\n")
        #expect(file.bytes == Data(text.utf8).count)
        #expect(!text.hasPrefix("\u{FEFF}"))
    }

    @Test func writesJSONThatFoundationParsesBackToTheSameValues() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("o.json").path
        let writer = try JSONWriter(schema: schema, metadata: ["id": "t", "title": ["vi": "Số liệu"]], path: path, relativePath: "o.json")
        try writer.write(rows)
        _ = try writer.finish()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(object["id"] as? String == "t")
        let records = try #require(object["records"] as? [[String: Any]])
        #expect(records.count == 2)
        #expect(records[0]["name"] as? String == "Hà Nội, \"thủ đô\"")
        #expect((records[0]["count"] as? NSNumber)?.int64Value == 1883)
        #expect((records[0]["share"] as? NSNumber)?.decimalValue == Decimal(string: "17.9"))
        #expect(records[0]["day"] as? String == "2018-09-18")
        #expect(records[1]["name"] as? String == "hai\r\ndòng\t\u{1}")
        #expect(records[1]["count"] is NSNull)
        // Numbers keep their declared decimals in the text itself.
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"share\":17.90"))
    }

    @Test func writesAnEmptyRecordsArrayWhenThereAreNoRows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("e.json").path
        let writer = try JSONWriter(schema: schema, metadata: ["id": "e"], path: path, relativePath: "e.json")
        _ = try writer.finish()
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect((object?["records"] as? [Any])?.isEmpty == true)
    }

    @Test func writesAnRSSFeedThatLibxml2ReadsBackWithEveryRequiredElement() throws {
        let channel = RSSWriter.Channel(
            title: "Dữ liệu <mở> & \"Hà Nội\"", link: "https://d.example.vn/p/", description: "Mô tả\u{0}",
            language: .vi, selfURL: "https://d.example.vn/p/feed.rss", lastBuildDate: "Tue, 18 Sep 2018 09:00:00 +0700")
        let item = FeedItem(
            title: "<script>alert(1)</script>", link: "https://d.example.vn/p/data/a.csv", description: "Mức độ 3: 386 thủ tục.",
            guid: "tag:d.example.vn,2018-09-18:p/a/1", pubDate: "Tue, 18 Sep 2018 09:00:00 +0700",
            enclosure: .init(url: "https://d.example.vn/p/data/a.csv", length: 79, type: "text/csv"))
        let bytes = try RSSWriter.document(channel: channel, items: [item])
        let document = try Document(parsing: bytes, source: "feed.rss")
        let xpath = try document.xpath(namespaces: ["atom": RSSWriter.atomNamespace])
        func text(_ path: String) throws -> String? { try xpath.string(XPathQuery(path)) }
        #expect(try text("/rss/@version") == "2.0")
        #expect(try text("/rss/channel/title") == "Dữ liệu <mở> & \"Hà Nội\"")
        #expect(try text("/rss/channel/description") == "Mô tả")
        #expect(try text("/rss/channel/atom:link[@rel='self']/@href") == "https://d.example.vn/p/feed.rss")
        #expect(try text("/rss/channel/item/title") == "<script>alert(1)</script>")
        #expect(try text("/rss/channel/item/guid/@isPermaLink") == "false")
        #expect(try text("/rss/channel/item/enclosure/@length") == "79")
        // The history round-trips through the feed itself.
        #expect(try RSSWriter.items(inFeed: bytes, source: "feed.rss") == [item])
    }

    @Test func writesFeedNumbersForEachLanguage() {
        #expect(NumberStyle.format(.integer(1883), for: .vi) == "1.883")
        #expect(NumberStyle.format(.integer(1883), for: .en) == "1,883")
        #expect(NumberStyle.format(.number(.init(units: 295, scale: 1)), for: .vi) == "29,5")
        #expect(NumberStyle.format(.number(.init(units: -75_000_005, scale: 1)), for: .en) == "-7,500,000.5")
        #expect(NumberStyle.format(.integer(556), for: .vi) == "556")
    }

    @Test func writesDatesInThePipelinesZone() throws {
        let date = Date(timeIntervalSince1970: 1_537_236_000)  // 2018-09-18T02:00:00Z
        let zone = try #require(TimeZone(identifier: "Asia/Ho_Chi_Minh"))
        #expect(FeedDate.rfc822(date, in: zone) == "Tue, 18 Sep 2018 09:00:00 +0700")
        #expect(FeedDate.rfc3339(date, in: zone) == "2018-09-18T09:00:00+07:00")
    }
}
