import Foundation
@testable import OpenDataPipeline
import Testing

/// The messages for a source that is not what the pipeline says: they name the file
/// once, give a position inside the file, and say what the file looks like and what
/// was expected, rather than the parser's first complaint.
@Suite("Source messages")
struct SourceMessageTests {
    private static let field = SourceField(field: Field(name: "v", type: .integer), from: "@v", numberFormat: .plain)

    enum Reader: CaseIterable {
        case dom, stream
    }

    private func failure(_ bytes: [UInt8], _ reader: Reader) throws -> PipelineFailure? {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Data(bytes), to: "in.xml")
        let extract: () throws -> Void = {
            switch reader {
            case .dom:
                try XMLExtractor(path: path, displayPath: "exports/in.xml", rows: "/r/x", namespaces: [:], fields: [Self.field])
                    .extract { _ in }
            case .stream:
                try StreamingXMLExtractor(path: path, displayPath: "exports/in.xml", rows: "/r/x", namespaces: [:], fields: [Self.field])
                    .extract { _ in }
            }
        }
        return OpenDataPipelineTests.failure(of: extract) as? PipelineFailure
    }

    static let binaries: [(bytes: [UInt8], problem: String)] = [
        (
            [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03],
            "the file is gzip-compressed data (it starts with the bytes 1F 8B), not an XML document: decompress it (gunzip) first"
        ),
        (
            Array("PK\u{3}\u{4}".utf8) + [0x14, 0x00],
            "the file is a ZIP archive (such as .zip, .xlsx or .docx) (it starts with the bytes 50 4B 03 04), not an XML document: "
                + "unpack it, or use type: xlsx for a workbook"
        ),
        (
            Array("%PDF-1.7\n".utf8),
            "the file is a PDF document (it starts with the bytes 25 50 44 46), not an XML document: export the table from it as CSV first"
        ),
        ([], "the file is empty; expected an XML document"),
    ]

    @Test(arguments: Reader.allCases)
    func aBinaryOrEmptyFileSaysWhatItIsAndWhatWasExpected(reader: Reader) throws {
        for (bytes, problem) in Self.binaries {
            #expect(try failure(bytes, reader) == .malformedSource(SourceLocation(file: "exports/in.xml"), problem: problem, code: .wrongFileType))
        }
    }

    @Test func aGzipFileGivenAsJSONSaysSo() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Data([0x1F, 0x8B, 0x08, 0x00]), to: "in.json")
        let error = OpenDataPipelineTests.failure {
            try JSONExtractor(path: path, displayPath: "exports/in.json", fields: [Self.field]).extract { _ in }
        }
        #expect(
            error as? PipelineFailure
                == .malformedSource(
                    SourceLocation(file: "exports/in.json"),
                    problem: "the file is gzip-compressed data (it starts with the bytes 1F 8B), not a JSON document: decompress it (gunzip) first",
                    code: .wrongFileType))
    }

    @Test func aGzipFileGivenAsNDJSONSaysSo() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Data([0x1F, 0x8B, 0x08, 0x00, 0x0A, 0x7B]), to: "in.ndjson")
        let error = OpenDataPipelineTests.failure {
            try NDJSONExtractor(path: path, displayPath: "exports/in.ndjson", fields: [Self.field]).extract { _ in }
        }
        #expect(
            error as? PipelineFailure
                == .malformedSource(
                    SourceLocation(file: "exports/in.ndjson"),
                    problem: "the file is gzip-compressed data (it starts with the bytes 1F 8B), not NDJSON text: decompress it (gunzip) first",
                    code: .wrongFileType))
    }

    /// It said "the bytes 0x8B 0x08 … are not valid UTF-8; declare the file's encoding".
    @Test func aZipFileGivenAsCSVSaysSo() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Data(Array("PK\u{3}\u{4}".utf8) + [0x14, 0x00, 0x08, 0x00, 0xA7, 0x9C]), to: "in.csv")
        let error = OpenDataPipelineTests.failure { try CSVReader(path: path, displayPath: "exports/in.csv", dialect: CSVDialect()).nextRecord() }
        #expect(
            error as? PipelineFailure
                == .malformedSource(
                    SourceLocation(file: "exports/in.csv"),
                    problem: "the file is a ZIP archive (such as .zip, .xlsx or .docx) (it starts with the bytes 50 4B 03 04), "
                        + "not a CSV text file: unpack it, or use type: xlsx for a workbook",
                    code: .wrongFileType))
    }

    /// libxml2 places an entity loop inside the entity's text ("line 1, column 4"); the DOCTYPE is what to remove.
    @Test func anEntityLoopPointsAtTheDoctype() throws {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY a \"&b;\">\n<!ENTITY b \"&a;\">\n]>\n<r><x v=\"1\">&a;</x></r>\n"
        #expect(
            try failure(Array(xml.utf8), .dom)
                == .malformedSource(
                    SourceLocation(file: "exports/in.xml", line: 2),
                    problem: "the DOCTYPE declares entities, which are refused (they can read local files or expand without bound)",
                    code: .xmlEntities))
        #expect(
            try failure(Array(xml.utf8), .stream)
                == .malformedSource(
                    SourceLocation(file: "exports/in.xml", line: 2),
                    problem: "the document has a DOCTYPE, which is refused (a DTD can declare entities that read local files "
                        + "or expand without bound); remove the DOCTYPE",
                    code: .xmlEntities))
    }

    /// The streaming reader is past the DOCTYPE when it sees it (it said line 4 of a 3-line file), and named the file twice.
    @Test func aDoctypeIsPlacedOnItsLineAndTheFileNamedOnce() throws {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r>\n<r><x v=\"1\"/></r>\n"
        let error = try failure(Array(xml.utf8), .stream)
        guard case let .malformedSource(location, problem, _)? = error else {
            Issue.record("expected a malformed-source error, got \(String(describing: error))")
            return
        }
        #expect(location == SourceLocation(file: "exports/in.xml", line: 2))
        #expect(!problem.contains("in.xml"))
    }

    /// "Premature end of data" came on the line after the last one.
    @Test func anUnfinishedDocumentIsPlacedAtTheEndOfItsLastLine() throws {
        let xml = "<?xml version=\"1.0\"?>\n<r>\n<x v=\"1\"/>\n"
        #expect(
            try failure(Array(xml.utf8), .dom)
                == .malformedSource(
                    SourceLocation(file: "exports/in.xml", line: 3, column: 11),
                    problem: "malformed XML: Premature end of data in tag r line 2 (at the end of the file)", code: .malformedXML))
        guard case let .malformedSource(location, _, _)? = try failure(Array(xml.utf8), .stream) else {
            Issue.record("expected a malformed-source error")
            return
        }
        #expect((location.line ?? 0) >= 1 && (location.line ?? 0) <= 3, "\(location)")
    }
}
