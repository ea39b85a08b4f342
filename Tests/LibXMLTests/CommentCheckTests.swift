import Foundation
@testable import LibXML
import Testing

/// `--` inside a comment is refused before libxml2 parses it (libxml2 2.9.14 takes time quadratic
/// in the comment's length to report it: 13.5 s for `<!--` and 150,000 `--`): a document before
/// parsing, a stream chunk by chunk as libxml2 asks for bytes.
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

    @Test func aCommentErrorMidStreamComesAfterTheNodesBeforeItWithItsLineAndColumn() throws {
        let text = "<r>\n" + String(repeating: "<a/>\n", count: 30_000) + "<b>é <!-- x -- y --></b></r>"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("comment-\(UUID().uuidString).xml")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let reader = try XMLStreamReader(path: file.path, source: "c.xml")
        var elements = 0
        let error = #expect(throws: XMLError.self) {
            while try reader.read() {
                if reader.kind == .element { elements += 1 }
            }
        }
        #expect(error == XMLError.malformed(source: "c.xml", line: 30_002, column: 13, message: Self.message))
        // The stream was read up to the chunk with the comment, which libxml2 never saw (no <b>).
        #expect(elements > 1 && elements <= 30_001)
    }

    /// Where chunks end cannot move or hide a failure: every document, fed in chunks of 1 to 9
    /// bytes, gives the error it gives whole.
    @Test(arguments: [
        "<r>\n  <!-- a -- b --></r>",
        "<r>Hà Nội\n<!-- ok --><![CDATA[ <!-- -- ]]><?pi <!-- -- ?>\n<!-- Đà -- x --></r>",
        "<r><!-- a ---></r>",
        "<r><<!-- -- --></r>",
        "<r><!-x <!-- -- --></r>",
        "<r><!----><!-- - --><a>-- &lt;!-- --</a></r>",
    ])
    func aFailureIsFoundAtTheSamePlaceWhereverChunksEnd(text: String) {
        for encoding in [String.Encoding.utf8, .utf16LittleEndian, .utf16BigEndian, .utf16] {
            let bytes = [UInt8](text.data(using: encoding)!)
            let whole = bytes.withUnsafeBytes { CommentCheck.error(in: $0, source: "c.xml") }
            for size in 1...9 {
                var check = CommentCheck()
                var start = 0
                while start < bytes.count {
                    let end = min(start + size, bytes.count)
                    bytes[start..<end].withUnsafeBytes { check.feed($0) }
                    start = end
                }
                #expect(check.error(source: "c.xml", document: bytes) == whole, "\(encoding), chunks of \(size)")
            }
        }
        // The UTF-8 positions, counted by hand: line, then characters from the start of the line.
        let expected: [String: (Int, Int)?] = [
            "<r>\n  <!-- a -- b --></r>": (2, 10), "<r><!-- a ---></r>": (1, 11), "<r><<!-- -- --></r>": (1, 10),
            "<r><!-x <!-- -- --></r>": (1, 14), "<r><!----><!-- - --><a>-- &lt;!-- --</a></r>": nil,
        ]
        if let position = expected[text] {
            let found = Array(text.utf8).withUnsafeBytes { CommentCheck.error(in: $0, source: "c.xml") }
            #expect(found == position.map { XMLError.malformed(source: "c.xml", line: $0.0, column: $0.1, message: Self.message) })
        }
    }
}
