/// Groups rows by the values of some fields and computes a measure per group:
/// a count of rows (optionally of rows where a condition holds), a sum, the
/// minimum, maximum or mean of an expression, or each group's share (%) of the
/// total over all groups.
///
/// Holds one accumulator per group, never the rows: memory grows with the
/// number of groups, not of rows. Groups are emitted in ascending key order,
/// so output is the same from run to run.
public struct Aggregate: Transform {
    public enum Measure: Sendable {
        /// Rows in the group; with a condition, rows where it is true.
        case count(condition: Expression?)
        /// The sum of a numeric expression over the group; null when every value is null.
        case sum(Expression)
        /// The smallest and largest value of an expression (numbers, text, dates); nulls are skipped.
        case minimum(Expression)
        case maximum(Expression)
        /// The sum divided by the number of non-null values, rounded to the field's `decimals` when declared.
        case mean(Expression)
        /// The group's sum as a percentage of the sum over all groups, rounded to the
        /// field's `decimals` (1 when not declared), half away from zero.
        case share(Expression)

        var expression: Expression? {
            switch self {
            case let .count(condition): condition
            case let .sum(expression), let .minimum(expression), let .maximum(expression), let .mean(expression),
                let .share(expression):
                expression
            }
        }
    }

    public struct MeasureField: Sendable {
        public var field: Field
        public var measure: Measure

        public init(field: Field, measure: Measure) {
            self.field = field
            self.measure = measure
        }
    }

    public let groupBy: [Int]
    public let measures: [MeasureField]
    public let outputSchema: TableSchema

    public init(groupBy names: [String], measures: [MeasureField], input: TableSchema) throws(TransformError) {
        var indexes: [Int] = []
        for name in names {
            guard let index = input.index(of: name) else {
                throw TransformError(message: "cannot group by '\(name)': no such field", code: .unknownField)
            }
            indexes.append(index)
        }
        var fields = indexes.map { input.fields[$0] }
        for measure in measures {
            guard !fields.contains(where: { $0.name == measure.field.name }) else {
                throw TransformError(message: "the field '\(measure.field.name)' appears twice", code: .duplicateName)
            }
            switch measure.measure {
            case let .count(condition):
                if let condition, condition.type != .boolean {
                    throw TransformError(message: "the condition of '\(measure.field.name)' must be true/false")
                }
            case let .sum(expression), let .mean(expression), let .share(expression):
                guard expression.type.isNumeric else {
                    throw TransformError(message: "'\(measure.field.name)' sums \(expression.type.rawValue), not numbers")
                }
            case .minimum, .maximum:
                break
            }
            fields.append(measure.field)
        }
        self.groupBy = indexes
        self.measures = measures
        self.outputSchema = TableSchema(fields: fields)
    }

    public var name: String { "aggregate" }

    public func makeProcessor(context: StepContext) -> any BatchProcessor {
        Processor(step: self, context: context)
    }

    final class Processor: BatchProcessor {
        let step: Aggregate
        let context: StepContext
        /// One running total per measure and group.
        var groups: [[Value]: [Value]] = [:]
        /// The number of non-null values per measure and group, for means.
        var counts: [[Value]: [Int64]] = [:]

        init(step: Aggregate, context: StepContext) {
            self.step = step
            self.context = context
        }

        private var initial: [Value] {
            step.measures.map { measure in
                if case .count = measure.measure { return .integer(0) }
                return .null
            }
        }

        func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
            for row in 0..<batch.rowCount {
                let cells = batch.row(row)
                let key = step.groupBy.map { cells[cells.startIndex + $0] }
                var totals = groups[key] ?? initial
                var valueCounts = counts[key] ?? step.measures.map { _ in 0 }
                for (index, measure) in step.measures.enumerated() {
                    do {
                        totals[index] = try accumulate(totals[index], measure.measure, cells)
                        if case .mean = measure.measure, (try? measure.measure.expression?.evaluate(cells))??.isNull == false {
                            valueCounts[index] += 1
                        }
                    } catch {
                        let location = context.location(line: batch.lines[row], field: measure.field.name)
                        try context.report(
                            ValidationIssue(
                                .stepError, location: location, cell: totals[index].text,
                                message: "\(measure.field.name) cannot be computed: expected \(error.expected)", rule: step.name),
                            otherwise: .badValue(location, value: totals[index].text ?? "", expected: error.expected))
                    }
                }
                groups[key] = totals
                counts[key] = valueCounts
            }
            return nil
        }

