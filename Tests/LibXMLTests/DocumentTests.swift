import Foundation
import LibXML
import Testing

@Suite("Document")
struct DocumentTests {
    private func parse(_ xml: String, source: String = "test.xml") throws -> Document {
        try Document(parsing: Array(xml.utf8), source: source)
    }

    /// libxml2 reports an unfinished document on the line after the final line break, a line no editor shows.
    @Test func anUnfinishedDocumentIsPlacedAtTheEndOfItsLastLine() {
        #expect(
            throws: XMLError.malformed(
                source: "test.xml", line: 2, column: 7, message: "Premature end of data in tag r line 1 (at the end of the file)")
        ) {
            try parse("<r>\nHà Nội\n")
        }
    }

    @Test func anEntityLoopIsPlacedAtTheDoctypeNotInsideTheEntity() {
        #expect(throws: XMLError.entityDeclarationsNotAllowed(source: "test.xml", line: 3)) {
            try parse("<?xml version=\"1.0\"?>\n\n<!DOCTYPE r [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]>\n<r>&a;</r>\n")
        }
    }

    @Test func selectsTextAndAttributesWithXPath() throws {
        let document = try parse("<r><f id='a'>556</f><f id='b'>1883</f></r>")
        let xpath = try document.xpath()
        let nodes = try xpath.nodes(XPathQuery("/r/f"))
        #expect(nodes.map(\.content) == ["556", "1883"])
        #expect(nodes.map { $0.attribute("id") } == ["a", "b"])
        #expect(try xpath.string(XPathQuery("@id"), at: nodes[1]) == "b")
    }

    @Test func givesScalarResultsForCountAndString() throws {
        let document = try parse("<r><f>1</f><f>2</f><f>3</f></r>")
        let xpath = try document.xpath()
        #expect(try xpath.string(XPathQuery("count(/r/f)")) == "3")
        #expect(try xpath.string(XPathQuery("sum(/r/f) div 4")) == "1.5")
        #expect(try xpath.string(XPathQuery("string(/r/f[2])")) == "2")
        #expect(try xpath.string(XPathQuery("/r/f[9]")) == nil)
        guard case .boolean(true) = try xpath.evaluate(XPathQuery("count(/r/f) = 3")) else {
            Issue.record("expected boolean true")
            return
        }
    }

    @Test func matchesNamespacesByURINotByPrefix() throws {
        let document = try parse(
            "<m:msg xmlns:m='urn:example:message'><m:obs value='7,5'/></m:msg>")
        // Our prefix differs from the document's; the URI is what counts.
        let xpath = try document.xpath(namespaces: ["x": "urn:example:message"])
        let nodes = try xpath.nodes(XPathQuery("/x:msg/x:obs"))
        #expect(nodes.count == 1)
        #expect(nodes.first?.namespaceURI == "urn:example:message")
        #expect(nodes.first?.attribute("value") == "7,5")
        #expect(try xpath.nodes(XPathQuery("/msg/obs")).isEmpty)
    }

    @Test func reportsTheFirstErrorWithLineAndColumn() {
        #expect(
            throws: XMLError.malformed(
                source: "bad.xml", line: 3, column: 5,
                message: "Opening and ending tag mismatch: b line 2 and a")
        ) {
            try parse("<a>\n  <b>unclosed\n</a>", source: "bad.xml")
        }
    }

    @Test func reportsAnInvalidXPathWithItsPosition() {
        #expect(throws: XMLError.invalidXPath(expression: "/r/f[", message: "invalid expression at character 6")) {
            try XPathQuery("/r/f[")
        }
    }

    @Test func refusesAnUndeclaredNamespacePrefixAtEvaluation() throws {
        let document = try parse("<r/>")
        #expect(throws: XMLError.invalidXPath(expression: "/q:r", message: "undeclared namespace prefix at character 1")) {
            try document.xpath().nodes(XPathQuery("/q:r"))
        }
    }

    @Test func refusesGzipBytesInsteadOfInflatingThem() throws {
        // The gzip magic number followed by deflate data: xmlReadFile would inflate it.
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xB3, 0x29, 0xB2, 0xD7, 0x07, 0x00]
        #expect(throws: XMLError.malformed(source: "g.xml.gz", line: 1, column: 1, message: "Start tag expected, '<' not found")) {
            try Document(parsing: gzip, source: "g.xml.gz")
        }
    }

    @Test func refusesDocumentsOverTheSizeLimit() {
        #expect(throws: XMLError.tooLarge(source: "big.xml", bytes: 11, limit: 10)) {
            try Document(parsing: Array("<r>big</r> ".utf8), source: "big.xml", maximumBytes: 10)
        }
    }
}
