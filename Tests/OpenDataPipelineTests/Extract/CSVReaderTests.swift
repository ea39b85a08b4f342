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
}
