import Foundation

/// The small parts of the published workbook (content types, relationships, workbook,
/// styles, document properties and the About sheet), as bytes. The data sheet streams
/// through ``XLSXWriter``; everything here is a few kilobytes.
enum XLSXParts {
    static let dataSheetName = "Dữ liệu"
    static let aboutSheetName = "Giới thiệu (About)"
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Cell styles (indexes into `cellXfs`).
    enum Style {
        static let header = 1
        static let text = 2
        static let date = 3
        /// A number shown with `decimals` places, one style for each count `decimalPlaces` lists.
        static func decimals(_ decimals: Int, among decimalPlaces: [Int]) -> Int? {
            decimalPlaces.firstIndex(of: decimals).map { 4 + $0 }
        }
    }

    static func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        SheetCells.appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static var contentTypes: String {
        let types = "application/vnd.openxmlformats-officedocument"
        return declaration
            + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="\#(types).spreadsheetml.sheet.main+xml"/>"#
            + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="\#(types).spreadsheetml.worksheet+xml"/>"#
            + #"<Override PartName="/xl/worksheets/sheet2.xml" ContentType="\#(types).spreadsheetml.worksheet+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" ContentType="\#(types).spreadsheetml.styles+xml"/>"#
            + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
            + #"<Override PartName="/docProps/app.xml" ContentType="\#(types).extended-properties+xml"/>"#
            + "</Types>\n"
    }

    static var packageRelationships: String {
        declaration
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + #"<Relationship Id="rId1" Type="\#(relationshipNamespace)/officeDocument" Target="xl/workbook.xml"/>"#
            + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" "#
            + #"Target="docProps/core.xml"/>"#
            + #"<Relationship Id="rId3" Type="\#(relationshipNamespace)/extended-properties" Target="docProps/app.xml"/>"#
            + "</Relationships>\n"
    }

    static var workbook: String {
        declaration
            + #"<workbook xmlns="\#(mainNamespace)" xmlns:r="\#(relationshipNamespace)">"#
            + #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
            + #"<sheet name="\#(escaped(dataSheetName))" sheetId="1" r:id="rId1"/>"#
            + #"<sheet name="\#(escaped(aboutSheetName))" sheetId="2" r:id="rId2"/>"#
            + "</sheets></workbook>\n"
    }

    static var workbookRelationships: String {
        declaration
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + #"<Relationship Id="rId1" Type="\#(relationshipNamespace)/worksheet" Target="worksheets/sheet1.xml"/>"#
            + #"<Relationship Id="rId2" Type="\#(relationshipNamespace)/worksheet" Target="worksheets/sheet2.xml"/>"#
            + #"<Relationship Id="rId3" Type="\#(relationshipNamespace)/styles" Target="styles.xml"/>"#
            + "</Relationships>\n"
    }

