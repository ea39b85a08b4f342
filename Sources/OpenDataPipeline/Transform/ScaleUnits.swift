/// Converts a numeric field between unit multipliers, exactly:
/// `scale: {field: users, from: 6, to: 0}` turns 52 (millions, "triệu") into
/// 52000000 (never 52000000.0); `to: 3` gives thousands. Converting to a
/// larger unit divides exactly (500 units are 0.5 thousand) and makes the
/// field a number. The output field records the new
/// multiplier. Streams.
public struct ScaleUnits: RowStep {
    public let column: Int
    public let factor: DecimalNumber
    public let divides: Bool
    public let outputSchema: TableSchema
    public var name: String { "scale \(outputSchema.fields[column].name)" }

    public init(field: String, from: Int, to: Int, input: TableSchema) throws(TransformError) {
        let index = try input.require(field, for: "scale")
        guard input.fields[index].type.isNumeric else {
            throw TransformError(message: "scale: '\(field)' is \(input.fields[index].type.rawValue), not a number")
        }
        guard abs(from - to) <= 18 else { throw TransformError(message: "scale: the powers of ten are too far apart") }
        column = index
        factor = DecimalNumber(Int64(DecimalNumber.powersOfTen[abs(from - to)]))
        divides = to > from
        var fields = input.fields
        fields[index].unitMultiplier = to == 0 ? nil : to
        if divides { fields[index].type = .number }
        outputSchema = TableSchema(fields: fields)
    }

    public func map(_ row: ArraySlice<Value>, line: Int?, state: inout Void, context: StepContext) throws(PipelineFailure) -> [Value]? {
        var cells = Array(row)
        guard let number = cells[column].decimal else { return cells }
        do {
            // 7.5 millions are 7500000 units, not 7500000.0: scaling up drops the zeros it adds.
            let scaled = divides ? try number / factor : try (number * factor).normalized(minimumScale: 0)
            if outputSchema.fields[column].type == .integer, let integer = scaled.exactInteger {
                cells[column] = .integer(integer)
            } else {
                cells[column] = .number(scaled)
            }
        } catch {
            let location = context.location(line: line, field: outputSchema.fields[column].name)
            let expected = error == .overflow ? "a value that fits once scaled" : "a number"
            try context.report(
                ValidationIssue(.stepError, location: location, cell: number.description, message: expected, rule: name),
                otherwise: .badValue(location, value: number.description, expected: expected))
            return nil
        }
        return cells
    }
}
