import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("Validation report")
struct ValidationReportTests {
    private func issue(_ line: Int, _ kind: ValidationIssue.Kind = .typeError, severity: ValidationIssue.Severity = .error)
        -> ValidationIssue
    {
        ValidationIssue(
            kind, severity: severity, location: SourceLocation(file: "in.csv", line: line, field: "value"),
            rowNumber: line, fieldNumber: 2, cell: "x\(line)", message: "a number")
    }

    @Test func listsIssuesUpToTheCapAndCountsEveryOne() {
        let collector = ValidationCollector(maximumIssues: 3)
        for line in 2...11 { collector.add(issue(line)) }
        let report = collector.report
        #expect(report.issues.map(\.location.line) == [2, 3, 4])
        #expect(report.errors == 10)
        #expect(report.omitted == 7)
        #expect(report.counts[.typeError] == 10)
        #expect(report.text.contains("7 more issues"))
    }

    @Test func warningsAreReportedButDoNotMakeTheReportInvalid() {
        let collector = ValidationCollector()
        collector.add(issue(2, .constraintError, severity: .warning))
        #expect(collector.report.isValid)
        #expect(collector.report.warnings == 1)
        #expect(collector.report.text.hasPrefix("warning: in.csv, line 2, 'value'"))
    }

    @Test func theSameCellSeenByTwoDatasetsIsOneIssue() {
        let collector = ValidationCollector()
        collector.begin(pipeline: "p", dataset: "a")
        collector.add(issue(2))
        collector.begin(pipeline: "p", dataset: "b")
        collector.add(issue(2))
        #expect(collector.report.errors == 1)
    }

    @Test func jsonNamesEachIssuesTypePositionAndCellWithSortedKeys() throws {
        let collector = ValidationCollector()
        collector.begin(pipeline: "p", dataset: "d")
        collector.add(issue(5))
        collector.finish(rows: 3)
        let text = collector.report.json()
        #expect(text == collector.report.json(), "stable from call to call")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        #expect(object["reportVersion"] as? Int == ValidationReport.formatVersion)
        let issues = try #require(object["issues"] as? [[String: Any]])
        #expect(issues.first?["type"] as? String == "type-error")
        #expect(issues.first?["line"] as? Int == 5)
        #expect(issues.first?["rowNumber"] as? Int == 5)
        #expect(issues.first?["fieldNumber"] as? Int == 2)
        #expect(issues.first?["cell"] as? String == "x5")
        #expect(issues.first?["dataset"] as? String == "d")
        let datasets = try #require(object["datasets"] as? [[String: Any]])
        #expect(datasets.first?["rows"] as? Int == 3)
        #expect(datasets.first?["errors"] as? Int == 1)
        let keys = text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  \"") else { return nil }
            return String(line.dropFirst(3).prefix { $0 != "\"" })
        }
        #expect(keys == keys.sorted())
    }
}
