import LibXML
import Testing

@Suite("HTMLTable")
struct HTMLTableTests {
    private func grid(_ html: String) throws -> [[String]] {
        let document = try Document(parsingHTML: Array(html.utf8), source: "t.html")
        let table = try #require(try document.xpath().nodes(XPathQuery("//table")).first)
        return HTMLTable(table).rows.map(\.cells)
    }

    @Test func expandsColspanAndRowspanIntoEverySlotTheyCover() throws {
        let html = """
            <html><body><table>
            <tr><td rowspan="3">A</td><td colspan="2">B</td><td>C</td></tr>
            <tr><td>D</td><td rowspan="2" colspan="2">E</td></tr>
            <tr><td>F</td></tr>
            </table></body></html>
            """
        #expect(try grid(html) == [["A", "B", "B", "C"], ["A", "D", "E", "E"], ["A", "F", "E", "E"]])
    }

    @Test func clampsAbsurdSpans() throws {
        let html = "<html><body><table><tr><td colspan=\"99999999\">x</td></tr></table></body></html>"
        #expect(try grid(html).first?.count == HTMLTable.maximumColumnSpan)
    }

    @Test func treatsEveryParserErrorAsAFailure() throws {
        #expect(throws: XMLError.malformed(source: "t.html", line: 1, column: 36, message: "Unexpected end tag : i")) {
            _ = try Document(parsingHTML: Array("<html><body><p>unclosed <b>bold</i></p></body></html>".utf8), source: "t.html")
        }
    }
}
