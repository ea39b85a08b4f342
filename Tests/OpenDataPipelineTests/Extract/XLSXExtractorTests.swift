import Foundation
@testable import OpenDataPipeline
import Synchronization
import Testing
import ZIPFoundation

@Suite("Spreadsheets (.xlsx)")
struct XLSXExtractorTests {
    private static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/OpenDataPipelineTests/Fixtures/\(name)").path
    }

    private static func field(_ name: String, _ type: FieldType, from: String? = nil, required: Bool = false) -> SourceField {
        SourceField(field: Field(name: name, type: type, constraints: .init(required: required)), from: from, numberFormat: .vi)
    }

    private static let populationFields = [
        field("tinh", .string, from: "Tỉnh"), field("dan_so_2019", .number, from: "Dân số / 2019"),
        field("ma", .string, from: "Mã"), field("ngay", .date, from: "Ngày công bố"),
        field("chinh_thuc", .boolean, from: "Chính thức"),
    ]

    private func rows(
        _ path: String, sheet: String? = "Dân số", range: String? = "A3:F8", headerRows: Int = 2,
        fields: [SourceField] = populationFields, maximumCompressionRatio: Int = XLSXExtractor.defaultMaximumCompressionRatio
    ) throws -> [[String]] {
        var rows: [[String]] = []
        try XLSXExtractor(
            path: path, displayPath: "dan-so.xlsx", sheet: sheet, range: range.flatMap(CellRange.init), headerRows: headerRows,
            fields: fields, maximumCompressionRatio: maximumCompressionRatio
        ).extract { batch in
            for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "-" }) }
        }
        return rows
    }

    @Test func readsASheetByNameWithMergedHeadersDatesCodesAndBooleans() throws {
        #expect(
            try rows(Self.fixture("dan-so.xlsx")) == [
                ["Hà Nội", "8093.9", "01", "2019-12-19", "true"],
                ["Đà Nẵng", "1141.1", "048", "2020-01-02", "false"],
                ["Thừa Thiên Huế", "1129.4", "046", "2020-02-29", "true"],
            ])
    }

    @Test func namesTheSheetAndCellOfABadValue() throws {
        let fields = [Self.field("tinh", .string, from: "Tỉnh"), Self.field("dan_so", .number, from: "Dân số / 2018", required: true)]
        let error = failure { try rows(Self.fixture("dan-so.xlsx"), range: "A3:F9", fields: fields) }
        guard case let PipelineFailure.badValue(location, _, expected, _)? = error else {
            Issue.record("expected a bad value, got \(String(describing: error))")
            return
        }
        #expect(location.field == "'Dân số'!B9")
        #expect(expected.contains("required"))
    }

    @Test func namesTheSheetsWhenTheOneAskedForIsMissing() throws {
        #expect("\(failure { try rows(Self.fixture("dan-so.xlsx"), sheet: "Sheet9") }!)".contains("the workbook has: Ghi chú, Dân số"))
    }

    @Test func readsDatesInThe1904DateSystem() throws {
        let rows = try rows(
            Self.fixture("dates-1904.xlsx"), sheet: nil, range: nil, headerRows: 1, fields: [Self.field("ngay", .date)])
        #expect(rows == [["1904-01-02"], ["2018-09-18"]])
    }

    @Test func convertsDateSerialsInThe1900System() {
        #expect(XLSXTableBuilder.date(serial: "1", date1904: false) == "1900-01-01")
        #expect(XLSXTableBuilder.date(serial: "59", date1904: false) == "1900-02-28")
        #expect(XLSXTableBuilder.date(serial: "60", date1904: false) == nil)  // Excel's 29 February 1900
        #expect(XLSXTableBuilder.date(serial: "61", date1904: false) == "1900-03-01")
        #expect(XLSXTableBuilder.date(serial: "43361.75", date1904: false) == "2018-09-18")
        #expect(XLSXTableBuilder.date(serial: "0", date1904: true) == "1904-01-01")
    }

    /// A workbook as Excel writes it (shared strings, a style table), built here part by part.
    static func excelStyleWorkbook(
        sheetData: String, afterSheetData: String = "", extra: [(String, Data)] = []
    ) throws -> (String, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("excel.xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let parts: [(String, String)] = [
            (
                "xl/workbook.xml",
                "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><workbookPr date1904=\"false\"/><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId7\" Type=\"\(rel)/worksheet\" Target=\"/xl/worksheets/data.xml\"/></Relationships>"
            ),
            (
                "xl/styles.xml",
                "<styleSheet xmlns=\"\(main)\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts><cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"3\"/></cellXfs></styleSheet>"
            ),
            (
                "xl/sharedStrings.xml",
                "<sst xmlns=\"\(main)\"><si><t>ma</t></si><si><t>ten</t></si><si><t>so</t></si><si><r><t>Hà </t></r><r><t>Nội</t></r><rPh><t>ハノイ</t></rPh></si><si><t>007</t></si></sst>"
            ),
            ("xl/worksheets/data.xml", "<worksheet xmlns=\"\(main)\"><sheetData>\(sheetData)</sheetData>\(afterSheetData)</worksheet>"),
        ]
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        for (name, data) in extra {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return (url.path, directory)
    }

    @Test func readsSharedStringsRichTextAndNumbersAsExcelWritesThem() throws {
        let (path, directory) = try Self.excelStyleWorkbook(
            sheetData: """
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
                <row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" s="2"><v>1.2345678901234501E-2</v></c></row>
                <row r="3"><c r="B3" t="str"><v>công thức</v></c><c r="C3"><v>1883</v></c></row>
                """)
        _ = directory
        let rows = try rows(
            path, sheet: nil, range: nil, headerRows: 1,
            fields: [Self.field("ma", .string), Self.field("ten", .string), Self.field("so", .number)])
        #expect(rows == [["007", "Hà Nội", "0.012345678901234501"], ["-", "công thức", "1883"]])
    }

    /// Every part is inflated once, and the sheet's cells are read once: the merged ranges, which
    /// follow the cells, come from the sheet without its cells (``XLSXSheetOutline``).
    @Test func inflatesEachPartOnce() throws {
        let (path, directory) = try Self.excelStyleWorkbook(
            sheetData: """
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
                <row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>3</v></c></row>
                <row r="3"><c r="A3" t="str"><v>008</v></c></row>
                """,
            afterSheetData: "<mergeCells count=\"1\"><mergeCell ref=\"B2:B3\"/></mergeCells>")
        _ = directory
        final class Parts: Sendable { let names = Mutex<[String]>([]) }
        let parts = Parts()
        var extractor = XLSXExtractor(
            path: path, displayPath: "excel.xlsx", fields: [Self.field("ma", .string), Self.field("ten", .string)])
        extractor.partSink = { name in parts.names.withLock { $0.append(name) } }
        let reads = Parts()
        extractor.readSink = { name in reads.names.withLock { $0.append(name) } }
        var rows: [[String]] = []
        try extractor.extract { batch in
            for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "-" }) }
        }
        // B3 is filled from the merge B2:B3, known before the cells are read.
        #expect(rows == [["007", "Hà Nội"], ["008", "Hà Nội"]])
        #expect(
            parts.names.withLock { $0 } == [
                "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/data.xml",
            ])
        #expect(reads.names.withLock { $0 }.filter { $0 == "xl/worksheets/data.xml" }.count == 1)
    }

    @Test func aCellTypeOutsideTheStandardIsAnError() throws {
        let (path, directory) = try Self.excelStyleWorkbook(
            sheetData: """
                <row r="1"><c r="A1" t="s"><v>0</v></c></row>
                <row r="2"><c r="A2" t="x"><v>1</v></c></row>
                """)
        _ = directory
        #expect(
            throws: PipelineFailure.malformedSource(
                SourceLocation(file: "dan-so.xlsx", field: "Sheet1!A2"),
                problem: "a cell of type t=\"x\": expected b, d, e, inlineStr, n, s or str")
        ) {
            try rows(path, sheet: nil, range: nil, headerRows: 1, fields: [Self.field("ma", .string)])
        }
    }

    @Test func aBooleanCellOtherThan0Or1IsAnError() throws {
        let (path, directory) = try Self.excelStyleWorkbook(
            sheetData: """
                <row r="1"><c r="A1" t="s"><v>0</v></c></row>
                <row r="2"><c r="A2" t="b"><v>1</v></c></row>
                <row r="3"><c r="A3" t="b"><v>2</v></c></row>
                """)
        _ = directory
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "dan-so.xlsx", field: "Sheet1!A3"), value: "2", expected: "a boolean cell of 0 or 1")
        ) {
            try rows(path, sheet: nil, range: nil, headerRows: 1, fields: [Self.field("ma", .boolean)])
        }
        let valid = try rows(path, sheet: nil, range: "A1:A2", headerRows: 1, fields: [Self.field("ma", .boolean)])
        #expect(valid == [["true"]])
    }

    @Test func refusesAZipBomb() throws {
        let bomb = Data(count: 20 << 20)  // 20 MiB of zeros deflate about a thousand times
        let (bombPath, bombDirectory) = try Self.excelStyleWorkbook(sheetData: "")
        _ = bombDirectory
        // Replace the sheet with the bomb: now the reader must inflate it, and refuses.
        let archive = try Archive(url: URL(fileURLWithPath: bombPath), accessMode: .update)
        try archive.remove(archive["xl/worksheets/data.xml"]!)
        try archive.addEntry(with: "xl/worksheets/data.xml", type: .file, uncompressedSize: Int64(bomb.count), compressionMethod: .deflate) {
            position, size in bomb.subdata(in: Int(position)..<Int(position) + size)
        }
        let error = failure { try rows(bombPath, sheet: nil, range: nil, headerRows: 1, fields: [Self.field("x", .number)]) }
        #expect("\(String(describing: error))".contains("zip bomb"), "\(String(describing: error))")
    }

    @Test func refusesAFileThatIsNotAWorkbook() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("ma,ten\n", to: "fake.xlsx")
        #expect("\(failure { try rows(path) }!)".contains("not a ZIP archive"))
    }
}