        private func accumulate(_ total: Value, _ measure: Measure, _ cells: ArraySlice<Value>) throws(EvaluationError) -> Value {
            switch measure {
            case let .count(condition):
                guard case let .integer(count) = total else { return total }
                if let condition, try condition.evaluate(cells) != .boolean(true) { return total }
                return .integer(count + 1)
            case let .minimum(expression), let .maximum(expression):
                let value = try expression.evaluate(cells)
                if value.isNull { return total }
                if total.isNull { return value }
                let order = Value.compare(value, total) ?? 0
                if case .minimum = measure { return order < 0 ? value : total }
                return order > 0 ? value : total
            case let .sum(expression), let .mean(expression), let .share(expression):
                let value = try expression.evaluate(cells)
                switch (total, value) {
                case (_, .null): return total
                case (.null, _): return value
                case let (.integer(a), .integer(b)):
                    let (sum, overflow) = a.addingReportingOverflow(b)
                    if overflow { throw .overflow }
                    return .integer(sum)
                default:
                    guard let a = total.decimal, let b = value.decimal else { return total }
                    do { return .number(try a + b) } catch { throw .overflow }
                }
            }
        }

        func finish() throws(PipelineFailure) -> Batch? {
            if groups.isEmpty && step.groupBy.isEmpty { groups[[]] = initial }
            let keys = groups.keys.sorted { lhs, rhs in
                for (a, b) in zip(lhs, rhs) {
                    let order = Value.compare(a, b) ?? 0
                    if order != 0 { return order < 0 }
                }
                return false
            }
            // Shares need the total over all groups (nil when it overflows), summed in key order.
            var grandTotals: [DecimalNumber?] = step.measures.map { _ in DecimalNumber(0) }
            for key in keys {
                for (index, measure) in step.measures.enumerated() {
                    guard case .share = measure.measure, let number = groups[key]?[index].decimal,
                        let total = grandTotals[index]
                    else { continue }
                    grandTotals[index] = try? total + number
                }
            }
            var output = Batch(width: step.outputSchema.count, capacity: keys.count)
            for key in keys {
                var totals = groups[key] ?? initial
                for (index, measure) in step.measures.enumerated() {
                    switch measure.measure {
                    case .mean:
                        if let sum = totals[index].decimal, let count = counts[key]?[index], count > 0 {
                            totals[index] = finished(try? sum / DecimalNumber(count), field: measure.field)
                        }
                    case .share:
                        if let sum = totals[index].decimal {
                            var field = measure.field
                            field.decimals = field.decimals ?? 1
                            do {
                                totals[index] = finished(try Self.share(sum, of: grandTotals[index]), field: field)
                            } catch {
                                totals[index] = .null
                                if error == .overflow { try reportOverflow(measure.field, key: key, sum: sum) }
                            }
                        }
                    default:
                        break
                    }
                    if measure.field.type == .number, case let .integer(integer) = totals[index] {
                        totals[index] = .number(DecimalNumber(integer))
                    }
                    if let violation = measure.field.constraints.violation(by: totals[index]) {
                        let group = zip(step.outputSchema.fields, key).map { "\($0.name)=\($1.text ?? "null")" }
                        let field = group.isEmpty ? measure.field.name : "\(measure.field.name)' of group '\(group.joined(separator: ", "))"
                        let location = context.location(line: nil, field: field)
                        try context.report(
                            ValidationIssue(
                                .constraintError, severity: measure.field.constraints.isWarning ? .warning : .error,
                                location: location, cell: totals[index].text ?? "", message: violation.expected,
                                rule: violation.rule),
                            otherwise: .badValue(location, value: totals[index].text ?? "", expected: violation.expected))
                    }
                }
                output.append(row: key + totals, line: nil)
            }
            groups = [:]
            counts = [:]
            return output
        }

        /// `part` × 100 / `whole`; `whole` is nil when the grand total overflowed.
        private static func share(
            _ part: DecimalNumber, of whole: DecimalNumber?
        ) throws(DecimalNumber.ArithmeticError) -> DecimalNumber {
            guard let whole else { throw .overflow }
            if let exact = try? part * DecimalNumber(100) / whole { return exact }
            return try part / whole * DecimalNumber(100)
        }

        private func reportOverflow(_ field: Field, key: [Value], sum: DecimalNumber) throws(PipelineFailure) {
            let group = zip(step.outputSchema.fields, key).map { "\($0.name)=\($1.text ?? "null")" }
            let name = group.isEmpty ? field.name : "\(field.name)' of group '\(group.joined(separator: ", "))"
            let location = context.location(line: nil, field: name)
            let expected = "a total of all groups that fits in 64 bits (the share's arithmetic overflowed)"
            try context.report(
                ValidationIssue(
                    .stepError, location: location, cell: sum.description,
                    message: "\(field.name) cannot be computed: expected \(expected)", rule: step.name),
                otherwise: .badValue(location, value: sum.description, expected: expected))
        }

        /// A computed mean or share, rounded to the field's decimals; null when it cannot be computed (0 / 0).
        private func finished(_ number: DecimalNumber?, field: Field) -> Value {
            guard var number else { return .null }
            if let decimals = field.decimals, let rounded = try? number.rounded(toPlaces: decimals) { number = rounded }
            return .number(number)
        }
    }
}
