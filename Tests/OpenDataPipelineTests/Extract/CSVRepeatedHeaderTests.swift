import Foundation
@testable import OpenDataPipeline
import Testing

/// An Excel export: a title, a header row that repeats the years under two
/// measures, trailing empty columns, a closing row of delimiters and a note.
@Suite("CSV: repeated headers and Excel's empty cells")
struct CSVRepeatedHeaderTests {
    /// code, province, population 2019, 2020 (thousands, vi format), density 2019, 2020.
    static let table: [[String]] = [
        ["01", "Hà Nội", "8.053,7", "8.246,5", "2.398", "2.455"],
        ["79", "TP. Hồ Chí Minh", "8.993,1", "9.227,6", "4.292", "4.404"],
        ["92", "Cần Thơ", "1.235,2", "1.240,7", "858", "862"],
    ]

    static var export: String {
        var lines = [
            "BẢNG 1. DÂN SỐ VÀ MẬT ĐỘ DÂN SỐ;;;;;;;",
            ";;Dân số (nghìn người);;Mật độ (người/km2);;;",
            "Mã;Tỉnh;2019;2020;2019;2020;;",
        ]
        lines += table.map { $0.joined(separator: ";") + ";;" }
        lines += [";;;;;;;", "Nguồn: Tổng cục Thống kê;;;;;;;"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private func pipeline(_ fields: String) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        try directory.write(Self.export, to: "p/dan-so.csv")
        let path = try directory.write(
            testPipelineHeader + """

                  - id: population
                    title: {vi: Dân số, en: Population}
                    description: {vi: Dân số, en: Population}
                    publish: [csv]
                    source: {type: csv, path: p/dan-so.csv, delimiter: ";", headerLine: 3, footerRows: 1, numberFormat: vi}
                    fields:
                \(fields)

                """, to: "p.yml")
        return (directory, path)
    }

    @Test func aFromNamingARepeatedHeaderIsAnErrorNamingBothColumns() throws {
        let (directory, path) = try pipeline(
            """
                  - {name: code, type: string, from: Mã}
                  - {name: population_2019, type: number, from: "2019"}
            """)
        let dataset = try PipelineLoader().load(path: path).datasets[0]
        let collector = ValidationCollector()
        collector.begin(pipeline: "p", dataset: "population")
        try DatasetFlow(dataset: dataset, collector: collector).run(into: [])
        let issues = collector.report.issues
        #expect(issues.count == 1)
        #expect(issues.first?.type == .missingLabel)
        #expect(issues.first?.location.line == 3)
        #expect(issues.first?.location.field == "2019")
        #expect(issues.first?.message.hasPrefix("the header names '2019' 2 times (columns 3 and 5)") == true)
        #expect(issues.first?.message.contains("column: N") == true)
        withExtendedLifetime(directory) {}
    }

    @Test func fieldsPickColumnsByPositionAndReadEveryCell() throws {
        let (directory, path) = try pipeline(
            """
                  - {name: code, type: string, from: Mã}
                  - {name: province, type: string, from: Tỉnh}
                  - {name: population_2019, type: number, column: 3}
                  - {name: population_2020, type: number, column: 4}
                  - {name: density_2019, type: integer, column: 5}
                  - {name: density_2020, type: integer, column: 6}
            """)
        let dataset = try PipelineLoader().load(path: path).datasets[0]
        let collector = ValidationCollector()
        var rows: [[String]] = []
        var lines: [Int?] = []
        try dataset.extractor.extract(collecting: collector) { batch in
            for row in 0..<batch.rowCount {
                rows.append(batch.row(row).map { $0.text ?? "" })
                lines.append(batch.lines[row])
            }
        }
        #expect(collector.report.issues.isEmpty)
        // The canonical values, from the table the file was written from: vi grouping dots dropped, comma as the point.
        let expected = Self.table.map { row in
            row.enumerated().map { index, cell in
                index < 2 ? cell : cell.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            }
        }
        #expect(rows == expected)
        #expect(lines == [4, 5, 6])  // the closing ";;;;;;;" row is not a row of nulls
        withExtendedLifetime(directory) {}
    }

    @Test func columnWithFromIsADefinitionErrorAndAColumnBeyondTheHeaderASourceError() throws {
        let (directory, path) = try pipeline("      - {name: code, type: string, from: Mã, column: 1}")
        guard case let .invalidDefinition(location, _, code)? = failure(of: { try PipelineLoader().load(path: path) }) as? PipelineFailure
        else {
            Issue.record("expected an invalid definition")
            return
        }
        #expect(location.line == 15)
        #expect(location.field == "datasets[0].fields[0].column")
        #expect(code == .invalidValue)
        let (other, beyond) = try pipeline("      - {name: code, type: string, column: 9}")
        let dataset = try PipelineLoader().load(path: beyond).datasets[0]
        guard case let .malformedSource(location, problem, code)? = failure(of: { try dataset.extractor.extract { _ in } }) as? PipelineFailure else {
            Issue.record("expected a malformed source")
            return
        }
        #expect(code == .missingLabel)
        #expect(location.line == 3)
        #expect(location.field == "code")
        #expect(problem == "column 9 is beyond the header's 6 columns")
        withExtendedLifetime((directory, other)) {}
    }

    @Test func theHeaderOnTheFirstLineDropsItsClosingEmptyCellsToo() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("code,value,,\r\n01,5,,\r\n02,6,x,\r\n", to: "t.csv")
        let extractor = CSVExtractor(
            path: path, displayPath: "t.csv", dialect: CSVDialect(),
            fields: [
                SourceField(field: Field(name: "code", type: .string), numberFormat: .plain),
                SourceField(field: Field(name: "value", type: .integer), numberFormat: .plain),
            ])
        let collector = ValidationCollector()
        var rows: [[String]] = []
        try extractor.extract(collecting: collector) { batch in
            for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "" }) }
        }
        // No blank-label for the closing empty header cells; a value under one is an extra cell.
        #expect(collector.report.issues.map { "\($0.type.rawValue) \($0.rowNumber ?? 0) \($0.fieldNumber ?? 0)" } == ["extra-cell 3 3"])
        #expect(rows == [["01", "5"]])
    }
}
