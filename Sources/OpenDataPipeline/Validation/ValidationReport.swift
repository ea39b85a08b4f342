import Foundation

/// The outcome of a validation: the issues found (up to a cap), true totals,
/// and one line per dataset. Printed as text on the terminal and as JSON by
/// `opendata validate --report json` (format in docs/pipeline-format.md).
public struct ValidationReport: Sendable, Hashable {
    public struct DatasetSummary: Sendable, Hashable {
        public var pipeline: String
        public var dataset: String
        /// Rows that passed every check and reached the outputs.
        public var rows: Int
        public var errors: Int
    }

    /// The first issues found, in the order found (at most ``maximumIssues``).
    public var issues: [ValidationIssue]
    /// Every issue counted by type, including those beyond the cap.
    public var counts: [ValidationIssue.Kind: Int]
    public var errors: Int
    public var warnings: Int
    /// Issues counted but not listed because the cap was reached.
    public var omitted: Int
    public var maximumIssues: Int
    public var datasets: [DatasetSummary]

    /// True when nothing blocks publication (warnings do not).
    public var isValid: Bool { errors == 0 }

    /// The version of the JSON format; it changes only when a key changes meaning or disappears.
    public static let formatVersion = 1

    /// The report as a JSON object (keys sorted when serialized).
    public var jsonObject: [String: Any] {
        var countObject: [String: Any] = [:]
        for (kind, count) in counts { countObject[kind.rawValue] = count }
        return [
            "reportVersion": Self.formatVersion,
            "valid": isValid,
            "errors": errors,
            "warnings": warnings,
            "omitted": omitted,
            "maximumIssues": maximumIssues,
            "counts": countObject,
            "datasets": datasets.map { summary -> [String: Any] in
                [
                    "pipeline": summary.pipeline, "dataset": summary.dataset, "rows": summary.rows,
                    "errors": summary.errors, "valid": summary.errors == 0,
                ]
            },
            "issues": issues.map(Self.json),
        ]
    }

    private static func json(_ issue: ValidationIssue) -> [String: Any] {
        var object: [String: Any] = [
            "type": issue.type.rawValue,
            "code": issue.code.rawValue,
            "severity": issue.severity.rawValue,
            "pipeline": issue.pipeline,
            "dataset": issue.dataset,
            "file": issue.location.file,
            "message": issue.message,
        ]
        object["line"] = issue.location.line
        object["column"] = issue.location.column
        object["fieldName"] = issue.location.field
        object["rowNumber"] = issue.rowNumber
        object["fieldNumber"] = issue.fieldNumber
        object["cell"] = issue.cell
        object["rule"] = issue.rule
        return object
    }

    /// The JSON text: pretty-printed, keys sorted, a final newline. Stable for the same input.
    public func json() -> String {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? JSONSerialization.data(withJSONObject: jsonObject, options: options)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One line per issue (`error: …` or `warning: …`), then a line of totals.
    public var text: String {
        var lines = issues.map { "\($0.severity.rawValue): \($0)" }
        if omitted > 0 {
            lines.append(
                "… and \(omitted) more issue\(omitted == 1 ? "" : "s") not listed (the report keeps the first \(maximumIssues))")
        }
        var totals = counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
        if totals.isEmpty { totals = ["no issues"] }
        lines.append(
            "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s") (\(totals.joined(separator: ", ")))")
        return lines.joined(separator: "\n") + "\n"
    }
}
