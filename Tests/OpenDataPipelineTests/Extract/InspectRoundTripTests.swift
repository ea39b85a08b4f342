import Foundation
import GRDB
import Logging
@testable import OpenDataPipeline
import Testing

/// What `inspect` prints, pasted unchanged into a pipeline, passes validate and
/// reads the same values as a pipeline written by hand.
@Suite("inspect: round trip")
struct InspectRoundTripTests {
    /// The commonest statistics-office layout: a title and a unit line, the years across,
    /// ".." and "-" for missing figures, a source line and a footnote below.
    static let provinces = [
        ("Hà Nội", ["8.093,9", "8.246,5", "8.330,8"]), ("Hà Giang", ["..", "-", "874,1"]),
        ("Cần Thơ", ["1.235,2", "1.240,7", ".."]),
    ]
    static var yearsAcross: String {
        var lines = ["BẢNG 2. DÂN SỐ TRUNG BÌNH PHÂN THEO ĐỊA PHƯƠNG", "Đơn vị: nghìn người", "Tỉnh, thành phố;2019;2020;2021"]
        lines += provinces.map { ([$0.0] + $0.1).joined(separator: ";") }
        lines += ["Nguồn: Tổng cục Thống kê", "(*) Số liệu sơ bộ"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var file: String
        var bytes: [UInt8]
        /// The hand-written source and fields.
        var handWritten: String
        /// Every cell, computed from the table the file was made from.
        var expected: [[String]]
        /// Lines the snippet must contain.
        var suggests: [String]
    }

    static func canonical(_ vi: String) -> String {
        ["..", "-"].contains(vi) ? "" : vi.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
    }

    /// Provinces as JSON and NDJSON exports carry them: code, name, population (exact decimals), a flag.
    static let records: [(code: String, name: String, population: String, city: Bool)] = [
        ("01", "Hà Nội", "8053.663", true), ("02", "Hà Giang", "854.679", false), ("79", "TP. Hồ Chí Minh", "8993.082", true),
    ]
    static func record(_ row: (code: String, name: String, population: String, city: Bool)) -> String {
        "{\"ma\": \"\(row.code)\", \"tên tỉnh\": \"\(row.name)\", \"dan_so\": \(row.population), \"thanh_pho\": \(row.city)}"
    }
    static let recordRows = records.map { [$0.code, $0.name, $0.population, String($0.city)] }
    static let recordFields = """
        fields:
          - {name: ma, type: string}
          - {name: ten, type: string, from: tên tỉnh}
          - {name: dan_so, type: number}
          - {name: thanh_pho, type: boolean}
        """

    static let sdmxFields = """
        source: {type: sdmx, path: message.xml}
        fields:
          - {name: area, type: string, from: REF_AREA}
          - {name: sex, type: string, from: SEX}
          - {name: period, type: string, from: TIME_PERIOD}
          - {name: value, type: number, from: OBS_VALUE}
        """

    static let cases: [Case] = [
        Case(
            description: "an XML export", file: "tinh.xml",
            bytes: Array(
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bao-cao><nguon>GSO</nguon><du-lieu>\n"
                    + records.map { "<tinh><ma>\($0.code)</ma><ten>\($0.name)</ten><dan-so>\($0.population)</dan-so></tinh>" }.joined(separator: "\n")
                    + "\n</du-lieu></bao-cao>\n").utf8),
            handWritten: """
                source: {type: xml, path: tinh.xml, rows: /bao-cao/du-lieu/tinh}
                fields:
                  - {name: ma, type: string}
                  - {name: ten, type: string}
                  - {name: dan_so, type: number, from: dan-so}
                """,
            expected: records.map { [$0.code, $0.name, $0.population] },
            suggests: ["rows: \"/bao-cao/du-lieu/tinh\"", "from: \"dan-so\""]),
        Case(
            description: "a CRLF government page", file: "page.html", bytes: Array(HTMLServedPageTests.page().utf8),
            handWritten: """
                source: {type: html, path: page.html, table: {id: dan-so}, numberFormat: vi}
                fields:
                  - {name: tinh, type: string, from: "Tỉnh/ thành phố"}
                  - {name: dan_so, type: number, from: "Dân số (nghìn người)"}
                  - {name: ghi_chu, type: string, from: "Ghi chú"}
                """,
            expected: [["HÀ NỘI", "8053.7", "thủ đô"], ["Hải Phòng", "2033.3", ""], ["Cần Thơ", "1235.2", "trung ương"]],
            suggests: ["table: {id: \"dan-so\"}", "from: \"Tỉnh/ thành phố\""]),
        Case(
            description: "a generic SDMX-ML message with groups", file: "message.xml", bytes: Array(SDMXLayoutTests.genericMessage().utf8),
            handWritten: sdmxFields, expected: SDMXLayoutTests.expected.map { Array($0.prefix(4)) },
            suggests: ["from: REF_AREA", "type: number, from: OBS_VALUE"]),
        Case(
            description: "a structure-specific SDMX-ML message with groups", file: "message.xml",
            bytes: Array(SDMXLayoutTests.structureSpecificMessage().utf8),
            handWritten: sdmxFields, expected: SDMXLayoutTests.expected.map { Array($0.prefix(4)) },
            suggests: ["from: SEX", "from: TIME_PERIOD"]),
        Case(
            description: "JSON records in a wrapper", file: "tinh.json",
            bytes: Array("{\"nguon\": \"GSO\", \"du_lieu\": {\"tinh\": [\n\(records.map(record).joined(separator: ",\n"))\n]}}\n".utf8),
            handWritten: "source: {type: json, path: tinh.json, records: /du_lieu/tinh}\n" + recordFields,
            expected: recordRows, suggests: ["records: \"/du_lieu/tinh\"", "from: tên tỉnh"]),
        Case(
            description: "NDJSON", file: "tinh.ndjson", bytes: Array((records.map(record).joined(separator: "\n") + "\n").utf8),
            handWritten: "source: {type: ndjson, path: tinh.ndjson}\n" + recordFields,
            expected: recordRows, suggests: ["type: ndjson"]),
        Case(
            description: "years across, title, footnote, missing marks", file: "dan-so.csv", bytes: Array(yearsAcross.utf8),
            handWritten: """
                source: {type: csv, path: dan-so.csv, delimiter: ";", headerLine: 3, footerRows: 2, numberFormat: vi}
                missingValues: ["", "..", "-"]
                fields:
                  - {name: province, type: string, from: "Tỉnh, thành phố"}
                  - {name: y2019, type: number, from: "2019"}
                  - {name: y2020, type: number, from: "2020"}
                  - {name: y2021, type: number, from: "2021"}
                """,
            expected: provinces.map { [$0.0] + $0.1.map(canonical) },
            suggests: ["headerLine: 3", "footerRows: 2", "missingValues: [\"\", \"..\", \"-\"]", "from: \"Tỉnh, thành phố\"", "from: \"2019\""]),
        Case(
            description: "an Excel export that repeats the years", file: "mat-do.csv", bytes: Array(CSVRepeatedHeaderTests.export.utf8),
            handWritten: """
                source: {type: csv, path: mat-do.csv, delimiter: ";", headerLine: 3, footerRows: 1, numberFormat: vi}
                fields:
                  - {name: code, type: string, from: Mã}
                  - {name: province, type: string, from: Tỉnh}
                  - {name: p2019, type: number, column: 3}
                  - {name: p2020, type: number, column: 4}
                  - {name: d2019, type: number, column: 5}
                  - {name: d2020, type: number, column: 6}
                """,
            expected: CSVRepeatedHeaderTests.table.map { row in row.enumerated().map { $0.offset < 2 ? $0.element : canonical($0.element) } },
            suggests: ["column: 3", "column: 6", "footerRows: 2"]),
        Case(
            description: "a TCVN3 export", file: "tcvn3.csv", bytes: InspectorTests.tcvn3Export,
            handWritten: """
                source: {type: csv, path: tcvn3.csv, delimiter: ";", encoding: tcvn3, headerLine: 3, footerRows: 1}
                fields:
                  - {name: ma, type: string}
                  - {name: ten_tinh, type: string, from: ten tinh}
                  - {name: dan_so, type: number, from: dan so, numberFormat: vi}
                  - {name: ty_le, type: number, from: ty le, numberFormat: vi}
                  - {name: nam, type: year}
                """,
            expected: [["01", "Hà Nội", "8435.7", "29.5", "2018"], ["048", "Đà Nẵng", "1220.2", "3.1", "2018"]],
            suggests: ["encoding: tcvn3"]),
        Case(
            description: "a JSON-stat 1.x bundle from PxWeb", file: "px.json", bytes: Array(JSONStatExtractorTests.pxWebBundle.utf8),
            handWritten: """
                source: {type: json-stat, path: px.json}
                fields:
                  - {name: region, type: string, from: Vung}
                  - {name: metric, type: string, from: ContentsCode}
                  - {name: year, type: year, from: Nam}
                  - {name: population, type: number, from: value}
                """,
            expected: JSONStatExtractorTests.regions.enumerated().flatMap { r, region in
                JSONStatExtractorTests.years.enumerated().map { y, year in
                    [region.0, "DS", year, JSONStatExtractorTests.population(r, y)]
                }
            },
            suggests: ["type: json-stat", "from: Vung"]),
    ]

