import Foundation
@testable import OpenDataPipeline
import Testing

/// Structure checks while collecting: rows counted as Frictionless counts
/// them, lines as the file has them, every problem reported, bad rows dropped.
@Suite("CSVExtractor structure checks")
struct CSVExtractorStructureTests {
    private func collect(_ csv: String, fields: [SourceField] = []) throws -> (issues: [ValidationIssue], rows: Int) {
        let directory = try TemporaryDirectory()
        let path = try directory.write(csv, to: "in.csv")
        let collector = ValidationCollector()
        var rows = 0
        try CSVExtractor(path: path, displayPath: "in.csv", dialect: CSVDialect(), fields: fields)
            .extract(collecting: collector) { rows += $0.rowCount }
        return (collector.report.issues, rows)
    }

    @Test func aQuotedCellOverSeveralLinesKeepsLinesAndRowsApart() throws {
        let (issues, rows) = try collect("id,note\n1,\"two\nlines\"\n\n2,x,extra\r\n3,ok\n")
        #expect(rows == 2)
        // Row 3 is the blank line 4; row 4 (line 5) has an extra cell.
        #expect(
            issues.map { "\($0.type.rawValue) row \($0.rowNumber ?? 0) line \($0.location.line ?? 0)" } == [
                "blank-row row 3 line 4", "extra-cell row 4 line 5",
            ])
    }

    @Test func everyBadCellIsReportedAndItsRowDroppedWhileGoodRowsFlow() throws {
        let fields = [
            SourceField(field: Field(name: "id", type: .integer), numberFormat: .plain),
            SourceField(field: Field(name: "age", type: .integer, constraints: .init(maximum: DecimalNumber(120))), numberFormat: .plain),
        ]
        let (issues, rows) = try collect("id,age\n1,30\nx,200\n3,\n4,y\n", fields: fields)
        #expect(rows == 2)
        #expect(
            issues.map { "\($0.type.rawValue) \($0.location.field ?? "") \($0.cell ?? "")" } == [
                "type-error id x", "constraint-error age 200", "type-error age y",
            ])
        #expect(issues[1].rule == "maximum")
    }

    @Test func aConstraintDeclaredAWarningKeepsTheValue() throws {
        var field = Field(name: "age", type: .integer, constraints: .init(maximum: DecimalNumber(120)))
        field.constraints.isWarning = true
        let (issues, rows) = try collect("age\n200\n", fields: [SourceField(field: field, numberFormat: .plain)])
        #expect(rows == 1)
        #expect(issues.map(\.severity) == [.warning])
    }

    @Test func aDeclaredColumnMissingFromTheHeaderIsAMissingLabel() throws {
        let fields = [SourceField(field: Field(name: "age", type: .integer), numberFormat: .plain)]
        let (issues, rows) = try collect("id,name\n1,a\n", fields: fields)
        #expect(rows == 0)
        #expect(issues.map(\.type) == [.missingLabel])
    }
}
