import Foundation
import GRDB
@testable import OpenDataPipeline
import Testing

/// Every source type reports every bad cell when collecting: the same four
/// rows, two of them bad, in each format give two issues with their positions.
@Suite("Every extractor collects")
struct CollectingExtractorTests {
    static let rows: [(code: String, value: String)] = [("01", "5"), ("02", "x"), ("03", "7"), ("04", "y")]
    static let fields = [
        SourceField(field: Field(name: "code", type: .string), numberFormat: .plain),
        SourceField(field: Field(name: "value", type: .integer), numberFormat: .plain),
    ]

    /// Builds the source in `directory`; returns the extractor and where the two bad cells are, as locations print.
    static func source(_ type: String, in directory: TemporaryDirectory) throws -> (any Extractor, [String]) {
        let url = directory.url
        func write(_ text: String, _ name: String) throws -> String { try directory.write(text, to: name) }
        switch type {
        case "csv":
            let path = try write("code,value\n" + rows.map { "\($0.code),\($0.value)" }.joined(separator: "\n") + "\n", "t.csv")
            return (
                CSVExtractor(path: path, displayPath: "t.csv", dialect: CSVDialect(), fields: fields),
                ["t.csv, line 3, row 3, 'value'", "t.csv, line 5, row 5, 'value'"]
            )
        case "xml", "xml-stream":
            let path = try write(
                "<rows>\n" + rows.map { "<row><code>\($0.code)</code><value>\($0.value)</value></row>" }.joined(separator: "\n")
                    + "\n</rows>\n", "t.xml")
            if type == "xml" {
                return (
                    XMLExtractor(path: path, displayPath: "t.xml", rows: "/rows/row", namespaces: [:], fields: fields),
                    ["t.xml, line 3, 'value'", "t.xml, line 5, 'value'"]
                )
            }
            return (
                StreamingXMLExtractor(path: path, displayPath: "t.xml", rows: "/rows/row", namespaces: [:], fields: fields),
                ["t.xml, line 3, 'value'", "t.xml, line 5, 'value'"]
            )
        case "json":
            let path = try write(
                "[\n" + rows.map { "{\"code\": \"\($0.code)\", \"value\": \"\($0.value)\"}" }.joined(separator: ",\n") + "\n]\n", "t.json")
            return (
                JSONExtractor(path: path, displayPath: "t.json", records: "", fields: fields),
                ["t.json, line 3, column 25, '/1/value'", "t.json, line 5, column 25, '/3/value'"]
            )
        case "ndjson":
            let path = try write(rows.map { "{\"code\": \"\($0.code)\", \"value\": \"\($0.value)\"}" }.joined(separator: "\n") + "\n", "t.ndjson")
            return (
                NDJSONExtractor(path: path, displayPath: "t.ndjson", fields: fields),
                ["t.ndjson, line 2, column 25, '/value'", "t.ndjson, line 4, column 25, '/value'"]
            )
        case "json-stat":
            let path = try write(
                """
                {"version": "2.0", "class": "dataset", "id": ["code"], "size": [4],
                 "dimension": {"code": {"category": {"index": ["01", "02", "03", "04"]}}},
                 "value": [
                \(rows.map { Int($0.value) != nil ? $0.value : "\"\($0.value)\"" }.joined(separator: ",\n"))
                ]}

                """, "t.json")
            return (
                JSONStatExtractor(
                    path: path, displayPath: "t.json", fields: [fields[0], SourceField(field: fields[1].field, from: "value", numberFormat: .plain)]),
                ["t.json, line 5, column 1, 'value[1]'", "t.json, line 7, column 1, 'value[3]'"]
            )
        case "sdmx":
            let path = try write(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
                <message:DataSet>

                """ + rows.map { "<Obs CODE=\"\($0.code)\" OBS_VALUE=\"\($0.value)\"/>" }.joined(separator: "\n")
                    + "\n</message:DataSet></message:StructureSpecificData>\n", "t.xml")
            let sdmxFields = [
                SourceField(field: fields[0].field, from: "CODE", numberFormat: .plain),
                SourceField(field: fields[1].field, from: "OBS_VALUE", numberFormat: .plain),
            ]
            return (
                SDMXExtractor(path: path, displayPath: "t.xml", fields: sdmxFields),
                ["t.xml, line 5, 'OBS_VALUE'", "t.xml, line 7, 'OBS_VALUE'"]
            )
        case "html":
            let path = try write(
                "<html><body><table id=\"t\">\n<tr><th>code</th><th>value</th></tr>\n"
                    + rows.map { "<tr><td>\($0.code)</td><td>\($0.value)</td></tr>" }.joined(separator: "\n") + "\n</table></body></html>\n",
                "t.html")
            return (
                HTMLTableExtractor(path: path, displayPath: "t.html", table: .id("t"), fields: fields),
                ["t.html, line 4, 'value'", "t.html, line 6, 'value'"]
            )
        case "sqlite":
            let path = url.appendingPathComponent("t.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE t (code TEXT, value)")
                for row in rows { try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [row.code, row.value]) }
            }
            try queue.close()
            return (
                SQLiteExtractor(path: path, displayPath: "t.sqlite", query: "SELECT code, value FROM t ORDER BY code", fields: fields),
                ["t.sqlite, row 2, 'value'", "t.sqlite, row 4, 'value'"]
            )
        default:  // xlsx
            let path = url.appendingPathComponent("t.xlsx").path
            var sheet = "<row r=\"1\">\(textCell("A1", "code"))\(textCell("B1", "value"))</row>"
            for (index, row) in rows.enumerated() {
                let r = index + 2
                let value = Int(row.value) != nil ? "<c r=\"B\(r)\"><v>\(row.value)</v></c>" : textCell("B\(r)", row.value)
                sheet += "<row r=\"\(r)\">\(textCell("A\(r)", row.code))\(value)</row>"
            }
            try writeWorkbook(at: path, rows: sheet)
            return (
                XLSXExtractor(path: path, displayPath: "t.xlsx", sheet: nil, range: nil, headerRows: 1, fields: fields),
                ["t.xlsx, 'Data!B3'", "t.xlsx, 'Data!B5'"]
            )
        }
    }

    static let types = ["csv", "xml", "xml-stream", "json", "ndjson", "json-stat", "sdmx", "html", "sqlite", "xlsx"]

    @Test(arguments: types)
    func twoBadRowsGiveTwoIssuesWithTheirPositions(type: String) throws {
        let directory = try TemporaryDirectory()
        let (extractor, positions) = try Self.source(type, in: directory)
        let collector = ValidationCollector()
        var codes: [String] = []
        try extractor.extract(collecting: collector) { batch in
            for row in 0..<batch.rowCount { codes.append(batch.row(row).first?.text ?? "") }
        }
        let issues = collector.report.issues
        #expect(issues.map(\.type) == [.typeError, .typeError])
        #expect(issues.map { $0.cell ?? "" } == ["x", "y"])
        #expect(issues.map(\.location.description) == positions)
        #expect(codes == ["01", "03"])
        // Without a collector, the first bad cell is thrown.
        guard case let .badValue(location, value, _, _)? = failure(of: { try extractor.extract { _ in } }) as? PipelineFailure else {
            Issue.record("expected the first bad value to be thrown")
            return
        }
        #expect(value == "x")
        #expect(location.description == positions[0])
    }
}