    private func datasetYAML(_ id: String, _ body: String) -> String {
        let indented = body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        return """
              - id: \(id)
                title: {vi: T, en: T}
                description: {vi: T, en: T}
                publish: [csv]
            \(indented)

            """
    }

    @Test(arguments: cases)
    func thePastedSnippetReadsWhatTheHandWrittenPipelineReads(_ testCase: Case) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Data(testCase.bytes), to: "Pipelines/\(testCase.file)")
        let report = try Inspector().inspect(path: path, relativePath: testCase.file)
        for line in testCase.suggests {
            #expect(report.snippet.contains(line), "'\(line)' in:\n\(report.snippet)")
        }
        let yaml = testPipelineHeader + "\n" + datasetYAML("inspected", report.snippet) + datasetYAML("hand", testCase.handWritten)
        let pipelinePath = try directory.write(yaml, to: "Pipelines/p.yml")
        let pipeline = try PipelineLoader().load(path: pipelinePath)
        let runner = PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        let validation = try runner.validate([pipeline]).validation
        #expect(validation?.errors == 0, "\(validation?.issues.map(\.description) ?? [])\n\(report.snippet)")
        _ = try runner.run([pipeline])
        func published(_ id: String) throws -> [[String]] {
            Array(parseCSV(try directory.read("Output/current/test-pipeline/data/\(id).csv")).dropFirst())
        }
        #expect(try published("hand") == testCase.expected)
        #expect(try published("inspected") == testCase.expected, "\(report.snippet)")
    }

    /// The rows a pipeline made of `snippet` alone publishes.
    private func publish(_ snippet: String, in directory: TemporaryDirectory) throws -> [[String]] {
        let yaml = testPipelineHeader + "\n" + datasetYAML("inspected", snippet)
        let pipeline = try PipelineLoader().load(path: try directory.write(yaml, to: "Pipelines/p.yml"))
        let runner = PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        _ = try runner.run([pipeline])
        return Array(parseCSV(try directory.read("Output/current/test-pipeline/data/inspected.csv")).dropFirst())
    }

    @Test func anSQLiteDatabaseGetsAQueryOfItsTableAndItsColumns() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("Pipelines/tinh.sqlite").path
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("Pipelines"), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE \"dân số\" (ma TEXT, ten TEXT, dan_so REAL, nam INTEGER)")
            for row in Self.records {
                try db.execute(sql: "INSERT INTO \"dân số\" VALUES (?, ?, ?, 2019)", arguments: [row.code, row.name, Double(row.population)])
            }
        }
        try queue.close()
        let report = try Inspector().inspect(path: path, relativePath: "tinh.sqlite")
        #expect(report.snippet.contains("query: \"SELECT * FROM \\\"dân số\\\"\""), "\(report.snippet)")
        let published = try publish(report.snippet, in: directory)
        #expect(published == Self.records.map { [$0.code, $0.name, $0.population, "2019"] })
    }

    @Test func aWorkbookIsNamedByItsRealSheetAndItsHeaderGivesTheFields() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("Pipelines/t.xlsx").path
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("Pipelines"), withIntermediateDirectories: true)
        var rows = "<row r=\"1\">\(textCell("A1", "Mã"))\(textCell("B1", "Tỉnh"))\(textCell("C1", "Dân số"))</row>"
        for (index, row) in Self.records.enumerated() {
            let r = index + 2
            rows += "<row r=\"\(r)\">\(textCell("A\(r)", row.code))\(textCell("B\(r)", row.name))<c r=\"C\(r)\"><v>\(row.population)</v></c></row>"
        }
        try writeWorkbook(at: path, sheet: "Dân số 2019", rows: rows)
        let report = try Inspector().inspect(path: path, relativePath: "t.xlsx")
        #expect(report.snippet.contains("sheet: Dân số 2019\n"), "\(report.snippet)")
        #expect(report.snippet.contains("{name: dan_so, type: number, from: Dân số, required: true}"), "\(report.snippet)")
        let published = try publish(report.snippet, in: directory)
        #expect(published == Self.records.map { [$0.code, $0.name, $0.population] })
    }
}

/// Splits CSV as we publish it (RFC 4180, CRLF) into rows of fields.
private func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var scalars = Array(text.unicodeScalars)[...]
    while let c = scalars.popFirst() {
        if quoted {
            if c == "\"" {
                if scalars.first == "\"" {
                    field.unicodeScalars.append(c)
                    scalars.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field)
            field = ""
        } else if c == "\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else if c != "\r" {
            field.unicodeScalars.append(c)
        }
    }
    return rows
}
