import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("CSVExtractor")
struct CSVExtractorTests {
    private let fields = [
        SourceField(field: Field(name: "code", type: .string, constraints: .init(required: true)), numberFormat: .vi),
        SourceField(
            field: Field(name: "level", type: .integer, constraints: .init(required: true, minimum: .init(1), maximum: .init(4))),
            from: "muc_do", numberFormat: .vi),
        SourceField(field: Field(name: "value", type: .number), from: "gia_tri", numberFormat: .vi),
    ]

    private func extract(_ csv: String) throws -> [[Value]] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(csv, to: "in.csv")
        let extractor = CSVExtractor(
            path: path, displayPath: "exports/in.csv", dialect: CSVDialect(delimiter: UInt8(ascii: ";")), fields: fields)
        var rows: [[Value]] = []
        try extractor.extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        return rows
    }

    @Test func decodesTypedValuesByHeaderNameInAnyColumnOrder() throws {
        let rows = try extract("gia_tri;ignored;muc_do;code\n7,5 triệu;x;3;HN-1\n;y;4;HN-2\n")
        #expect(
            rows == [
                [.string("HN-1"), .integer(3), .number(DecimalNumber(units: 7_500_000))],
                [.string("HN-2"), .integer(4), .null],
            ])
    }

    @Test func namesFileLineColumnValueAndExpectationForABadValue() throws {
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "exports/in.csv", line: 3, row: 3, field: "muc_do"), value: "7",
                expected: "a value from 1 to 4", code: .constraintError)
        ) {
            try extract("code;muc_do;gia_tri\nHN-1;3;1\nHN-2;7;1\n")
        }
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "exports/in.csv", line: 2, row: 2, field: "gia_tri"), value: "abc",
                expected: FieldType.number.expectation(numberFormat: .vi), code: .typeError)
        ) {
            try extract("code;muc_do;gia_tri\nHN-1;3;abc\n")
        }
    }

    @Test func refusesAnAmbiguousVietnameseNumberRatherThanGuessing() throws {
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "exports/in.csv", line: 2, row: 2, field: "gia_tri"), value: "1.5",
                expected: "a number (e.g. 1.883, 29,5, 55% or 7,5 triệu; ',' before decimals, '.' only between groups of three digits)",
                code: .typeError)
        ) { try extract("code;muc_do;gia_tri\nHN-1;3;1.5\n") }
    }

    @Test func requiresRequiredCells() throws {
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "exports/in.csv", line: 2, row: 2, field: "code"), value: "",
                expected: "a value (the field is required)", code: .constraintError)
        ) {
            try extract("code;muc_do;gia_tri\n;3;1\n")
        }
    }

    @Test func reportsAMissingColumnAndARowOfTheWrongWidth() throws {
        #expect(
            throws: PipelineFailure.malformedSource(
                SourceLocation(file: "exports/in.csv", line: 1, field: "muc_do"),
                problem: "no column named 'muc_do' in the header; the header has: code, gia_tri", code: .missingLabel)
        ) {
            try extract("code;gia_tri\nHN-1;1\n")
        }
        #expect(
            throws: PipelineFailure.malformedSource(
                SourceLocation(file: "exports/in.csv", line: 2), problem: "the row has 2 fields but the header has 3", code: .rowWidth)
        ) {
            try extract("code;muc_do;gia_tri\nHN-1;3\n")
        }
    }

    @Test func refusesAnEmptyFileAndAHeaderWithoutRows() throws {
        #expect(
            throws: PipelineFailure.malformedSource(
                SourceLocation(file: "exports/in.csv", line: 1), problem: "the file is empty; expected a header row",
                code: .emptySource)
        ) { try extract("") }
        #expect(
            throws: PipelineFailure.malformedSource(
                SourceLocation(file: "exports/in.csv", line: 2),
                problem: "the file has a header but no rows; an empty table is not published", code: .noRows)
        ) { try extract("code;muc_do;gia_tri\n") }
    }

    @Test func refusesInvalidUTF8WithItsByteOffsetAndLine() throws {
        let directory = try TemporaryDirectory()
        var bytes = Array("code;muc_do;gia_tri\nH".utf8)
        bytes += [0xE9]  // Latin-1 'é', not UTF-8
        bytes += Array(";3;1\n".utf8)
        let path = try directory.write(Data(bytes), to: "latin1.csv")
        let extractor = CSVExtractor(
            path: path, displayPath: "latin1.csv", dialect: CSVDialect(delimiter: UInt8(ascii: ";")), fields: fields)
        let error = failure { try extractor.extract { _ in } }
        guard case let PipelineFailure.malformedSource(location, problem, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(code == .encodingError)
        #expect(location == OpenDataPipeline.SourceLocation(file: "latin1.csv", line: 2))
        // The byte's offset and value are the position and the value found.
        #expect(problem.hasPrefix("byte offset 21"))
        #expect(problem.contains("0xE9"))
    }

    @Test(.needsSharedFixtures) func readsFrictionlessBOMFixtureWithoutTheMarkInTheHeader() throws {
        let fixture = sharedFixture("frictionless-py/data/bom.csv")
        let extractor = CSVExtractor(
            path: fixture, displayPath: "bom.csv", dialect: CSVDialect(),
            fields: [
                SourceField(field: Field(name: "id", type: .integer), numberFormat: .plain),
                SourceField(field: Field(name: "name", type: .string), numberFormat: .plain),
            ])
        var rows: [[Value]] = []
        try extractor.extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        #expect(rows == [[.integer(1), .string("english")], [.integer(2), .string("中国人")]])
    }
}
