@testable import OpenDataPipeline
import Testing

@Suite("Transform steps")
struct TransformStepTests {
    private let catalogue = TableSchema(fields: [
        Field(name: "year", type: .year),
        Field(name: "level", type: .integer),
        Field(name: "fee", type: .number),
    ])

    private func batch(_ rows: [[Value]], width: Int = 3) -> Batch {
        var batch = Batch(width: width)
        for (index, row) in rows.enumerated() { batch.append(row: row, line: index + 2) }
        return batch
    }

    /// Runs one step's processor over batches and returns all rows it passes on.
    private func run(_ step: any Transform, _ batches: [Batch]) throws -> [[Value]] {
        let processor = step.makeProcessor(context: StepContext(sourceFile: "in.csv"))
        var rows: [[Value]] = []
        func collect(_ batch: Batch?) {
            guard let batch else { return }
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        for batch in batches { collect(try processor.process(batch)) }
        collect(try processor.finish())
        return rows
    }

    private func number(_ text: String) -> Value { .number(NumberParser.parse(text, format: .plain)!) }

    @Test func countsAndSumsByGroupInKeyOrderAcrossBatches() throws {
        let step = try Aggregate(
            groupBy: ["year", "level"],
            measures: [
                .init(field: Field(name: "procedures", type: .integer), measure: .count(condition: nil)),
                .init(field: Field(name: "fees", type: .number), measure: .sum(try Expression("fee", schema: catalogue))),
            ],
            input: catalogue)
        let first = batch([[.integer(2018), .integer(4), number("1.5")], [.integer(2018), .integer(3), number("2")]])
        let second = batch([[.integer(2018), .integer(4), number("0.25")], [.integer(2017), .integer(3), .null]])
        #expect(try run(step, [first, second]) == [
            [.integer(2017), .integer(3), .integer(1), .null],
            [.integer(2018), .integer(3), .integer(1), number("2")],
            [.integer(2018), .integer(4), .integer(2), number("1.75")],
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
        #expect(try run(step, [batch(rows)]) == [[.integer(386), .integer(1883)]])
    }

    @Test func derivesAFieldAndChecksItsConstraints() throws {
        let input = TableSchema(fields: [Field(name: "online", type: .integer), Field(name: "all", type: .integer)])
        let share = Field(
            name: "share", type: .number, constraints: .init(minimum: DecimalNumber(0), maximum: DecimalNumber(100)))
        let step = try DeriveField(
            field: share, expression: try Expression("round(online / all * 100, 1)", schema: input), input: input)
        #expect(try run(step, [batch([[.integer(556), .integer(1883)]], width: 2)]) == [
            [.integer(556), .integer(1883), number("29.5")]
        ])
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "in.csv", line: 2, field: "share"), value: "200.0",
                expected: "a value from 0 to 100 (computed by round(online / all * 100, 1))")
        ) {
            try run(step, [batch([[.integer(2), .integer(1)]], width: 2)])
        }
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "in.csv", line: 2, field: "share"), value: "round(online / all * 100, 1)",
                expected: "a non-zero divisor (division by zero)")
        ) {
            try run(step, [batch([[.integer(2), .integer(0)]], width: 2)])
        }
    }

    @Test func refusesADeclaredTypeTheExpressionDoesNotGive() throws {
        let input = TableSchema(fields: [Field(name: "a", type: .integer)])
        #expect(throws: TransformError.self) {
            try DeriveField(field: Field(name: "b", type: .integer), expression: try Expression("a / 2", schema: input), input: input)
        }
        #expect(throws: TransformError.self) {
            try DeriveField(field: Field(name: "a", type: .integer), expression: try Expression("a + 1", schema: input), input: input)
        }
    }
}
