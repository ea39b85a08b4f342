import Foundation
@testable import OpenDataPipeline
import Testing

/// Frictionless' own invalid CSVs give the errors, at the positions, that
/// `shared/fixtures/README.md` records from `frictionless validate`.
@Suite("Frictionless fixtures", .needsSharedFixtures)
struct FrictionlessFixturesTests {
    struct Expected: Hashable, CustomStringConvertible {
        var row: Int?
        var field: Int?
        var type: String
        var description: String { "[\(row.map(String.init) ?? "None"),\(field.map(String.init) ?? "None"),\(type)]" }
    }

    /// The README's "Frictionless says" column for `file`, with `4..6` expanded.
    static func expected(for file: String) throws -> [Expected] {
        let readme = try String(contentsOfFile: sharedFixture("README.md"), encoding: .utf8)
        guard let line = readme.split(separator: "\n").first(where: { $0.hasPrefix("| `\(file)` |") }) else {
            Issue.record("no row for \(file) in the fixtures README")
            return []
        }
        let said = line.split(separator: "|").last.map(String.init) ?? ""
        var result: [Expected] = []
        for match in said.matches(of: /\[(None|\d+),(None|\d+(?:\.\.\d+)?),([a-z-]+)\]/) {
            let row = Int(match.1)
            let fields: [Int?]
            if match.2.contains("..") {
                let bounds = match.2.split(separator: ".").compactMap { Int($0) }
                fields = (bounds[0]...bounds[1]).map { $0 }
            } else {
                fields = [Int(match.2)]
            }
            for field in fields { result.append(Expected(row: row, field: field, type: String(match.3))) }
        }
        return result
    }

    /// Validates a bare CSV (no declared fields: structure only) and lists its issues as Frictionless does,
    /// with the number of rows read.
    static func validateCounting(_ file: String, fields: [SourceField] = []) -> (issues: [Expected], rows: Int) {
        let collector = ValidationCollector()
        let extractor = CSVExtractor(
            path: sharedFixture("frictionless-py/data/\(file)"), displayPath: file, dialect: CSVDialect(), fields: fields)
        var rows = 0
        do {
            try extractor.extract(collecting: collector) { rows += $0.rowCount }
        } catch {
            if let issue = error.sourceIssue { collector.add(issue) } else { Issue.record("\(file): \(error)") }
        }
        return (collector.report.issues.map { Expected(row: $0.rowNumber, field: $0.fieldNumber, type: $0.type.rawValue) }, rows)
    }

    static func validate(_ file: String, fields: [SourceField] = []) -> [Expected] {
        validateCounting(file, fields: fields).issues
    }

    @Test(arguments: [
        "invalid.csv", "duplicate-headers.csv", "blank-headers.csv", "blank-rows.csv", "defective-rows.csv",
        "structure-errors.csv", "schema-errors.csv", "empty.csv",
    ])
    func givesTheErrorsFrictionlessGivesAtTheSamePositions(file: String) throws {
        let expected = try Self.expected(for: file)
        #expect(!expected.isEmpty, "the README lists errors for \(file)")
        #expect(Self.validate(file) == expected)
    }

    @Test func aDeclaredNumericColumnAddsTypeErrorsWhereFrictionlessWould() {
        let fields = [SourceField(field: Field(name: "id", type: .integer), numberFormat: .plain)]
        let issues = Self.validate("schema-errors.csv", fields: fields)
        #expect(issues.first == Expected(row: 4, field: 1, type: "type-error"))
        #expect(issues.filter { $0.type == "extra-cell" }.map(\.field) == [4, 5, 6])
    }

    /// Row counts as Python's `csv` module reads these files.
    @Test(arguments: [("bom.csv", 2), ("ascii-notvalid.csv", 1), ("doublequote.csv", 5), ("leading-zeros.csv", 3)])
    func aValidFixtureHasNoIssuesAndEveryRow(file: String, rows: Int) {
        let result = Self.validateCounting(file)
        #expect(result.issues.isEmpty)
        #expect(result.rows == rows)
    }
}
