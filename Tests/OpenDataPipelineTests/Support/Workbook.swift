import Foundation
import ZIPFoundation

/// Writes a minimal .xlsx at `path`: one sheet named `sheet` with `rows` (the `<row>` elements).
func writeWorkbook(at path: String, sheet: String = "Data", rows: String) throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    let parts = [
        (
            "xl/workbook.xml",
            "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"\(sheet)\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
        ),
        (
            "xl/_rels/workbook.xml.rels",
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
        ),
        ("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"\(main)\"><sheetData>\(rows)</sheetData></worksheet>"),
    ]
    for (name, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}

/// An inline-string cell.
func textCell(_ reference: String, _ text: String) -> String {
    "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>"
}
