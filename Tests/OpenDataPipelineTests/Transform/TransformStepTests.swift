@testable import OpenDataPipeline
import Testing

@Suite("Transform steps")
struct TransformStepTests {
    private let catalogue = TableSchema(fields: [
        Field(name: "year", type: .year),
        Field(name: "level", type: .integer),
        Field(name: "fee", type: .number),
    ])

    @Test func countsAndSumsByGroupInKeyOrderAcrossBatches() throws {
        let step = try Aggregate(
            groupBy: ["year", "level"],
            measures: [
                .init(field: Field(name: "procedures", type: .integer), measure: .count(condition: nil)),
                .init(field: Field(name: "fees", type: .number), measure: .sum(try Expression("fee", schema: catalogue))),
            ],
            input: catalogue)
        let first = makeBatch([[.integer(2018), .integer(4), decimal("1.5")], [.integer(2018), .integer(3), decimal("2")]])
        let second = makeBatch([[.integer(2018), .integer(4), decimal("0.25")], [.integer(2017), .integer(3), .null]])
        #expect(
            try runStep(step, [first, second]) == [
                [.integer(2017), .integer(3), .integer(1), .null],
                [.integer(2018), .integer(3), .integer(1), decimal("2")],
                [.integer(2018), .integer(4), .integer(2), decimal("1.75")],
            ])
        #expect(step.outputSchema.fields.map(\.name) == ["year", "level", "procedures", "fees"])
    }

    @Test func countsRowsWhereAConditionHolds() throws {
        let step = try Aggregate(
            groupBy: [],
            measures: [
                .init(field: Field(name: "level_3", type: .integer), measure: .count(condition: try Expression("level = 3", schema: catalogue))),
                .init(field: Field(name: "all", type: .integer), measure: .count(condition: nil)),
            ],
            input: catalogue)
        let rows = (0..<1883).map { index -> [Value] in [.integer(2018), .integer(index < 386 ? 3 : 1), .null] }
        #expect(try runStep(step, [makeBatch(rows)]) == [[.integer(386), .integer(1883)]])
    }

    @Test func derivesAFieldAndChecksItsConstraints() throws {
        let input = TableSchema(fields: [Field(name: "online", type: .integer), Field(name: "all", type: .integer)])
        let share = Field(
            name: "share", type: .number, constraints: .init(minimum: DecimalNumber(0), maximum: DecimalNumber(100)))
        let step = try DeriveField(
            field: share, expression: try Expression("round(online / all * 100, 1)", schema: input), input: input)
        #expect(
            try runStep(step, [makeBatch([[.integer(556), .integer(1883)]])]) == [
                [.integer(556), .integer(1883), decimal("29.5")]
            ])
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "in.csv", line: 2, field: "share"), value: "200.0",
                expected: "a value from 0 to 100 (computed by round(online / all * 100, 1))")
        ) {
            try runStep(step, [makeBatch([[.integer(2), .integer(1)]])])
        }
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "in.csv", line: 2, field: "share"), value: "round(online / all * 100, 1)",
                expected: "a non-zero divisor (division by zero)")
        ) {
            try runStep(step, [makeBatch([[.integer(2), .integer(0)]])])
        }
    }

    @Test func refusesADeclaredTypeTheExpressionDoesNotGive() throws {
        let input = TableSchema(fields: [Field(name: "a", type: .integer)])
        #expect(throws: TransformError(message: "the expression gives number but the field is declared integer")) {
            try DeriveField(field: Field(name: "b", type: .integer), expression: try Expression("a / 2", schema: input), input: input)
        }
        #expect(throws: TransformError(message: "a field named 'a' already exists", code: .duplicateName)) {
            try DeriveField(field: Field(name: "a", type: .integer), expression: try Expression("a + 1", schema: input), input: input)
        }
    }
}
