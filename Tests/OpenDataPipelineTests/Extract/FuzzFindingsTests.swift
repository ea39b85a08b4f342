import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// Regressions for what fuzzing found (issue 17; the fuzz targets are in Fuzz/): each input
/// once trapped, hung or gave a wrong result, and now has an exact outcome.
@Suite("Fuzzing findings")
struct FuzzFindingsTests {
    private let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    private static let numberField = SourceField(field: Field(name: "v", type: .number), numberFormat: .plain)

    private func badValue(_ body: () throws -> Void) -> (location: OpenDataPipeline.SourceLocation, value: String, expected: String)? {
        guard case let PipelineFailure.badValue(location, value, expected, _)? = failure(of: body) else { return nil }
        return (location, value, expected)
    }

    // MARK: An exponent of Int.min (abs trapped in JSONCellDecoder.plainDecimal)

    @Test func jsonNumberWithTheSmallestExponentIsABadValueWithItsPosition() throws {
        let path = try directory.write("{\"records\": [\n  {\"v\": 1e-9223372036854775808}\n]}", to: "in.json")
        let found = try #require(
            badValue {
                try JSONExtractor(path: path, displayPath: "in.json", records: "/records", fields: [Self.numberField]).extract { _ in }
            })
        #expect(found.location.line == 2)
        #expect(found.location.column == 9)
        #expect(found.value == "1e-9223372036854775808")
        #expect(found.expected == "a number with an exponent of at most 40")
        #expect(JSONCellDecoder.plainDecimal("1e-9223372036854775808") == nil)
        #expect(JSONCellDecoder.plainDecimal("-1E9223372036854775807") == nil)
        #expect(JSONCellDecoder.plainDecimal("-15e-40") == "-0." + String(repeating: "0", count: 38) + "15")
    }

    @Test func ndjsonNumberWithTheSmallestExponentIsABadValueOnItsLine() throws {
        let path = try directory.write("{\"v\": 1}\n{\"v\": 1e-9223372036854775808}\n", to: "in.ndjson")
        let found = try #require(
            badValue {
                try NDJSONExtractor(path: path, displayPath: "in.ndjson", fields: [Self.numberField]).extract { _ in }
            })
        #expect(found.location.line == 2)
        #expect(found.value == "1e-9223372036854775808")
    }

    @Test func jsonStatValueWithTheSmallestExponentIsABadValue() throws {
        let json = """
            {"version": "2.0", "class": "dataset", "id": ["geo"], "size": [1],
             "dimension": {"geo": {"category": {"index": ["01"]}}},
             "value": [1e-9223372036854775808]}
            """
        let path = try directory.write(json, to: "in.json")
        let fields = [
            SourceField(field: Field(name: "geo", type: .string), numberFormat: .plain),
            SourceField(field: Field(name: "value", type: .number), numberFormat: .plain),
        ]
        let found = try #require(
            badValue {
                try JSONStatExtractor(path: path, displayPath: "in.json", fields: fields).extract { _ in }
            })
        #expect(found.location.line == 3)
        #expect(found.value == "1e-9223372036854775808")
        #expect(found.expected == "a number with an exponent of at most 40")
    }

    @Test func xlsxValueWithTheSmallestExponentIsKeptAsTextInAColumnNoFieldReads() throws {
        let (path, scratch) = try XLSXExtractorTests.excelStyleWorkbook(
            sheetData: """
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c></row>
                <row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2"><v>1e-9223372036854775808</v></c></row>
                """)
        _ = scratch
        var rows: [[Value]] = []
        let fields = [SourceField(field: Field(name: "ma", type: .string), numberFormat: .plain)]
        try XLSXExtractor(path: path, displayPath: "excel.xlsx", fields: fields).extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        #expect(rows == [[.string("007")]])
        let numbers = [SourceField(field: Field(name: "so", type: .number), numberFormat: .plain)]
        let found = try #require(
            badValue {
                try XLSXExtractor(path: path, displayPath: "excel.xlsx", fields: numbers).extract { _ in }
            })
        #expect(found.location.field == "Sheet1!B2")
        #expect(found.value == "1e-9223372036854775808")
    }

    // MARK: Row numbers and negation on input-derived integers

    @Test func xlsxRowNumberBeyondTheLastRowIsRefusedWithItsLine() throws {
        let (path, scratch) = try XLSXExtractorTests.excelStyleWorkbook(
            sheetData: """
                <row r="1"><c r="A1" t="s"><v>0</v></c></row>
                <row r="9223372036854775807"><c><v>1</v></c></row><row><c><v>2</v></c></row>
                """)
        _ = scratch
        let fields = [SourceField(field: Field(name: "ma", type: .string), numberFormat: .plain)]
        let error = failure { try XLSXExtractor(path: path, displayPath: "excel.xlsx", fields: fields).extract { _ in } }
        guard case let PipelineFailure.malformedSource(location, problem, _)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(location.field == "Sheet1")
        #expect(location.line == 2)
        #expect(problem == "a row number r=\"9223372036854775807\" outside 1 to 1048576")
    }

    @Test func negatingTheSmallestNumberIsAnOverflowNotATrap() throws {
        let schema = TableSchema(fields: [Field(name: "b", type: .number), Field(name: "a", type: .integer)])
        let smallest: [Value] = [.number(DecimalNumber(units: .min, scale: 2)), .integer(.min)]
        #expect(throws: EvaluationError.overflow) { try Expression("-b", schema: schema).evaluate(smallest[...]) }
        #expect(throws: EvaluationError.overflow) { try Expression("-a", schema: schema).evaluate(smallest[...]) }
        #expect(throws: EvaluationError.overflow) { try Expression("abs(b)", schema: schema).evaluate(smallest[...]) }
        let next: [Value] = [.number(DecimalNumber(units: .min + 1, scale: 2)), .integer(.min + 1)]
        #expect(try Expression("-b", schema: schema).evaluate(next[...]) == .number(DecimalNumber(units: .max, scale: 2)))
    }

    @Test func aLongChainOfUnaryOperatorsIsTooDeeplyNestedNotAStackOverflow() throws {
        let schema = TableSchema(fields: [Field(name: "b", type: .number), Field(name: "e", type: .boolean)])
        let tooDeep = "the expression nests more than 100 levels deep (parentheses, operators, 'not', '-'); split it into several derived fields"
        let minus = String(repeating: "-", count: 1700) + "b"
        #expect(throws: ExpressionError(offset: 99, message: tooDeep)) {
            try Expression(minus, schema: schema)
        }
        let not = String(repeating: "not ", count: 1000) + "e"
        #expect(throws: ExpressionError(offset: 396, message: tooDeep)) {
            try Expression(not, schema: schema)
        }
        let fine = String(repeating: "-", count: 98) + "b"
        #expect(try Expression(fine, schema: schema).evaluate([.number(DecimalNumber(units: 5)), .null][...]) == .number(DecimalNumber(units: 5)))
    }

    // MARK: Wrong results

    @Test func aMagnitudeWordTypedDecomposedIsTheSameNumber() throws {
        let decomposed = "7,5 trie\u{0323}\u{0302}u"
        #expect(!decomposed.unicodeScalars.elementsEqual("7,5 triệu".unicodeScalars))
        #expect(NumberParser.parse(decomposed, format: .vi) == DecimalNumber(units: 7_500_000))
        #expect(NumberParser.parse("52 nga\u{0300}n", format: .vi) == DecimalNumber(units: 52_000))
        #expect(NumberParser.parse("7,5 trie\u{0323}\u{0302}u", format: .en) == nil)
    }

    @Test func aMagnitudeWordFromWindows1258IsTheSameNumber() throws {
        // "7,5 triệu" in code page 1258: the tones are combining bytes (0xF2 dot below, then ê as 0xEA).
        var bytes = Array("so\r\n7,5 tri".utf8) + [0xEA, 0xF2] + Array("u\r\n".utf8)
        let path = directory.url.appendingPathComponent("in.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        bytes.removeAll()
        var rows: [[Value]] = []
        let fields = [SourceField(field: Field(name: "so", type: .integer), numberFormat: .vi)]
        let dialect = CSVDialect(delimiter: UInt8(ascii: ";"), encoding: .windows1258)
        try CSVExtractor(path: path, displayPath: "in.csv", dialect: dialect, fields: fields).extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        #expect(rows == [[.integer(7_500_000)]])
    }

    @Test func theSecondDatasetReadingAnUnreadableFileIsNotValid() throws {
        try Data([0x61, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: directory.url.appendingPathComponent("bad.csv"))
        let dataset = { (id: String) in
            """
              - id: \(id)
                title: {vi: A, en: A}
                description: {vi: A, en: A}
                source: {type: csv, path: bad.csv}
                fields:
                  - {name: a, type: string}
                publish: [csv]
            """
        }
        let path = try directory.write(testPipelineHeader + "\n" + dataset("first") + "\n" + dataset("second") + "\n", to: "p.yml")
        let pipeline = try PipelineLoader().load(path: path)
        let runner = PipelineRunner(output: directory.url.appendingPathComponent("Output"), logger: .init(label: "test"))
        let report = try #require(try runner.validate([pipeline]).validation)
        #expect(report.errors == 1, "the file's error is listed once")
        #expect(report.issues.count == 1)
        #expect(report.datasets.map(\.dataset) == ["first", "second"])
        #expect(report.datasets.map(\.errors) == [1, 1])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let datasets = try #require(object["datasets"] as? [[String: Any]])
        #expect(datasets.map { $0["valid"] as? Bool } == [false, false])
    }

    @Test func xlsxDateTimeCellsKeepTheirTimeOfDay() throws {
        // Style 1 is a date format; 45322.354166666664 is 2024-01-31 08:30:00.
        let (path, scratch) = try XLSXExtractorTests.excelStyleWorkbook(
            sheetData: """
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
                <row r="2"><c r="A2" s="1"><v>45322.354166666664</v></c><c r="B2" s="1"><v>45322.999999</v></c>
                <c r="C2" s="1"><v>45322.354166666664</v></c></row>
                """)
        _ = scratch
        let fields = [
            SourceField(field: Field(name: "ma", type: .datetime), numberFormat: .plain),
            SourceField(field: Field(name: "ten", type: .datetime), numberFormat: .plain),
            SourceField(field: Field(name: "so", type: .date), numberFormat: .plain),
        ]
        var rows: [[Value]] = []
        try XLSXExtractor(path: path, displayPath: "excel.xlsx", fields: fields).extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        #expect(rows == [[.string("2024-01-31T08:30:00"), .string("2024-02-01T00:00:00"), .date(CalendarDate(year: 2024, month: 1, day: 31)!)]])
        #expect(XLSXTableBuilder.dateTime(serial: "0.5", date1904: true) == "1904-01-01T12:00:00")
    }

    @Test func aOneColumnRowWithAnEmptyCellIsWrittenAsQuotesNotABlankLine() throws {
        for style in [CSVWriter.Style.plain, .excel] {
            let path = directory.url.appendingPathComponent("one-\(style).csv").path
            let writer = try CSVWriter(schema: TableSchema(fields: [Field(name: "a", type: .string)]), path: path, style: style)
            var batch = Batch(width: 1)
            batch.append(row: [.null], line: 2)
            batch.append(row: [.string("x")], line: 3)
            try writer.write(batch)
            try writer.rowsEnded()
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let text = String(decoding: style == .excel ? bytes.dropFirst(3) : bytes[...], as: UTF8.self)
            #expect(text == "a\r\n\"\"\r\nx\r\n", "\(style)")
            // Read back (the reader skips blank lines, as pandas does): the empty row is still there.
            var rows: [[Value]] = []
            let fields = [SourceField(field: Field(name: "a", type: .string), numberFormat: .plain)]
            try CSVExtractor(path: path, displayPath: "one.csv", dialect: CSVDialect(), fields: fields).extract { batch in
                for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
            }
            #expect(rows == [[.null], [.string("x")]], "\(style)")
        }
    }
}
