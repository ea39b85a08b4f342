/// Keeps the rows where a true/false expression is true (`filter: "year >= 2016"`);
/// a null result drops the row, as SQL's WHERE does. Streams.
public struct FilterRows: RowStep {
    public let condition: Expression
    public let outputSchema: TableSchema
    public var name: String { "filter \(condition.text)" }

    public init(_ condition: Expression, input: TableSchema) throws(TransformError) {
        guard condition.type == .boolean else {
            throw TransformError(message: "a filter is a true/false expression; '\(condition.text)' gives \(condition.type.rawValue)")
        }
        self.condition = condition
        outputSchema = input
    }

    public func map(_ row: ArraySlice<Value>, line: Int?, state: inout Void, context: StepContext) throws(PipelineFailure) -> [Value]? {
        do {
            return try condition.evaluate(row) == .boolean(true) ? Array(row) : nil
        } catch {
            let location = context.location(line: line, field: name)
            try context.report(
                ValidationIssue(.stepError, location: location, cell: condition.text, message: error.expected, rule: name),
                otherwise: .badValue(location, value: condition.text, expected: error.expected))
            return nil
        }
    }
}
