import Foundation

/// An assertion over a dataset's published rows, declared in the pipeline
/// (in the spirit of dbt tests) and checked before anything is published.
///
/// A test sees the rows as they pass and holds only what it must (``Run``);
/// it reports once the dataset's rows are all computed. A failing test is an
/// error that blocks the release, unless it is declared a warning; the report
/// names the test, the rows and the values.
public struct DataTest: Sendable {
    public enum Assertion: Sendable {
        /// A true/false expression that must hold on every row, e.g. `online = level_3 + level_4`.
        case everyRow(Expression)
        /// The sum of an expression over this dataset's rows (optionally those where a condition
        /// holds) equals the same over an earlier dataset of the pipeline.
        case totalEquals(Total, Total)
        /// The values of a year field (or any integer field) have no gap between the smallest and largest.
        case noGaps(field: String)
        /// No year (of a `year` field) or day (of a `date` field) after the day of the run.
        case notInFuture(field: String)
        /// A numeric field does not change by more than `percent` against the rows with the same key
        /// in the previously published release (`Output/current/<pipeline>/data/<dataset>.json`).
        case maximumChange(field: String, key: [String], percent: DecimalNumber)
    }

    /// A sum over a dataset: `sum` of the rows where `filter` holds.
    public struct Total: Sendable {
        /// The dataset, nil for the dataset under test.
        public var dataset: String?
        public var sum: Expression
        public var filter: Expression?
    }

    public var name: String
    public var severity: ValidationIssue.Severity
    public var assertion: Assertion
    /// Where the test is declared, for messages about the test itself.
    public var declaration: SourceLocation
    /// The pipeline's id, to find the previous release's files.
    public var pipeline: String
    public var dataset: String

    /// The other datasets the test reads.
    var referencedDatasets: [String] {
        guard case let .totalEquals(left, right) = assertion else { return [] }
        return [left.dataset, right.dataset].compactMap { $0 }
    }

    func describe(_ total: Total) -> String {
        var text = "sum(\(total.sum.text))"
        if let filter = total.filter { text += " where \(filter.text)" }
        return text + " in '\(total.dataset ?? dataset)'"
    }

    func describe(_ row: ArraySlice<Value>, schema: TableSchema) -> String {
        zip(schema.fields, row).map { "\($0.name)=\($1.text ?? "null")" }.joined(separator: ", ")
    }

    func issue(_ message: String, line: Int?, file: String) -> ValidationIssue {
        ValidationIssue(
            .testError, severity: severity, location: SourceLocation(file: file, line: line), message: "the test '\(name)' fails: \(message)",
            rule: name)
    }

    func fail(_ message: String, line: Int?, file: String, context: StepContext) throws(PipelineFailure) {
        guard let collector = context.collector else {
            if severity == .warning { return }
            throw PipelineFailure.badValue(SourceLocation(file: file, line: line), value: name, expected: message)
        }
        collector.add(issue(message, line: line, file: file))
    }

    /// The previous release's values of `field` by `key`, read untyped from its JSON file; nil when nothing was published.
    func previousValues(field: String, key: [String], context: StepContext) throws(PipelineFailure) -> [[String]: DecimalNumber]? {
        let relative = JSONFormat.dataFile.path(for: dataset)
        guard let folder = context.tables?.previousRelease,
            let data = LocalFile.contents(atPath: folder.appendingPathComponent(relative).path)
        else { return nil }  // nothing published before: nothing to compare with
        // Records keyed by the dataset's own field names: read untyped.
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let records = object["records"] as? [[String: Any]]
        else {
            throw PipelineFailure.damagedRelease(
                folder.deletingLastPathComponent().lastPathComponent,
                problems: [
                    "\(ReleaseLayout.inPipeline(folder.lastPathComponent, relative)): not a dataset's JSON file (expected an object whose 'records' is an array of objects)"
                ])
        }
        var previous: [[String]: DecimalNumber] = [:]
        for record in records {
            let recordKey = key.map { name in record[name].map { "\($0)" } ?? "" }
            guard let value = record[field].map({ "\($0)" }),
                let number = try? ValueDecoder(
                    field: Field(name: field, type: .number), numberFormat: .plain
                ).decode(value).decimal
            else { continue }
            previous[recordKey] = number
        }
        return previous
    }
}
