@testable import OpenDataPipeline
import Testing

@Suite("CSVReader")
struct CSVReaderTests {
    /// All records of `text`, read with chunks of `chunkSize` bytes to cross boundaries everywhere.
    private func records(
        _ text: String, delimiter: Character = ",", chunkSize: Int = 1 << 20
    ) throws -> [(line: Int, fields: [String])] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(text, to: "t.csv")
        let reader = try CSVReader(
            path: path, dialect: CSVDialect(delimiter: delimiter.asciiValue!), chunkSize: chunkSize)
        var result: [(Int, [String])] = []
        while try reader.nextRecord() {
            result.append((reader.recordLine, (0..<reader.fieldCount).map { reader.fieldText($0) }))
        }
        return result
    }

    private static let tricky =
        "\u{FEFF}code,name,note\r\n"
        + "HN-1,\"Cấp phép, sửa đổi\",\"nói \"\"xin chào\"\"\"\r\n"
        + "HN-2,\"hai\r\ndòng\",\r\n"
        + "\r\n"
        + "HN-3,,\"\"\n"
        + "HN-4,cuối,không xuống dòng"

    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func readsRFC4180RecordsAcrossAnyChunkBoundary(chunkSize: Int) throws {
        let rows = try records(Self.tricky, chunkSize: chunkSize)
        #expect(
            rows.map(\.fields) == [
                ["code", "name", "note"],
                ["HN-1", "Cấp phép, sửa đổi", "nói \"xin chào\""],
                ["HN-2", "hai\r\ndòng", ""],
                ["HN-3", "", ""],
                ["HN-4", "cuối", "không xuống dòng"],
            ])
        // Lines count the line break inside the quoted field and the blank line.
        #expect(rows.map(\.line) == [1, 2, 3, 6, 7])
    }

    /// A quoted cell is copied a run at a time: every line feed of the run still counts.
    @Test(arguments: [1, 2, 5, 1 << 20])
    func countsEveryLineBreakInsideAQuotedRun(chunkSize: Int) throws {
        let rows = try records("a,\"x\ny\n\nz, \"\"Huế\"\"\"\nb,\"\r\n\"\nc,d\n", chunkSize: chunkSize)
        #expect(rows.map(\.fields) == [["a", "x\ny\n\nz, \"Huế\""], ["b", "\r\n"], ["c", "d"]])
        #expect(rows.map(\.line) == [1, 5, 7])
    }

    @Test func usesTheDeclaredDelimiter() throws {
        let rows = try records("a;b|c\n1,5;2\n", delimiter: ";")
        #expect(rows.map(\.fields) == [["a", "b|c"], ["1,5", "2"]])
    }

    @Test func reportsAnUnterminatedQuoteWithTheLineItStarts() throws {
        do {
            _ = try records("a,b\n1,\"open\n2,3\n")
            Issue.record("expected an error")
        } catch let PipelineFailure.malformedSource(location, _, code) {
            #expect(location == SourceLocation(file: location.file, line: 2))
            #expect(code == .unclosedQuote)
        }
    }

    @Test func reportsTextAfterAClosingQuote() throws {
        do {
            _ = try records("a,b\n1,\"x\"y\n")
            Issue.record("expected an error")
        } catch let PipelineFailure.malformedSource(location, problem, code) {
            #expect(location == SourceLocation(file: location.file, line: 2, field: "field 2"))
            #expect(code == .textAfterQuote)
            // A message a user reads: how to write a quote inside a quoted field.
            #expect(problem == "unexpected 'y' after a closing quote (a quote inside a quoted field must be doubled: \"\")")
        }
    }

    /// The word-at-a-time search for a field's end finds what a byte-by-byte search finds, for
    /// any bytes (ASCII, UTF-8, every value next to the targets), delimiter, start and end
    /// (seeded, so a failure repeats).
    @Test func theEndOfAnUnquotedRunIsFoundAsByteByByte() {
        var state: UInt64 = 0x0052_0055_0556
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let pool: [UInt8] =
            Array("aZ09 .\"".utf8) + [
                0x00, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x2B, 0x2C, 0x2D, 0x3A, 0x3B, 0x3C, 0x7B, 0x7C, 0x7D, 0x7F, 0x80, 0x8A, 0xC3, 0xE1, 0xFF,
            ]
        for _ in 0..<20_000 {
            let delimiter: UInt8 = [0x2C, 0x3B, 0x09, 0x7C][next(4)]
            let bytes = (0..<next(40)).map { _ in next(4) == 0 ? pool[next(pool.count)] : UInt8(ascii: "x") }
            let start = next(bytes.count + 1)
            let end = start + next(bytes.count - start + 1)
            bytes.withUnsafeBufferPointer { buffer in
                var expected = start
                while expected < end, ![delimiter, 0x0A, 0x0D].contains(buffer[expected]) { expected += 1 }
                #expect(CSVReader.endOfUnquotedRun(buffer, from: start, to: end, delimiter: delimiter) == expected, "\(bytes) \(start)..<\(end)")
            }
        }
    }
}
