import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// Numbers kept as text: a warning naming the field, and spreadsheet numbers
/// read into a text field as the sheet shows them.
@Suite("Numbers kept as text")
struct NumbersAsTextTests {
    private func validate(csv: String, type: String = "string") throws -> [ValidationIssue] {
        let directory = try TemporaryDirectory()
        try directory.write(csv, to: "p/t.csv")
        let path = try directory.write(
            testPipelineHeader + """

                  - id: d
                    title: {vi: T, en: T}
                    description: {vi: T, en: T}
                    publish: [csv]
                    source: {type: csv, path: p/t.csv, delimiter: ";", numberFormat: vi}
                    fields:
                      - {name: area, type: string, from: "Mã"}
                      - {name: population, type: \(type), from: "Dân số"}

                """, to: "p.yml")
        let runner = PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        return try runner.validate([PipelineLoader().load(path: path)]).validation?.issues ?? []
    }

    @Test func aStringFieldOfNumbersInTheDeclaredFormatGetsAWarning() throws {
        let issues = try validate(csv: "Mã;Dân số\n00;96.484,0\n01;8.053,7\n79;8.993,1\n")
        #expect(issues.count == 1)
        #expect(issues.first?.severity == .warning)
        #expect(issues.first?.location.field == "Dân số")
        #expect(
            issues.first?.message.hasPrefix("every value of the string field 'population' (3, e.g. '96.484,0') is a number in the 'vi' number format")
                == true)
        #expect(issues.first?.message.contains("declare it 'type: number'") == true)
    }

    @Test(arguments: [
        "Mã;Dân số\n00;96.484,0\n01;khoảng 8 triệu\n",  // one value is text
        "Mã;Dân số\n00;96484.0\n01;8053.7\n",  // not numbers in the vi format: 96484.0 is not vi
    ])
    func textOrAnotherFormatIsQuiet(csv: String) throws {
        #expect(try validate(csv: csv).isEmpty)
    }

    @Test func codesWithLeadingZerosAndNumericFieldsAreQuiet() throws {
        // 'Mã' is all digits, but with leading zeros: codes. A number field is what the warning asks for.
        #expect(try validate(csv: "Mã;Dân số\n01;96.484,0\n079;8.053,7\n", type: "number").isEmpty)
    }

    @Test func aNumericCellReadAsTextIsWrittenAsTheGeneralFormatShowsIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("t.xlsx").path
        // Numbers as .NET and LibreOffice store them, and a text cell that only looks like one.
        let stored = ["31001.0", "0.30000000000000004", "1.5E3", "-2.50", "0"]
        var rows = "<row r=\"1\">\(textCell("A1", "ma"))</row>"
        for (index, value) in stored.enumerated() {
            rows += "<row r=\"\(index + 2)\"><c r=\"A\(index + 2)\"><v>\(value)</v></c></row>"
        }
        rows += "<row r=\"7\">\(textCell("A7", "31001.0"))</row>"
        try writeWorkbook(at: path, rows: rows)
        var texts: [String] = []
        try XLSXExtractor(
            path: path, displayPath: "t.xlsx", sheet: nil, range: nil, headerRows: 1,
            fields: [SourceField(field: Field(name: "ma", type: .string), numberFormat: .plain)]
        ).extract { batch in
            for row in 0..<batch.rowCount { texts.append(batch[row, 0].text ?? "") }
        }
        // Expected from the stored text alone: Excel's General shows 15 significant digits, no trailing zeros.
        let expected = stored.map { value -> String in
            var shown = String(format: "%.15g", Double(value)!)
            if shown.contains(".") {
                while shown.hasSuffix("0") { shown.removeLast() }
                if shown.hasSuffix(".") { shown.removeLast() }
            }
            return shown
        }
        #expect(expected == ["31001", "0.3", "1500", "-2.5", "0"])
        #expect(texts == expected + ["31001.0"])
    }
}
