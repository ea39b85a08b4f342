import Foundation
import LibXML
import Testing

/// `--` inside a comment is refused before libxml2 parses (libxml2 2.9.14 takes time quadratic
/// in the comment's length to report it: 13.5 s for `<!--` and 150,000 `--`).
@Suite("Comments checked before libxml2")
struct CommentCheckTests {
    private static let message = "'--' inside a comment (XML 1.0 forbids it; a comment ends at the first '-->')"

    /// `<!--` followed by 150,000 `--` (300 KB), the input that hung the XML and SDMX readers.
    private static let quadratic = "<r>\n  <!--" + String(repeating: "--", count: 150_000) + "--></r>"

    private func streamed(_ text: String, encoding: String.Encoding = .utf8) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("comment-\(UUID().uuidString).xml")
        try text.data(using: encoding)!.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let reader = try XMLStreamReader(path: file.path, source: "c.xml")
        while try reader.read() {}
    }

    @Test func theQuadraticCommentIsRefusedWithItsLineAndColumn() {
        let expected = XMLError.malformed(source: "c.xml", line: 2, column: 7, message: Self.message)
        #expect(throws: expected) { try Document(parsing: Array(Self.quadratic.utf8), source: "c.xml") }
        #expect(throws: expected) { try streamed(Self.quadratic) }
    }

    @Test func aCommentPastTheFirstChunkOfAStreamIsFoundOnItsLine() {
        let text = "<r>" + String(repeating: "<a/>\n", count: 20_000) + "<!-- x -- y --></r>"
        #expect(throws: XMLError.malformed(source: "c.xml", line: 20_001, column: 8, message: Self.message)) {
            try streamed(text)
        }
    }

    @Test func aCommentEndingInThreeDashesIsRefused() {
        #expect(throws: XMLError.malformed(source: "c.xml", line: 1, column: 11, message: Self.message)) {
            try Document(parsing: Array("<r><!-- a ---></r>".utf8), source: "c.xml")
        }
    }

    @Test func aUTF16DocumentIsCheckedByCodeUnit() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<r>Hà Nội <!-- -- --></r>"
        #expect(throws: XMLError.malformed(source: "c.xml", line: 2, column: 16, message: Self.message)) {
            try streamed(text, encoding: .utf16)
        }
    }

    @Test func dashesOutsideCommentsAndWellFormedCommentsAreRead() throws {
        let text = "<r><!-- a - b --><!----><![CDATA[ <!-- -- ]]><?pi <!-- -- ?><a>-- &lt;!-- --</a></r>"
        let document = try Document(parsing: Array(text.utf8), source: "c.xml")
        #expect(document.root?.name == "r")
        try streamed(text)
    }
}
