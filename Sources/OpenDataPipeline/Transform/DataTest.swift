import Foundation

/// An assertion over a dataset's published rows, declared in the pipeline
/// (in the spirit of dbt tests) and checked before anything is published.
///
/// A test holds the whole table (tests run once the dataset's rows are all
/// computed). A failing test is an error that blocks the release, unless it
/// is declared a warning; the report names the test, the rows and the values.
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

    func check(_ table: PipelineTables.Table, context: StepContext) throws(PipelineFailure) {
        switch assertion {
        case let .everyRow(expression):
            for (index, row) in table.rows.enumerated() {
                let holds: Bool
                do {
                    holds = try expression.evaluate(row[...]) == .boolean(true)
                } catch {
                    holds = false
                }
                if !holds {
                    try fail(
                        "\(expression.text) does not hold for \(describe(row, schema: table.schema))",
                        line: table.lines[index], file: table.file, context: context)
                }
            }
        case let .totalEquals(left, right):
            guard let leftTotal = total(left, in: table, context: context),
                let other = right.dataset.map({ context.tables?.table($0) }) ?? table,
                let rightTotal = total(right, in: other, context: context)
            else {
                try fail(
                    "the totals cannot be computed (a dataset is missing or a value is not a number)", line: nil, file: table.file, context: context)
                return
            }
            if !leftTotal.isNumericallyEqual(to: rightTotal) {
                try fail(
                    "\(describe(left)) is \(leftTotal) but \(describe(right)) is \(rightTotal)", line: nil, file: table.file,
                    context: context)
            }
        case let .noGaps(field):
            guard let index = table.schema.index(of: field) else { return }
            let values = Set(table.rows.compactMap { $0[index].decimal?.exactInteger })
            guard let low = values.min(), let high = values.max() else { return }
            let missing = (low...high).lazy.filter { !values.contains($0) }
            if !missing.isEmpty {
                let shown = missing.prefix(10).map(String.init).joined(separator: ", ")
                let count = Int128(high) - Int128(low) + 1 - Int128(values.count)
                let more = count > 10 ? " and \(count - 10) more" : ""
                try fail(
                    "'\(field)' has no row for \(shown)\(more) (the series runs from \(low) to \(high))",
                    line: nil, file: table.file, context: context)
            }
        case let .maximumChange(field, key, percent):
            try checkChange(field: field, key: key, percent: percent, table: table, context: context)
        case let .notInFuture(field):
            guard let index = table.schema.index(of: field), let today = context.tables?.today else { return }
            for (position, row) in table.rows.enumerated() {
                let future: Bool
                switch row[index] {
                case let .date(date): future = today < date
                case let .integer(year): future = year > today.year
                default: future = false
                }
                if future {
                    try fail(
                        "'\(field)' is \(row[index].text ?? "") but the run is on \(today): \(describe(row, schema: table.schema))",
                        line: table.lines[position], file: table.file, context: context)
                }
            }
        }
    }

    private func total(_ total: Total, in table: PipelineTables.Table, context: StepContext) -> DecimalNumber? {
        var sum = DecimalNumber(0)
        for row in table.rows {
            if let filter = total.filter, (try? filter.evaluate(row[...])) != .boolean(true) { continue }
            guard let value = try? total.sum.evaluate(row[...]) else { return nil }
            if value.isNull { continue }
            guard let number = value.decimal, let next = try? sum + number else { return nil }
            sum = next
        }
        return sum
    }

    private func describe(_ total: Total) -> String {
        var text = "sum(\(total.sum.text))"
        if let filter = total.filter { text += " where \(filter.text)" }
        return text + " in '\(total.dataset ?? dataset)'"
    }

    private func describe(_ row: [Value], schema: TableSchema) -> String {
        zip(schema.fields, row).map { "\($0.name)=\($1.text ?? "null")" }.joined(separator: ", ")
    }

    private func fail(_ message: String, line: Int?, file: String, context: StepContext) throws(PipelineFailure) {
        let location = SourceLocation(file: file, line: line)
        let text = "the test '\(name)' fails: \(message)"
        let issue = ValidationIssue(.testError, severity: severity, location: location, message: text, rule: name)
        guard let collector = context.collector else {
            if severity == .warning { return }
            throw PipelineFailure.badValue(location, value: name, expected: message)
        }
        collector.add(issue)
    }

    private func checkChange(
        field: String, key: [String], percent: DecimalNumber, table: PipelineTables.Table, context: StepContext
    ) throws(PipelineFailure) {
        let relative = JSONFormat.dataFile.path(for: dataset)
        guard let folder = context.tables?.previousRelease,
            let data = LocalFile.contents(atPath: folder.appendingPathComponent(relative).path),
            let fieldIndex = table.schema.index(of: field)
        else { return }  // nothing published before: nothing to compare with
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
        let keyIndexes = key.compactMap(table.schema.index(of:))
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
        for (index, row) in table.rows.enumerated() {
            let rowKey = keyIndexes.map { row[$0].text ?? "" }
            guard let before = previous[rowKey], let now = row[fieldIndex].decimal, before.units != 0 else { continue }
            // A change too large for 64 bits is larger than any limit.
            let change = try? (now - before) / before * DecimalNumber(100)
            let magnitude = change.map { DecimalNumber(units: Int64(clamping: $0.units.magnitude), scale: $0.scale) }
            if magnitude.map({ percent < $0 }) ?? true {
                let shown = change.map { ((try? $0.rounded(toPlaces: 1)) ?? $0).description } ?? "beyond 64 bits"
                try fail(
                    "'\(field)' changes from \(before) to \(now) (\(shown)%, more than \(percent)%) for \(describe(row, schema: table.schema))",
                    line: table.lines[index], file: table.file, context: context)
            }
        }
    }
}
