/// Adds a field computed from an expression over each row, e.g.
/// `share_percent = round(online / all_procedures * 100, 1)`.
///
/// Streams: memory does not depend on the number of rows.
public struct DeriveField: Transform {
    public let field: Field
    public let expression: Expression
    public let outputSchema: TableSchema

    /// - Throws: when the declared type does not match what the expression gives.
    public init(field: Field, expression: Expression, input: TableSchema) throws(TransformError) {
        guard input.index(of: field.name) == nil else {
            throw TransformError(message: "a field named '\(field.name)' already exists", code: .duplicateName)
        }
        guard field.type == expression.type || (field.type == .number && expression.type == .integer) else {
            throw TransformError(
                message: "the expression gives \(expression.type.rawValue) but the field is declared \(field.type.rawValue)")
        }
        self.field = field
        self.expression = expression
        self.outputSchema = TableSchema(fields: input.fields + [field])
    }

    public var name: String { "derive \(field.name)" }

    public func makeProcessor(context: StepContext) -> any BatchProcessor {
        Processor(step: self, context: context)
    }

    final class Processor: BatchProcessor {
        let step: DeriveField
        let context: StepContext

        init(step: DeriveField, context: StepContext) {
            self.step = step
            self.context = context
        }

        func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
            var output = Batch(width: batch.width + 1, capacity: batch.rowCount)
            for row in 0..<batch.rowCount {
                let cells = batch.row(row)
                let line = batch.lines[row]
                let location = context.location(line: line, field: step.field.name)
                var value: Value
                do {
                    value = try step.expression.evaluate(cells)
                } catch {
                    try context.report(
                        ValidationIssue(
                            .stepError, location: location, cell: step.expression.text,
                            message: "\(step.expression.text) cannot be computed: expected \(error.expected)", rule: step.name),
                        otherwise: .badValue(location, value: step.expression.text, expected: error.expected))
                    continue
                }
                if step.field.type == .number, case let .integer(integer) = value {
                    value = .number(DecimalNumber(integer))
                }
                if let decimals = step.field.decimals, case let .number(number) = value,
                    let rounded = try? number.rounded(toPlaces: decimals)
                {
                    value = .number(rounded)
                }
                if let violation = step.field.constraints.violation(by: value) {
                    let expected = "\(violation.expected) (computed by \(step.expression.text))"
                    try context.report(
                        ValidationIssue(
                            .constraintError, severity: step.field.constraints.isWarning ? .warning : .error,
                            location: location, cell: value.text ?? "", message: expected, rule: violation.rule),
                        otherwise: .badValue(location, value: value.text ?? "", expected: expected))
                    if !step.field.constraints.isWarning { continue }
                }
                output.append(row: cells + CollectionOfOne(value), line: line)
            }
            return output
        }

        func finish() throws(PipelineFailure) -> Batch? { nil }
    }
}

/// A transform step that does not fit its input, found when the pipeline is loaded.
public struct TransformError: Error, Sendable, Equatable {
    public var message: String
    /// The reason (``PipelineFailure/Code-swift.enum``) the definition error gets.
    public var code: PipelineFailure.Code = .invalidValue
}
