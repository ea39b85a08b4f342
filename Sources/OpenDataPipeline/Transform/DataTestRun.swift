extension DataTest {
    /// One test checked as the dataset's batches pass, holding only what its
    /// assertion needs: the failures a report can list (at most what the
    /// collector keeps; the others are counted), a running sum, the distinct
    /// integers of a `noGaps` field, the previous release's values by key.
    /// ``finish(context:)`` reports, once the table is complete, so that a
    /// dataset's tests report in their order and each test's rows in row order.
    struct Run {
        let test: DataTest
        private let schema: TableSchema
        private let file: String
        /// The first failures with their source lines, at most `limit`; `unlisted` counts the others.
        private var failures: [(message: String, line: Int?)] = []
        private var unlisted = 0
        private let limit: Int
        /// `totalEquals`: the sums over this dataset's rows (the right one when it is this dataset's too).
        private var left = RunningTotal()
        private var right = RunningTotal()
        /// `noGaps`: the field and its distinct integers.
        private var gapField: Int?
        private var integers = Set<Int64>()
        /// `notInFuture`: the field and the day of the run.
        private var futureField: (index: Int, today: CalendarDate)?
        /// `maximumChange`: the field, the key's fields and the previous release's values by key.
        private var change: (field: Int, key: [Int], previous: [[String]: DecimalNumber])?
        /// A previous release that cannot be read, reported when the test's turn comes.
        private var damage: PipelineFailure?

        init(_ test: DataTest, schema: TableSchema, context: StepContext) {
            self.test = test
            self.schema = schema
            file = context.sourceFile
            // Without a collector only the first failure is thrown.
            limit = max(1, context.collector?.maximumIssues ?? 1)
            switch test.assertion {
            case .everyRow, .totalEquals:
                break
            case let .noGaps(field):
                gapField = schema.index(of: field)
            case let .notInFuture(field):
                if let index = schema.index(of: field), let today = context.tables?.today { futureField = (index, today) }
            case let .maximumChange(field, key, _):
                guard let index = schema.index(of: field) else { break }
                do throws(PipelineFailure) {
                    if let previous = try test.previousValues(field: field, key: key, context: context) {
                        change = (index, key.compactMap(schema.index(of:)), previous)
                    }
                } catch {
                    damage = error
                }
            }
        }

        /// What the test holds besides its settings: failures kept, distinct integers, previous values.
        var heldValues: Int { failures.count + integers.count + (change?.previous.count ?? 0) }

        mutating func add(_ batch: Batch) {
            switch test.assertion {
            case let .everyRow(expression):
                for row in 0..<batch.rowCount where (try? expression.evaluate(batch.row(row))) != .boolean(true) {
                    record(batch, row) { "\(expression.text) does not hold for \($0)" }
                }
            case let .totalEquals(leftTotal, rightTotal):
                for row in 0..<batch.rowCount {
                    left.add(batch.row(row), leftTotal)
                    if rightTotal.dataset == nil { right.add(batch.row(row), rightTotal) }
                }
            case .noGaps:
                guard let index = gapField else { return }
                for row in 0..<batch.rowCount {
                    if let integer = batch[row, index].decimal?.exactInteger { integers.insert(integer) }
                }
            case let .notInFuture(field):
                guard let watched = futureField else { return }
                let (index, today) = watched
                for row in 0..<batch.rowCount {
                    let value = batch[row, index]
                    let future: Bool
                    switch value {
                    case let .date(date): future = today < date
                    case let .integer(year): future = year > today.year
                    default: future = false
                    }
                    if future { record(batch, row) { "'\(field)' is \(value.text ?? "") but the run is on \(today): \($0)" } }
                }
            case let .maximumChange(field, _, percent):
                guard let change else { return }
                for row in 0..<batch.rowCount {
                    let rowKey = change.key.map { batch[row, $0].text ?? "" }
                    guard let before = change.previous[rowKey], let now = batch[row, change.field].decimal, before.units != 0 else {
                        continue
                    }
                    // A change too large for 64 bits is larger than any limit.
                    let shift = try? (now - before) / before * DecimalNumber(100)
                    let magnitude = shift.map { DecimalNumber(units: Int64(clamping: $0.units.magnitude), scale: $0.scale) }
                    if magnitude.map({ percent < $0 }) ?? true {
                        let shown = shift.map { ((try? $0.rounded(toPlaces: 1)) ?? $0).description } ?? "beyond 64 bits"
                        record(batch, row) { "'\(field)' changes from \(before) to \(now) (\(shown)%, more than \(percent)%) for \($0)" }
                    }
                }
            }
        }

        /// Reports the test's failures (throws the first one without a collector).
        func finish(context: StepContext) throws(PipelineFailure) {
            if let damage { throw damage }
            var failures = failures
            switch test.assertion {
            case let .totalEquals(leftTotal, rightTotal):
                // The other dataset of the test is referenced, so its table is kept.
                var other = right
                if let id = rightTotal.dataset {
                    other = RunningTotal(sum: nil)
                    if let table = context.tables?.table(id) {
                        other = RunningTotal()
                        for row in table.rows { other.add(row[...], rightTotal) }
                    }
                }
                if let leftSum = left.sum, let rightSum = other.sum {
                    if !leftSum.isNumericallyEqual(to: rightSum) {
                        failures.append(
                            ("\(test.describe(leftTotal)) is \(leftSum) but \(test.describe(rightTotal)) is \(rightSum)", nil))
                    }
                } else {
                    failures.append(("the totals cannot be computed (a dataset is missing or a value is not a number)", nil))
                }
            case let .noGaps(field):
                guard let low = integers.min(), let high = integers.max() else { break }
                let missing = (low...high).lazy.filter { !integers.contains($0) }
                if !missing.isEmpty {
                    let shown = missing.prefix(10).map(String.init).joined(separator: ", ")
                    let count = Int128(high) - Int128(low) + 1 - Int128(integers.count)
                    let more = count > 10 ? " and \(count - 10) more" : ""
                    failures.append(("'\(field)' has no row for \(shown)\(more) (the series runs from \(low) to \(high))", nil))
                }
            case .everyRow, .notInFuture, .maximumChange:
                break
            }
            for failure in failures {
                try test.fail(failure.message, line: failure.line, file: file, context: context)
            }
            // Beyond the listed ones, a collector only counts a test's failures: each counts as the first did.
            if unlisted > 0, let collector = context.collector, let first = failures.first {
                let issue = test.issue(first.message, line: first.line, file: file)
                for _ in 0..<unlisted { collector.add(issue) }
            }
        }

        private mutating func record(_ batch: Batch, _ row: Int, _ message: (String) -> String) {
            guard failures.count < limit else {
                unlisted += 1
                return
            }
            failures.append((message(test.describe(batch.row(row), schema: schema)), batch.lines[row]))
        }
    }

    /// A sum over rows as they pass: nil once a value is not a number or the sum overflows.
    struct RunningTotal {
        var sum: DecimalNumber? = DecimalNumber(0)

        mutating func add(_ row: ArraySlice<Value>, _ total: Total) {
            guard let current = sum else { return }
            if let filter = total.filter, (try? filter.evaluate(row)) != .boolean(true) { return }
            guard let value = try? total.sum.evaluate(row) else {
                sum = nil
                return
            }
            if value.isNull { return }
            guard let number = value.decimal, let next = try? current + number else {
                sum = nil
                return
            }
            sum = next
        }
    }
}
