import Crypto
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

    /// What `finish` is handed: the dataset of a minimal pipeline, dated.
    private func metadata() throws -> DatasetMetadata {
        let directory = try TemporaryDirectory()
        let path = try directory.write(PipelineLoaderTests.minimal, to: "p.yml")
        let pipeline = try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
        let dates = DatasetDates(data: "2018-09-18T09:00:00+07:00", metadata: "2018-09-18T09:00:00+07:00")
        return DatasetMetadata(dataset: pipeline.datasets[0], pipeline: pipeline, dataRelease: "20180918T020000Z", dates: dates)
    }

    private var rows: Batch {
        var batch = Batch(width: 4)
        batch.append(
            row: [
                .string("Hà Nội, \"thủ đô\""), .integer(1883), .number(.init(units: 1790, scale: 2)),
                .date(CalendarDate(year: 2018, month: 9, day: 18)!),
            ], line: 2)
        batch.append(row: [.string("hai\r\ndòng\t\u{1}"), .null, .number(.init(units: -5, scale: 1)), .null], line: 3)
        return batch
    }

    @Test func writesRFC4180CSVWithQuotingOnlyWhereNeeded() throws {
        let directory = try TemporaryDirectory()
        let writer = try CSVWriter(schema: schema, path: directory.url.appendingPathComponent("o.csv").path)
        try writer.write(rows)
        // Complete once the rows are: it is read back before the dataset is dated.
        try writer.rowsEnded()
        let text = try directory.read("o.csv")
        #expect(text == "name,count,share,day\r\n\"Hà Nội, \"\"thủ đô\"\"\",1883,17.90,2018-09-18\r\n\"hai\r\ndòng\t\u{1}\",,-0.5,\r\n")
        #expect(try writer.finish(metadata()) == Data(text.utf8).count)
        #expect(!text.hasPrefix("\u{FEFF}"))
    }

    @Test func writesJSONThatFoundationParsesBackToTheSameValues() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("o.json").path
        let writer = try JSONWriter(schema: schema, path: path)
        try writer.write(rows)
        _ = try writer.finish(appending: ["id": "t", "title": ["vi": "Số liệu"]])
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
        let writer = try JSONWriter(schema: schema, path: path)
        _ = try writer.finish(appending: ["id": "e"])
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect((object?["records"] as? [Any])?.isEmpty == true)
    }

    @Test func writesAnExcelCSVWithABOMAndNoLiveFormulas() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("x.csv").path
        let writer = try CSVWriter(
            schema: TableSchema(fields: [Field(name: "text", type: .string), Field(name: "n", type: .integer)]), path: path, style: .excel)
        var batch = Batch(width: 2)
        for text in ["=1+2", "+84 24 3825", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "Hà Nội"] {
            batch.append(row: [.string(text), .integer(-5)], line: 1)
        }
        try writer.write(batch)
        let count = try writer.finish(metadata())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(count == bytes.count)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "text,n\r\n'=1+2,-5\r\n'+84 24 3825,-5\r\n'-2+3+cmd|' /C calc'!A0,-5\r\n'@SUM(A1),-5\r\n'\tx,-5\r\nHà Nội,-5\r\n")
    }

    @Test func writesOneJSONRecordALineAsNDJSON() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("o.ndjson").path
        let writer = try NDJSONWriter(schema: schema, path: path)
        try writer.write(rows)
        _ = try writer.finish(metadata())
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
    }

    @Test func writesJSONStatWithKeyDimensionsAndAMetricDimension() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("s.json").path
        let schema = TableSchema(fields: [
            Field(name: "year", type: .year), Field(name: "level", type: .integer), Field(name: "procedures", type: .integer),
            Field(name: "note", type: .string),
        ])
        let writer = JSONStatWriter(schema: schema, primaryKey: ["year", "level"], path: path)
        var batch = Batch(width: 4)
        batch.append(row: [.integer(2018), .integer(3), .integer(386), .string("x")], line: 1)
        batch.append(row: [.integer(2018), .integer(4), .integer(170), .null], line: 2)
        batch.append(row: [.integer(2019), .integer(4), .integer(200), .null], line: 3)
        try writer.write(batch)
        _ = try writer.finish(metadata())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        // The metadata handed to finish: the dataset's label, its date, and the file's stable URL.
        #expect(object["label"] as? String == "Counts")
        #expect(object["updated"] as? String == "2018-09-18T09:00:00+07:00")
        #expect(object["href"] as? String == "https://data.example.vn/test-pipeline/data/counts.jsonstat.json")
        #expect(object["version"] as? String == "2.0")
        #expect(object["class"] as? String == "dataset")
        #expect(object["id"] as? [String] == ["year", "level", "metric"])
        #expect(object["size"] as? [Int] == [2, 2, 1])
        // Row-major, last dimension fastest: (2018,3) (2018,4) (2019,3) (2019,4).
        let values = try #require(object["value"] as? [Any])
        #expect(values.map { ($0 as? NSNumber)?.intValue } == [386, 170, nil, 200])
    }

    @Test func hashesTheSameRowsTheSameWhateverTheBatching() throws {
        let one = ContentHasher(schema: schema)
        try one.write(rows)
        let two = ContentHasher(schema: schema)
        var first = Batch(width: 4)
        first.append(row: rows.row(0), line: 1)
        var second = Batch(width: 4)
        second.append(row: rows.row(1), line: 2)
        try two.write(first)
        try two.write(second)
        #expect(one.digest == two.digest)
        let three = ContentHasher(schema: schema)
        try three.write(first)
        #expect(three.digest != one.digest)
    }

    /// The plain CSV's writer feeds the content hash the rows it formats; the hash must be the one
    /// the hasher computes on its own (the definition of "the data changed" is unchanged), including
    /// a one-column row whose only cell is null (written `""`, hashed as an empty line).
    @Test func theCSVWritersContentHashIsTheHashersOwn() throws {
        let directory = try TemporaryDirectory()
        /// The digest the plain CSV's writer feeds, and the one the hasher computes alone.
        func digests(_ schema: TableSchema, _ batch: Batch, file: String) throws -> (fed: String, alone: String) {
            let alone = ContentHasher(schema: schema)
            try alone.write(batch)
            let fed = ContentHasher(schema: schema)
            let writer = try CSVWriter(schema: schema, path: directory.url.appendingPathComponent(file).path)
            writer.contentHasher = fed
            try writer.write(batch)
            try writer.rowsEnded()
            return (fed.digest, alone.digest)
        }
        let (fed, alone) = try digests(schema, rows, file: "o.csv")
        #expect(fed == alone)
        // The definition, spelled out: a header of names and types, then each row as CSV cells and a line feed.
        let canonical =
            "name:string,count:integer,share:number,day:date\n\"Hà Nội, \"\"thủ đô\"\"\",1883,17.90,2018-09-18\n"
            + "\"hai\r\ndòng\t\u{1}\",,-0.5,\n"
        #expect(fed == Digest.hex(SHA256.hash(data: Data(canonical.utf8))))

        let single = TableSchema(fields: [Field(name: "note", type: .string)])
        var batch = Batch(width: 1)
        for value: Value in [.null, .string(""), .string("=1+1"), .string("a\nb"), .null] { batch.append(row: [value], line: nil) }
        let (singleFed, singleAlone) = try digests(single, batch, file: "one.csv")
        #expect(try directory.read("one.csv") == "note\r\n\"\"\r\n\"\"\r\n=1+1\r\n\"a\nb\"\r\n\"\"\r\n")
        #expect(singleFed == singleAlone)
        // The file's `""` rows and CRLF are not what is hashed: a null and an empty text are empty lines.
        #expect(singleFed == Digest.hex(SHA256.hash(data: Data("note:string\n\n\n=1+1\n\"a\nb\"\n\n".utf8))))
    }

    /// A batch lays out the UTF-8 of its text cells (what writers copy); a row taken back leaves no trace.
    @Test func aBatchLaysOutItsTextCellsAndTakesBackARow() {
        var batch = Batch(width: 3)
        batch.append(row: [.string("Hà Nội"), .integer(7), .string("")], line: 2)
        batch.appendCell(.string("dropped"))
        batch.appendCell(.null)
        batch.dropRow()
        batch.appendCell(.string("Thủ đô \"\u{1}\""))
        batch.appendCell(.null)
        batch.appendCell(.number(.init(units: 1790, scale: 2)))
        batch.endRow(line: 3)
        #expect(batch.rowCount == 2)
        #expect(batch.cells.count == 6)
        let texts: [String?] = batch.withCells { cells, spans, text in
            spans.indices.map { spans[$0].isText ? String(decoding: text.cell(spans[$0]), as: UTF8.self) : nil }
        }
        #expect(texts == ["Hà Nội", nil, "", "Thủ đô \"\u{1}\"", nil, nil])
        // Numbers are laid out too, as their canonical text: what every writer prints.
        let digits: [String?] = batch.withCells { cells, spans, text in
            spans.indices.map { spans[$0].kind == .digits ? String(decoding: text.cell(spans[$0]), as: UTF8.self) : nil }
        }
        #expect(digits == [nil, "7", nil, nil, nil, "17.90"])
        #expect(batch.text == Array("Hà Nội7Thủ đô \"\u{1}\"17.90".utf8))
        #expect(batch[1, 0] == .string("Thủ đô \"\u{1}\""))
    }

    /// A batch's text is copied on write: a copy that grows or takes back a row leaves the
    /// batch it was copied from (which other threads may be reading) as it was.
    @Test func aCopiedBatchKeepsItsOwnText() {
        var original = Batch(width: 1, capacity: 1)
        original.appendCell(.string("Hà Nội"))
        original.endRow(line: 2)
        var grown = original
        grown.appendCell(.string("Đà Nẵng"))
        grown.endRow(line: 3)
        var dropped = grown
        dropped.appendCell(.string("Huế"))
        dropped.dropRow()
        func texts(_ batch: Batch) -> [String] {
            batch.withCells { _, spans, text in spans.map { String(decoding: text.cell($0), as: UTF8.self) } }
        }
        #expect(texts(original) == ["Hà Nội"])
        #expect(original.text == Array("Hà Nội".utf8))
        #expect(texts(grown) == ["Hà Nội", "Đà Nẵng"])
        #expect(texts(dropped) == ["Hà Nội", "Đà Nẵng"])
        #expect(dropped.text == Array("Hà NộiĐà Nẵng".utf8))
        // Past the first capacity: the storage grows and keeps every byte.
        var large = Batch(width: 1)
        for index in 0..<1_000 {
            large.appendCell(.string("ô \(index)"))
            large.endRow(line: index)
        }
        #expect(texts(large) == (0..<1_000).map { "ô \($0)" })
    }

    /// Batches as large as the buffer go to the file directly; small writes through the buffer.
    /// The file is every byte in order and its digest (hashed as written) is the file's own,
    /// past the size from which its writeback is started early.
    @Test func aFileWriterWritesLargeAndSmallWritesInOrderAndHashesThemOnce() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("big.bin").path
        let writer = try BufferedFileWriter(path: path, capacity: 1 << 12)
        var expected: [UInt8] = []
        var seed: UInt64 = 12_345
        for round in 0..<40 {
            let size = round % 3 == 0 ? (1 << 12) + round * 977 : round * 31 + 1
            let bytes = (0..<size).map { _ in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: seed >> 56)
            }
            expected += bytes
            try bytes.withUnsafeBufferPointer { try writer.write($0) }
        }
        // Past the writeback window, and past the lag after which written pages are let go (read back from the disk below).
        for round in 0...(BufferedFileWriter.releaseLag / BufferedFileWriter.writebackBytes + 1) {
            let filler = [UInt8](repeating: 0x41 + UInt8(round), count: BufferedFileWriter.writebackBytes + 5)
            expected += filler
            try filler.withUnsafeBufferPointer { try writer.write($0) }
        }
        try writer.close()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count == expected.count)
        #expect(written == expected)
        #expect(writer.byteCount == expected.count)
        #expect(writer.sha256 == Digest.hex(SHA256.hash(data: written)))
    }

    /// Writers put a date's text into their buffer without making a `String`: the same text as its description.
    @Test func aDateIsWrittenAsItsDescription() throws {
        for (year, month, day) in [(1, 1, 1), (999, 12, 31), (2018, 9, 18), (2024, 2, 29), (9999, 10, 5)] {
            let date = try #require(CalendarDate(year: year, month: month, day: day))
            var bytes: [UInt8] = []
            Value.date(date).appendCanonicalText(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == date.description)
            var json: [UInt8] = []
            JSONText.appendValue(.date(date), to: &json)
            #expect(String(decoding: json, as: UTF8.self) == "\"\(date.description)\"")
        }
        #expect(try #require(CalendarDate(year: 999, month: 1, day: 2)).description == "0999-01-02")
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
