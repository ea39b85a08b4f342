import LibXML
import Testing

@Suite("XMLWriter")
struct XMLWriterTests {
    @Test func writerOutputRoundTripsThroughTheParser() throws {
        let title = "Hà Nội <số liệu> & \"dịch vụ\" ]]> 'công'"
        let bytes = try XMLWriter.document { writer throws(XMLError) in
            try writer.element("title", attributes: ["lang": "vi & \"en\""]) { element throws(XMLError) in try element.text(title) }
        }
        let reread = try Document(parsing: bytes, source: "written.xml")
        #expect(reread.root?.content == title)
        #expect(reread.root?.attribute("lang") == "vi & \"en\"")
    }

    @Test func stripsControlCharactersSoTheOutputStaysWellFormed() throws {
        let dirty = "level\u{0}3\u{1B}[31m\u{7}\tok\u{FFFE}"
        let bytes = try XMLWriter.document { writer throws(XMLError) in try writer.element("v", text: dirty) }
        let reread = try Document(parsing: bytes, source: "written.xml")
        #expect(reread.root?.content == "level3[31m\tok")
    }

    @Test func writesPrefixedElementsUnderADeclaredNamespace() throws {
        let bytes = try XMLWriter.document { writer throws(XMLError) in
            try writer.element("rss", attributes: ["xmlns:atom": "http://www.w3.org/2005/Atom"]) { rss throws(XMLError) in
                try rss.element("atom:link", attributes: ["href": "https://example.org/feed.rss", "rel": "self"])
            }
        }
        let document = try Document(parsing: bytes, source: "rss.xml")
        let links = try document.xpath(namespaces: ["a": "http://www.w3.org/2005/Atom"]).nodes(XPathQuery("/rss/a:link"))
        #expect(links.first?.attribute("rel") == "self")
    }
}
