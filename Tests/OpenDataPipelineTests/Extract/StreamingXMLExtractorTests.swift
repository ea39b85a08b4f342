import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("Streaming XML")
struct StreamingXMLExtractorTests {
    private static let fields = [
        SourceField(field: Field(name: "area_code", type: .string), from: "@ma-dia-ban", numberFormat: .vi),
        SourceField(field: Field(name: "area", type: .string), from: "@ten-dia-ban", numberFormat: .vi),
        SourceField(field: Field(name: "residents", type: .integer), from: "dc:so-nguoi-dan", numberFormat: .vi),
        SourceField(field: Field(name: "qualifier", type: .string), from: "dc:so-nguoi-dan/@muc", numberFormat: .vi),
    ]

    private func rows(_ path: String, fields: [SourceField] = fields) throws -> [[String]] {
        var rows: [[String]] = []
        try StreamingXMLExtractor(
            path: path, displayPath: "in.xml", rows: "/dc:bao-cao/dc:co-so-du-lieu",
            namespaces: ["dc": "urn:vn:hanoi:sotttt:co-so-du-lieu-dan-cu:1.0"], fields: fields
        ).extract { batch in
            for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "-" }) }
        }
        return rows
    }

    /// The example pipeline's XML: the DOM extractor and the streaming one read the same rows.
    @Test func readsTheSameRowsAsTheXPathExtractor() throws {
        let path = repositoryRoot.appendingPathComponent("Pipelines/vietnam-digital-government/hanoi-population-database.xml").path
        var dom: [[String]] = []
        try XMLExtractor(
            path: path, displayPath: "in.xml", rows: "/dc:bao-cao/dc:co-so-du-lieu",
            namespaces: ["dc": "urn:vn:hanoi:sotttt:co-so-du-lieu-dan-cu:1.0"], fields: Self.fields
        ).extract { batch in
            for row in 0..<batch.rowCount { dom.append(batch.row(row).map { $0.text ?? "-" }) }
        }
        #expect(try rows(path) == dom)
        #expect(dom == [["01", "Hà Nội", "7500000", "hơn"]])
    }

    @Test func matchesNamespacesByURIAndStreamsManyRows() throws {
        var xml = "<?xml version=\"1.0\"?>\n<x:bao-cao xmlns:x=\"urn:vn:hanoi:sotttt:co-so-du-lieu-dan-cu:1.0\">\n"
        for index in 0..<10_000 {
            xml +=
                "<x:co-so-du-lieu ma-dia-ban=\"\(index)\" ten-dia-ban=\"Xã \(index)\"><x:so-nguoi-dan>\(index)</x:so-nguoi-dan></x:co-so-du-lieu>\n"
        }
        xml += "<other:co-so-du-lieu xmlns:other=\"urn:other\" ma-dia-ban=\"no\"/></x:bao-cao>\n"
        let directory = try TemporaryDirectory()
        let rows = try rows(try directory.write(xml, to: "big.xml"))
        #expect(rows.count == 10_000)
        #expect(rows.last == ["9999", "Xã 9999", "9999", "-"])
    }

    @Test func namesTheLineOfABadValueAndRefusesADoctype() throws {
        let directory = try TemporaryDirectory()
        let bad = """
            <?xml version="1.0"?>
            <bao-cao xmlns="urn:vn:hanoi:sotttt:co-so-du-lieu-dan-cu:1.0">
              <co-so-du-lieu ma-dia-ban="01"><so-nguoi-dan>nhiều</so-nguoi-dan></co-so-du-lieu>
            </bao-cao>
            """
        let error = failure { try rows(try directory.write(bad, to: "bad.xml")) }
        guard case let PipelineFailure.badValue(location, value, _, _)? = error else {
            Issue.record("expected a bad value, got \(String(describing: error))")
            return
        }
        #expect(location.line == 3)
        #expect(value == "nhiều")
        let doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE bao-cao [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<bao-cao>&x;</bao-cao>"
        #expect("\(failure { try rows(try directory.write(doctype, to: "d.xml")) }!)".contains("DOCTYPE"))
    }

    @Test func refusesPathsItCannotStream() {
        let extractor = StreamingXMLExtractor(
            path: "x", displayPath: "x.xml", rows: "//row[1]", namespaces: [:], fields: Self.fields)
        #expect(failure { try extractor.compiledPaths() } != nil)
    }
}
