import Foundation
import LibXML
@testable import OpenDataPipeline
import Testing

/// The sheet without its cells, cut from the two ends of the part, for the merged ranges.
@Suite("XLSX sheet outline")
struct XLSXSheetOutlineTests {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    private func outline(_ xml: String) throws -> String? {
        let directory = try TemporaryDirectory()
        let path = try directory.write(xml, to: "sheet.xml")
        return XLSXSheetOutline.bytes(ofPart: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func cutsOutThePrefixedCellsAndKeepsTheMergesWellFormed() throws {
        // Many rows, so the head and the tail are read in blocks from the two ends; a cell's text holds "sheetData>".
        let rows = (1...3000).map { "<x:row r=\"\($0)\"><x:c r=\"A\($0)\" t=\"inlineStr\"><x:is><x:t>sheetData&gt; \($0)</x:t></x:is></x:c></x:row>" }
        let head = "<?xml version=\"1.0\"?>\n<x:worksheet xmlns:x=\"\(Self.main)\"><x:dimension ref=\"A1:B3000\"/>"
        let tail = "<x:mergeCells count=\"2\"><x:mergeCell ref=\"A1:B1\"/><x:mergeCell ref=\"A2:A3\"/></x:mergeCells></x:worksheet>\n"
        let text = try #require(try outline(head + "<x:sheetData>" + rows.joined() + "</x:sheetData>" + tail))
        #expect(text == head + tail)
        let directory = try TemporaryDirectory()
        let merges = try XLSXSheet.merges(XMLStreamReader(path: directory.write(text, to: "o.xml"), source: "o.xml"))
        #expect(merges.map(\.description) == ["A1:B1", "A2:A3"])
    }

    @Test func anEmptySheetDataAndAMissingOneAreHandled() throws {
        let empty = "<worksheet xmlns=\"\(Self.main)\"><sheetData/><mergeCells count=\"0\"/></worksheet>"
        #expect(try outline(empty) == "<worksheet xmlns=\"\(Self.main)\"><mergeCells count=\"0\"/></worksheet>")
        // No sheetData at all: nothing is cut, the whole part is read instead.
        #expect(try outline("<worksheet xmlns=\"\(Self.main)\"><sheetDataX/></worksheet>") == nil)
    }
}
