@testable import LibXML
import Testing

@Suite("HTMLTable")
struct HTMLTableTests {
    private func grid(_ html: String) throws -> [[String]] {
        let document = try Document(parsingHTML: Array(html.utf8), source: "t.html")
        let table = try #require(try document.xpath().nodes(XPathQuery("//table")).first)
        return try HTMLTable(table).rows.map(\.cells)
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

    @Test func readsSpansAsBrowsersDo() throws {
        let html = """
            <html><body><table><tr><td colspan="3px">a</td><td colspan="0">b</td><td colspan=" 2">c</td>\
            <td colspan="99999999999999999999">d</td><td colspan="x">e</td></tr></table></body></html>
            """
        let row = try #require(try grid(html).first)
        #expect(row.count == 3 + 1 + 2 + HTMLTable.maximumColumnSpan + 1)
        #expect(row.prefix(7) == ["a", "a", "a", "b", "c", "c", "d"])
        #expect(row.last == "e")
        #expect(HTMLTable.span("70000", maximum: HTMLTable.maximumRowSpan) == 65534)
    }

    @Test func refusesAGridOfMoreCellsThanTheLimitNamingTheCellThatPassesIt() throws {
        let html = """
            <html><body><table>
            <tr><td rowspan="3">A</td><td colspan="2">B</td><td>C</td></tr>
            <tr><td>D</td><td rowspan="2" colspan="2">E</td></tr>
            <tr><td>F</td></tr>
            </table></body></html>
            """
        let document = try Document(parsingHTML: Array(html.utf8), source: "t.html")
        let table = try #require(try document.xpath().nodes(XPathQuery("//table")).first)
        #expect(throws: HTMLTable.TooManyCells(line: 3, row: 2, column: 2, limit: 5)) { try HTMLTable(table, maximumCells: 5) }
        #expect(try HTMLTable(table, maximumCells: 12).rows.count == 3)
    }

    /// 20 KB of `<td colspan=1000 rowspan=65534>` carried down empty rows would expand to 100 million cells.
    @Test func refusesASmallPageWhoseSpansExpandBeyondTheDefaultLimit() throws {
        let cells = String(repeating: "<td colspan=1000 rowspan=65534>x</td>", count: 500)
        let html = "<html><body><table>\n<tr>\(cells)</tr>\n" + String(repeating: "<tr></tr>\n", count: 200) + "</table></body></html>"
        #expect(html.utf8.count < 21_000)
        let document = try Document(parsingHTML: Array(html.utf8), source: "t.html")
        let table = try #require(try document.xpath().nodes(XPathQuery("//table")).first)
        #expect(throws: HTMLTable.TooManyCells(line: 2, row: 3, column: 1, limit: 1_000_000)) { try HTMLTable(table) }
    }

    @Test func treatsEveryParserErrorAsAFailure() throws {
        #expect(throws: XMLError.malformed(source: "t.html", line: 1, column: 36, message: "Unexpected end tag : i")) {
            _ = try Document(parsingHTML: Array("<html><body><p>unclosed <b>bold</i></p></body></html>".utf8), source: "t.html")
        }
    }
}
