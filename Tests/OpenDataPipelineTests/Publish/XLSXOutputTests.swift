import Foundation
import LibXML
import Logging
@testable import OpenDataPipeline
import Testing
import ZIPFoundation

/// The `.xlsx` workbook, read back by openpyxl and by LibreOffice under a Vietnamese locale,
/// cell by cell against the published CSV.
@Suite("XLSX output")
struct XLSXOutputTests {
    static let python = validatorPython(with: ["openpyxl"])
    static let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].first(where: FileManager.default.isExecutableFile)
    static let vietnameseLocale = ((try? runTool("/usr/bin/locale", ["-a"]))?.output ?? "").split(separator: "\n").contains("vi_VN.utf8")

    /// Codes with leading zeros, formula-like text, Vietnamese, XML's special characters, spaces at the ends,
    /// line breaks, decimals with declared places, integers beyond a double's digits, dates on both sides of 1900-03-01.
    static let csv = """
        code,note,amount,count,day,flag,big,ratio
        01,"Hà Nội, ""thủ đô"" <b>&amp;</b>",17.90,-7,2018-09-18,true,1234567890123456789,0.1
        007,=1+1,-0.50,0,1899-12-31,false,12,-2.5
        ,+84 912,,,,,,
        0012,-5,1234567.25,42,2024-02-29,false,-3,1000000
        A-1,@SUM(A1),0.01,1,1900-03-01,true,9007199254740993,3.14159
        X,_x0041_ stays,3.00,2,1900-02-28,,5,
        T," two  spaces	and a tab ",1.10,3,2018-01-01,true,6,0.000123
        L,"two
        lines",2.00,4,2018-01-02,false,7,12.5

        """

    private func pipeline(_ directory: TemporaryDirectory, csv: String = Self.csv, publish: String = "[csv, xlsx]") throws -> Pipeline {
        try directory.write(csv, to: "p/notes.csv")
        let path = try directory.write(
            testPipelineHeader + """

                  - id: notes
                    title: {vi: Ghi chú, en: Notes}
                    description: {vi: Mô tả, en: Description}
                    illustrative: {vi: Số liệu minh họa., en: Illustrative figures.}
                    source: {type: csv, path: p/notes.csv}
                    fields:
                      - {name: code, type: string, title: {vi: Mã, en: Code}}
                      - {name: note, type: string, title: {vi: Ghi chú, en: Note}}
                      - {name: amount, type: number, decimals: 2, title: {vi: Số tiền, en: Amount}, unit: đồng}
                      - {name: count, type: integer}
                      - {name: day, type: date, title: {vi: Ngày, en: Day}}
                      - {name: flag, type: boolean}
                      - {name: big, type: integer}
                      - {name: ratio, type: number}
                    publish: \(publish)

                """, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    private func runner(_ directory: TemporaryDirectory, at seconds: TimeInterval = 1_537_236_000) -> PipelineRunner {
        PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: seconds) })
    }

    private static let folder = "Output/current/test-pipeline"

    /// Compares every cell of the data sheet with the CSV, by the field's type; prints what it found as JSON.
    private static let openpyxlCheck = #"""
        import csv, datetime, decimal, json, re, sys, zipfile
        import openpyxl
        xlsx, csv_path, package_path = sys.argv[1:4]
        package = json.load(open(package_path, encoding='utf-8'))
        table = next(r for r in package['resources'] if r['path'] == 'data/notes.csv')
        fields = table['schema']['fields']
        rows = list(csv.reader(open(csv_path, encoding='utf-8', newline='')))
        book = openpyxl.load_workbook(xlsx)
        sheet = book.worksheets[0]
        # OOXML's escape of a character (ST_Xstring `_xHHHH_`), which Excel and LibreOffice decode and openpyxl does not.
        def unescape(text):
            return re.sub(r'_x([0-9A-Fa-f]{4})_', lambda m: chr(int(m.group(1), 16)), text) if isinstance(text, str) else text
        def significant(text):
            digits = text.lstrip('-').replace('.', '').lstrip('0').rstrip('0')
            return len(digits)
        problems, kinds = [], {}
        sheet_rows = list(sheet.iter_rows())
        if len(sheet_rows) != len(rows):
            problems.append(f'{len(sheet_rows)} sheet rows for {len(rows)} CSV rows')
        for r, (cells, texts) in enumerate(zip(sheet_rows[1:], rows[1:]), start=2):
            for field, cell, text in zip(fields, cells, texts):
                value, kind = unescape(cell.value), field['type']
                where = f'{cell.coordinate} ({field["name"]}, {text!r}): found {value!r} ({cell.data_type})'
                if cell.data_type == 'f':
                    problems.append(where + ' is a formula'); continue
                if text == '':
                    ok, got = value is None, 'empty'
                elif kind == 'string':
                    ok, got = cell.data_type == 's' and value == text, 'text'
                elif kind == 'integer' and significant(text) > 15:
                    ok, got = cell.data_type == 's' and value == text, 'text'
                elif kind == 'integer':
                    ok, got = type(value) is int and value == int(text), 'integer'
                elif kind == 'number':
                    ok, got = type(value) in (int, float) and decimal.Decimal(repr(value)) == decimal.Decimal(text), 'number'
                elif kind == 'date' and text < '1900-03-01':
                    ok, got = cell.data_type == 's' and value == text, 'text'
                elif kind == 'date':
                    ok, got = cell.is_date and isinstance(value, datetime.datetime) and value.date().isoformat() == text, 'date'
                elif kind == 'boolean':
                    ok, got = type(value) is bool and value == (text == 'true'), 'boolean'
                else:
                    ok, got = False, 'unknown'
                if not ok: problems.append(where)
                kinds[got] = kinds.get(got, 0) + 1
        archive = zipfile.ZipFile(xlsx)
        formulas = sum(len(re.findall(r'<f[ >/]', archive.read(n).decode())) for n in archive.namelist() if n.startswith('xl/worksheets/'))
        about = book.worksheets[1]
        print(json.dumps({
            'problems': problems, 'kinds': kinds, 'formulas': formulas, 'sheets': book.sheetnames,
            'frozen': sheet.freeze_panes, 'header': [c.value for c in sheet_rows[0]],
            'about': [[c.value for c in row] for row in about.iter_rows()],
            'title': book.properties.title, 'creator': book.properties.creator,
            'modified': book.properties.modified.isoformat(),
            'formats': {field['name']: sheet_rows[1][i].number_format for i, field in enumerate(fields)},
        }, ensure_ascii=False))
        """#

    private struct OpenpyxlReport: Decodable {
        var problems: [String]
        var kinds: [String: Int]
        var formulas: Int
        var sheets: [String]
        var frozen: String?
        var header: [String]
        var about: [[String?]]
        var title: String
        var creator: String
        var modified: String
        var formats: [String: String]
    }

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with openpyxl (.ci/run installs one)"))
    func openpyxlReadsEveryCellWithTheTypeAndValueOfTheCSV() throws {
        let directory = try TemporaryDirectory()
        _ = try runner(directory).run([pipeline(directory)])
        let base = directory.url.appendingPathComponent(Self.folder)
        let result = try runTool(
            try #require(Self.python),
            [
                "-c", Self.openpyxlCheck, base.appendingPathComponent("data/notes.xlsx").path, base.appendingPathComponent("data/notes.csv").path,
                base.appendingPathComponent("datapackage.json").path,
            ])
        #expect(result.status == 0, "\(result.error)")
        let report = try JSONDecoder().decode(OpenpyxlReport.self, from: Data(result.output.utf8))
        #expect(report.problems == [])
        // 8 rows of 8 cells, by kind: text 7 codes, 8 notes, 2 dates before 1900-03-01 and 2 integers of 16 or more digits.
        #expect(report.kinds == ["text": 19, "integer": 12, "number": 13, "date": 5, "boolean": 6, "empty": 9])
        #expect(report.formulas == 0)
        #expect(report.sheets == ["Dữ liệu", "Giới thiệu (About)"])
        #expect(report.frozen == "A2")
        #expect(report.header == ["Mã", "Ghi chú", "Số tiền", "count", "Ngày", "flag", "big", "ratio"])
        #expect(report.formats["amount"] == "0.00")
        #expect(report.formats["day"] == "yyyy\\-mm\\-dd")
        #expect(report.formats["code"] == "@")
        #expect(report.title == "Ghi chú")
        #expect(report.creator == "Sở TT&TT")
        // The release's time in UTC, not the time the file was written.
        #expect(report.modified == "2018-09-18T02:00:00")
        let about = Dictionary(report.about.compactMap { row in row.first.flatMap { $0 }.map { ($0, Array(row.dropFirst())) } }) { a, _ in a }
        #expect(about["Tiêu đề / Title"]?.prefix(2) == ["Ghi chú", "Notes"])
        #expect(about["Số liệu minh họa / Illustrative figures"]?.prefix(2) == ["Số liệu minh họa.", "Illustrative figures."])
        #expect(about["Giấy phép / Licence"]?.first == "CC-BY-4.0")
        #expect(about["Phiên bản / Release"]?.first == "20180918T020000Z")
        #expect(about["Đơn vị công bố / Publisher"]?.first == "Sở TT&TT")
        let notes = try #require(about["Ghi chú / Notes"]?[1])
        #expect(notes.contains("2 numbers of more than 15 significant digits are text cells"))
        #expect(notes.contains("2 dates before 1900-03-01 are text cells"))
        #expect(about["C"]?.prefix(5) == ["amount", "Số tiền", "Amount", "number", "đồng"])
    }
    /// Compares LibreOffice's CSV of the data sheet (`;`-separated, every text cell quoted, cells as shown under
    /// vi_VN, whose decimal separator is a comma) with the published CSV: a number shows as a number in the
    /// locale's way and unquoted, so a number turned into text, or a code that lost its zeros, shows.
    private static let libreOfficeCheck = #"""
        import csv, decimal, json, sys
        office_path, csv_path, package_path = sys.argv[1:4]
        package = json.load(open(package_path, encoding='utf-8'))
        fields = next(r for r in package['resources'] if r['path'] == 'data/notes.csv')['schema']['fields']
        rows = list(csv.reader(open(csv_path, encoding='utf-8', newline='')))
        def cells(text):
            # Records of (value, quoted): quoting is how LibreOffice says a cell is text.
            records, record, value, quoted, i = [], [], '', False, 0
            while i < len(text):
                c = text[i]
                if c == '"' and not value and not quoted:
                    quoted, j = True, i + 1
                    while True:
                        k = text.index('"', j)
                        if text[k + 1:k + 2] == '"':
                            value += text[j:k] + '"'; j = k + 2
                        else:
                            value += text[j:k]; i = k + 1; break
                    continue
                if c in ';\n':
                    record.append((value, quoted)); value, quoted = '', False
                    if c == '\n': records.append(record); record = []
                else:
                    value += c
                i += 1
            return records
        office = cells(open(office_path, encoding='utf-8').read())
        def significant(text):
            return len(text.lstrip('-').replace('.', '').lstrip('0').rstrip('0'))
        problems, shown = [], {}
        if len(office) != len(rows): problems.append(f'{len(office)} rows for {len(rows)}')
        for r, (found, texts) in enumerate(zip(office[1:], rows[1:]), start=2):
            for field, (value, quoted), text in zip(fields, found, texts):
                kind = field['type']
                if text == '': ok = value == '' and not quoted
                elif kind == 'string' or (kind == 'integer' and significant(text) > 15) or (kind == 'date' and text < '1900-03-01'):
                    ok = quoted and value == text
                elif kind in ('integer', 'date'): ok = not quoted and value == text
                elif kind == 'number' and 'decimals' in field: ok = not quoted and value == text.replace('.', ',')
                elif kind == 'number': ok = not quoted and decimal.Decimal(value.replace(',', '.')) == decimal.Decimal(text)
                else: ok = not quoted
                if kind == 'boolean' and text: shown[text] = value
                if not ok: problems.append(f'row {r}, {field["name"]}: {text!r} shown as {value!r}' + (' (text)' if quoted else ''))
        print(json.dumps({'problems': problems, 'header': [v for v, _ in office[0]], 'booleans': shown,
                          'amounts': [row[2][0] for row in office[1:]]}, ensure_ascii=False))
        """#

    private struct OfficeReport: Decodable {
        var problems: [String]
        var header: [String]
        var booleans: [String: String]
        var amounts: [String]
    }

    @Test(
        .enabled(if: soffice != nil, "LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc-nogui"),
        .enabled(if: vietnameseLocale, "the vi_VN.UTF-8 locale is not generated: .ci/run generates it"))
    func libreOfficeUnderAVietnameseLocaleKeepsNumbersNumbersAndCodesText() throws {
        let directory = try TemporaryDirectory()
        _ = try runner(directory).run([pipeline(directory)])
        let base = directory.url.appendingPathComponent(Self.folder)
        let converted = directory.url.appendingPathComponent("office")
        let result = try runTool(
            try #require(Self.soffice),
            [
                "--headless", "-env:UserInstallation=file://\(directory.url.appendingPathComponent("profile").path)",
                "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,true,false,true", "--outdir", converted.path,
                base.appendingPathComponent("data/notes.xlsx").path,
            ], environment: ["LANG": "vi_VN.UTF-8", "LC_ALL": "vi_VN.UTF-8"])
        #expect(result.status == 0, "\(result.error)")
        let check = try runTool(
            "/usr/bin/python3",
            [
                "-c", Self.libreOfficeCheck, converted.appendingPathComponent("notes.csv").path,
                base.appendingPathComponent("data/notes.csv").path, base.appendingPathComponent("datapackage.json").path,
            ])
        #expect(check.status == 0, "\(check.error)")
        let report = try JSONDecoder().decode(OfficeReport.self, from: Data(check.output.utf8))
        #expect(report.problems == [])
        #expect(report.header == ["Mã", "Ghi chú", "Số tiền", "count", "Ngày", "flag", "big", "ratio"])
        // Two places as declared, in the locale's way: the CSV's 17.90 is 17,90, never the text "17.90".
        #expect(report.amounts == ["17,90", "-0,50", "", "1234567,25", "0,01", "3,00", "1,10", "2,00"])
        #expect(report.booleans.keys.sorted() == ["false", "true"])
    }
    @Test func aCharacterXMLCannotHoldIsATypeErrorNamingTheRowAndFieldAndPublishesNothing() throws {
        let directory = try TemporaryDirectory()
        // U+FFFF is valid UTF-8 and passes the CSV reader, but no XML document may hold it.
        let csv = "code,note,amount,count,day,flag,big,ratio\n01,ok,1.00,1,2018-01-01,true,1,1\n02,bad\u{FFFF}here,2.00,2,2018-01-02,false,2,2\n"
        let loaded = try pipeline(directory, csv: csv)
        let issues = try runner(directory).validate([loaded]).validation?.issues ?? []
        #expect(
            issues.map(\.description) == [
                "Pipelines/p/notes.csv, line 3, 'note': 'bad\u{FFFF}here' is not valid: expected text without the control character U+FFFF, "
                    + "which XML (and so an .xlsx file) cannot hold in data/notes.xlsx (dataset 'notes', row 2); "
                    + "correct the value, or publish without xlsx (a publish list without it) [type-error, xlsx]"
            ])
        let failure = failure { try runner(directory).run([loaded]) }
        guard case let PipelineFailure.invalidData(report)? = failure else {
            Issue.record("expected invalidData, got \(String(describing: failure))")
            return
        }
        #expect(report.issues.map(\.rule) == ["xlsx"])
        #expect(PipelineFailure.invalidData(report).exitStatus == 65)
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("Output/current").path))
        // Without xlsx, the same value is published.
        #expect(try runner(directory).run([pipeline(directory, csv: csv, publish: "[csv]")]).datasets.count == 1)
    }

    @Test func theWriterRefusesAControlCharacterItself() throws {
        let directory = try TemporaryDirectory()
        let schema = TableSchema(fields: [Field(name: "code", type: .string), Field(name: "note", type: .string)])
        let writer = try XLSXWriter(schema: schema, path: directory.url.appendingPathComponent("t.xlsx").path)
        var batch = Batch(width: 2)
        batch.append(row: [.string("01"), .string("ok")], line: 2)
        batch.append(row: [.string("02"), .string("bell\u{7}")], line: 3)
        let failure = failure { try writer.write(batch) }
        guard case let PipelineFailure.cannotPublish(path, reason)? = failure else {
            Issue.record("expected cannotPublish, got \(String(describing: failure))")
            return
        }
        #expect(path.hasSuffix("/t.xlsx"))
        #expect(reason == "expected text without the control character U+0007, which XML (and so an .xlsx file) cannot hold (row 2, column 2)")
    }

    @Test func theWorkbookIsTheSameBytesForTheSameRowsAndDatedFromTheRelease() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        _ = try runner(first).run([pipeline(first)])
        _ = try runner(second).run([pipeline(second)])
        let path = "\(Self.folder)/data/notes.xlsx"
        let bytes = try Data(contentsOf: first.url.appendingPathComponent(path))
        #expect(bytes == (try Data(contentsOf: second.url.appendingPathComponent(path))))
        // Another release time: the entries are dated from it (ZIP's dates are UTC, to two seconds).
        let later = try TemporaryDirectory()
        _ = try runner(later, at: 1_600_000_000).run([pipeline(later)])
        let archive = try Archive(url: later.url.appendingPathComponent(path), accessMode: .read)
        let entries = Array(archive)
        #expect(
            entries.map(\.path) == [
                "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
            ])
        #expect(Set(entries.map { $0.fileAttributes[.modificationDate] as? Date }) == [Date(timeIntervalSince1970: 1_600_000_000)])
        // Every part is well-formed XML, by libxml2.
        for entry in entries {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            #expect(throws: Never.self, "\(entry.path)") { _ = try Document(parsing: [UInt8](data), source: entry.path) }
        }
    }

    @Test func itsResourceIsAFileOfTheSpreadsheetMediaTypeAndThePageOffersItFirst() throws {
        let directory = try TemporaryDirectory()
        let report = try runner(directory).run([pipeline(directory)])
        #expect(report.datasets.first?.files.map(\.path) == ["data/notes.csv", "data/notes.xlsx"])
        let base = directory.url.appendingPathComponent(Self.folder)
        let package = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathComponent("datapackage.json"))) as? [String: Any])
        let resources = try #require(package["resources"] as? [[String: Any]])
        let xlsx = try #require(resources.first { $0["path"] as? String == "data/notes.xlsx" })
        #expect(xlsx["name"] as? String == "notes-xlsx")
        #expect(xlsx["format"] as? String == "xlsx")
        #expect(xlsx["mediatype"] as? String == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(xlsx["encoding"] == nil)
        #expect(xlsx["type"] as? String == "file")
        #expect(xlsx["schema"] == nil)
        let size = try FileManager.default.attributesOfItem(atPath: base.appendingPathComponent("data/notes.xlsx").path)[.size]
        #expect(xlsx["bytes"] as? Int == size as? Int)
        for (page, label) in [("notes.html", "Bảng tính Excel (.xlsx)"), ("notes.en.html", "Excel workbook (.xlsx)")] {
            let html = try String(contentsOf: base.appendingPathComponent(page), encoding: .utf8)
            let link = "<a href=\"data/notes.xlsx\" type=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\">\(label)</a>"
            let csvLink = html.range(of: "<a href=\"data/notes.csv\"")?.lowerBound
            #expect(try #require(html.range(of: link)).lowerBound < (try #require(csvLink)))
        }
        #expect(OutputFormats.contentType(ofDataFile: "notes.xlsx") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    @Test func aDatasetWithoutAPublishListGetsAWorkbook() throws {
        let directory = try TemporaryDirectory()
        try directory.write("area,population\nHà Nội,8000\n", to: "p/t.csv")
        let path = try directory.write(populationPipeline(publish: "csv").replacingOccurrences(of: "    publish: [csv]\n", with: ""), to: "p.yml")
        let loaded = try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
        #expect(loaded.datasets.first?.formats.contains(.xlsx) == true)
    }
}
