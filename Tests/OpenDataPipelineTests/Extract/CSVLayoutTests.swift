import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("CSV dialects and layout")
struct CSVLayoutTests {
    private static let fields = [
        SourceField(field: Field(name: "tinh", type: .string), numberFormat: .vi),
        SourceField(field: Field(name: "dan_so", type: .number, constraints: .init(required: true)), numberFormat: .vi),
    ]

    private func rows(_ text: String, dialect: CSVDialect = CSVDialect(), layout: CSVLayout = CSVLayout()) throws -> [[String]] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(text, to: "in.csv")
        let extractor = CSVExtractor(path: path, displayPath: "in.csv", dialect: dialect, layout: layout, fields: Self.fields)
        var rows: [[String]] = []
        try extractor.extract { batch in
            for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "" }) }
        }
        return rows
    }

    @Test(arguments: [",", ";", "\t", "|"])
    func readsEachDelimiter(delimiter: String) throws {
        let d = delimiter
        let text = "tinh\(d)dan_so\nHà Nội\(d)\"8.435,7\"\nHuế\(d)1.160\n"
        let dialect = CSVDialect(delimiter: Character(delimiter).asciiValue!)
        #expect(try rows(text, dialect: dialect) == [["Hà Nội", "8435.7"], ["Huế", "1160"]])
    }

    @Test func readsADeclaredQuoteCharacter() throws {
        let text = "tinh;dan_so\n'Hà Nội; thủ đô';'8.435,7'\n'Nói ''Huế''';1\n"
        let dialect = CSVDialect(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "'"))
        #expect(try rows(text, dialect: dialect) == [["Hà Nội; thủ đô", "8435.7"], ["Nói 'Huế'", "1"]])
    }

    /// A government export: a title and a unit line above the header, notes below the table.
    static let export = """
        TỔNG CỤC THỐNG KÊ;
        Dân số trung bình phân theo địa phương (nghìn người);

        tinh;dan_so;;
        Hà Nội;8.435,7;;
        # số liệu sơ bộ
        Đà Nẵng;1.220,2;;
        Cần Thơ;1.252,3;;
        Nguồn: Niên giám thống kê 2022;
        Ghi chú: số liệu làm tròn;

        """

    @Test func skipsTitleLinesCommentsTrailingEmptyColumnsAndFooterRows() throws {
        let layout = CSVLayout(headerLine: 4, footerRows: 2, commentPrefix: "#")
        let rows = try rows(Self.export, dialect: CSVDialect(delimiter: UInt8(ascii: ";")), layout: layout)
        #expect(rows == [["Hà Nội", "8435.7"], ["Đà Nẵng", "1220.2"], ["Cần Thơ", "1252.3"]])
    }

    @Test func failsOnTheFooterWhenItIsNotDeclared() throws {
        let layout = CSVLayout(headerLine: 4, commentPrefix: "#")
        let error = failure { try rows(Self.export, dialect: CSVDialect(delimiter: UInt8(ascii: ";")), layout: layout) }
        #expect(
            error as? PipelineFailure
                == .badValue(
                    SourceLocation(file: "in.csv", line: 9, field: "dan_so"), value: "",
                    expected: "a value (the field is required)", code: .constraintError))
    }

    @Test func refusesExtraCellsThatAreNotEmpty() throws {
        let error = failure { try rows("tinh,dan_so\nHuế,1,x\n") }
        guard case let PipelineFailure.malformedSource(location, _, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(location == OpenDataPipeline.SourceLocation(file: "in.csv", line: 2))
        #expect(code == .rowWidth)
    }

    @Test func saysWhichLineTheHeaderWasExpectedOnWhenTheFileIsShorter() throws {
        let error = failure { try rows("tinh,dan_so\nHuế,1\n", layout: CSVLayout(headerLine: 9)) }
        guard case let PipelineFailure.malformedSource(location, _, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(location == OpenDataPipeline.SourceLocation(file: "in.csv", line: 9))
        #expect(code == .emptySource)
    }

}

/// Frictionless' invalid CSVs (shared/fixtures/frictionless-py/data): the first
/// error Frictionless reports for each is the one a run stops on.
@Suite("CSV: Frictionless invalid files", .needsSharedFixtures)
struct FrictionlessInvalidCSVTests {
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var fields: [String]
        var line: Int
        var code: PipelineFailure.Code
        var description: String { file }
    }

    static let cases = [
        // [None,4,duplicate-label]: the second 'name'
        Case(file: "invalid.csv", fields: ["id", "name"], line: 1, code: .duplicateLabel),
        // [None,3,duplicate-label] [None,5,duplicate-label]
        Case(file: "duplicate-headers.csv", fields: ["id"], line: 1, code: .duplicateLabel),
        // [2,3,missing-cell]
        Case(file: "defective-rows.csv", fields: ["id"], line: 2, code: .rowWidth),
        // [5,4..6,extra-cell]
        Case(file: "structure-errors.csv", fields: ["id"], line: 5, code: .rowWidth),
    ]

    @Test(arguments: cases)
    func stopsAtTheErrorFrictionlessReportsFirst(_ testCase: Case) throws {
        let extractor = CSVExtractor(
            path: sharedFixture("frictionless-py/data/\(testCase.file)"), displayPath: testCase.file, dialect: CSVDialect(),
            fields: testCase.fields.map { SourceField(field: Field(name: $0, type: .string), numberFormat: .plain) })
        let error = failure { try extractor.extract { _ in } }
        guard case let PipelineFailure.malformedSource(location, _, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(location.line == testCase.line)
        #expect(code == testCase.code)
    }
}