    /// General, the bold text header, text (`@`), ISO dates, then a fixed-decimals format for each of `decimalPlaces`.
    static func styles(decimalPlaces: [Int]) -> String {
        let formats =
            [#"<numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/>"#]
            + decimalPlaces.enumerated().map { index, places in
                #"<numFmt numFmtId="\#(165 + index)" formatCode="0.\#(String(repeating: "0", count: places))"/>"#
            }
        let cells =
            [
                #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
                #"<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>"#,
                #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
                #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
            ]
            + decimalPlaces.indices.map { #"<xf numFmtId="\#(165 + $0)" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"# }
        return declaration
            + #"<styleSheet xmlns="\#(mainNamespace)">"#
            + #"<numFmts count="\#(formats.count)">\#(formats.joined())</numFmts>"#
            + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
            + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
            + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
            + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
            + #"<cellXfs count="\#(cells.count)">\#(cells.joined())</cellXfs>"#
            + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
            + "</styleSheet>\n"
    }

    /// Title, description, author and dates (W3CDTF in UTC): the file's properties a spreadsheet shows.
    static func coreProperties(title: String, subject: String, creator: String, description: String, modified: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let time = formatter.string(from: modified)
        return declaration
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#
            + #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#
            + #"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:title>\(escaped(title))</dc:title><dc:subject>\(escaped(subject))</dc:subject>"
            + "<dc:creator>\(escaped(creator))</dc:creator><dc:description>\(escaped(description))</dc:description>"
            + "<dc:language>vi</dc:language>"
            + #"<dcterms:created xsi:type="dcterms:W3CDTF">\#(time)</dcterms:created>"#
            + #"<dcterms:modified xsi:type="dcterms:W3CDTF">\#(time)</dcterms:modified>"#
            + "</cp:coreProperties>\n"
    }

    static var appProperties: String {
        declaration
            + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#
            + "<Application>opendata-pipeline</Application></Properties>\n"
    }

    /// The start of a worksheet: the header row frozen when `frozenHeader`, and the columns' widths.
    static func sheetStart(widths: [Int], frozenHeader: Bool) -> String {
        let pane =
            frozenHeader
            ? #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>"#
            : ""
        let columns = widths.enumerated().map { index, width in
            #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
        }
        return declaration
            + #"<worksheet xmlns="\#(mainNamespace)" xmlns:r="\#(relationshipNamespace)">"#
            + #"<sheetViews><sheetView workbookViewId="0"\#(frozenHeader ? #" tabSelected="1""# : "")>\#(pane)</sheetView></sheetViews>"#
            + (columns.isEmpty ? "" : "<cols>\(columns.joined())</cols>")
            + "<sheetData>"
    }

    static let sheetEnd = "</sheetData></worksheet>\n"

    /// The About sheet: what the data is, where it comes from, its licence and release, and its fields.
    static func aboutSheet(_ metadata: DatasetMetadata, notes: LocalizedText) -> [UInt8] {
        let dataset = metadata.dataset
        let pipeline = metadata.pipeline
        let license = [pipeline.license.name, pipeline.license.title.map { "(\($0))" }, pipeline.license.path]
            .compactMap { $0 }.joined(separator: " ")
        let sources = (dataset.sources.isEmpty ? pipeline.sources : dataset.sources)
            .map { [$0.title, $0.path].compactMap { $0 }.joined(separator: " ") }.joined(separator: "; ")
        let publisher = [pipeline.publisher.name, pipeline.publisher.url].compactMap { $0 }.joined(separator: " ")
        func both(_ text: String) -> LocalizedText { LocalizedText(vi: text, en: text) }
        var items: [(String, LocalizedText)] = [
            ("Tiêu đề / Title", dataset.title),
            ("Mô tả / Description", dataset.description),
        ]
        if let illustrative = dataset.illustrative { items.append(("Số liệu minh họa / Illustrative figures", illustrative)) }
        items += [
            ("Nguồn / Source", both(sources)),
            ("Giấy phép / Licence", both(license)),
            ("Đơn vị công bố / Publisher", both(publisher)),
            ("Phiên bản / Release", both(metadata.dataRelease)),
            ("Dữ liệu cập nhật / Data modified", both(metadata.dates.data)),
            (
                "Trang / Page",
                LocalizedText(
                    vi: "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .vi))",
                    en: "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .en))")
            ),
            ("Ghi chú / Notes", notes),
        ]
        var rows: [[String]] = [["Giới thiệu / About", "Tiếng Việt", "English"]]
        rows += items.map { [$0.0, $0.1.vi, $0.1.en] }
        rows.append([])
        rows.append(["Cột / Column", "Trường / Field", "Tiêu đề (Tiếng Việt)", "Title (English)", "Kiểu / Type", "Đơn vị / Unit"])
        for (index, field) in dataset.schema.fields.enumerated() {
            rows.append([
                SheetCells.columnName(index), field.name, field.title?.vi ?? field.name, field.title?.en ?? field.name,
                field.type.rawValue, field.unit ?? "",
            ])
        }
        var out = Array(sheetStart(widths: [34, 60, 60, 24, 12, 16], frozenHeader: false).utf8)
        for (index, row) in rows.enumerated() {
            let number = String(index + 1)
            out.append(contentsOf: "<row r=\"\(number)\">".utf8)
            for (column, text) in row.enumerated() where !text.isEmpty {
                let bold = index == 0 || column == 0 || row.first == "Cột / Column"
                SheetCells.appendText(
                    text, reference: SheetCells.columnName(column) + number, style: bold ? Style.header : Style.text, to: &out)
            }
            out.append(contentsOf: "</row>".utf8)
        }
        out.append(contentsOf: sheetEnd.utf8)
        return out
    }
}
