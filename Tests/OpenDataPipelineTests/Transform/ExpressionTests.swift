@testable import OpenDataPipeline
import Testing

@Suite("Expression")
struct ExpressionTests {
    private let schema = TableSchema(fields: [
        Field(name: "level_3", type: .integer),
        Field(name: "level_4", type: .integer),
        Field(name: "all_procedures", type: .integer),
        Field(name: "area", type: .string),
        Field(name: "share", type: .number),
        Field(name: "year", type: .year),
    ])

    private let row: [Value] = [
        .integer(386), .integer(170), .integer(1883), .string("Hà Nội"), .number(DecimalNumber(units: 295, scale: 1)),
        .integer(2018),
    ]

    private func evaluate(_ text: String, row: [Value]? = nil) throws -> Value {
        try Expression(text, schema: schema).evaluate((row ?? self.row)[...])
    }

    @Test func computesTheSeedsFiguresExactly() throws {
        #expect(try evaluate("level_3 + level_4") == .integer(556))
        #expect(try evaluate("round((level_3 + level_4) / all_procedures * 100, 1)") == .number(.init(units: 295, scale: 1)))
        #expect(try evaluate("round(percent(level_3 + level_4, all_procedures), 1)") == .number(.init(units: 295, scale: 1)))
        #expect(try evaluate("level_3 + level_4 * 2") == .integer(726))
        #expect(try evaluate("(level_3 + level_4) * 2") == .integer(1112))
        #expect(try evaluate("-level_3 + 1") == .integer(-385))
    }

    @Test func typesEachExpression() throws {
        #expect(try Expression("level_3 + level_4", schema: schema).type == .integer)
        #expect(try Expression("level_3 / 2", schema: schema).type == .number)
        #expect(try Expression("share > 29 and area = 'Hà Nội'", schema: schema).type == .boolean)
        #expect(try Expression("area + ' (' + area + ')'", schema: schema).type == .string)
        #expect(try Expression("year + 1", schema: schema).type == .integer)
    }

    @Test func comparesAndCombinesConditions() throws {
        #expect(try evaluate("level_3 = 386 and not (level_4 > 200)") == .boolean(true))
        #expect(try evaluate("level_3 <> 386 or share >= 29.5") == .boolean(true))
        #expect(try evaluate("if(share < 30, 'gần 30%', 'trên 30%')") == .string("gần 30%"))
        #expect(try evaluate("area = \"Hà Nội\"") == .boolean(true))
        #expect(try evaluate("'it''s'") == .string("it's"))
    }

    @Test func propagatesNullAndCoalescesIt() throws {
        var missing = row
        missing[1] = .null
        #expect(try evaluate("level_3 + level_4", row: missing) == .null)
        #expect(try evaluate("coalesce(level_4, 0) + level_3", row: missing) == .integer(386))
        #expect(try evaluate("level_4 > 1", row: missing) == .null)
    }

    @Test func makesDivisionByZeroAndOverflowDataErrors() throws {
        var zero = row
        zero[2] = .integer(0)
        #expect(throws: EvaluationError.divisionByZero) { try evaluate("level_3 / all_procedures", row: zero) }
        var huge = row
        huge[0] = .integer(.max)
        #expect(throws: EvaluationError.overflow) { try evaluate("level_3 + 1", row: huge) }
    }

    @Test(arguments: [
        ("level_5 + 1", 0, "unknown field 'level_5'"),
        ("level_3 + area", 8, "'+' needs numbers"),
        ("round(share)", 0, "round takes 2 arguments"),
        ("round(share, level_3)", 13, "round's places must be a whole number"),
        ("level_3 +", 9, "expected a value"),
        ("(level_3", 8, "expected ')'"),
        ("level_3 ? 1", 8, "unexpected character '?'"),
        ("'open", 0, "never closed"),
        ("area > 1", 5, "cannot compare string with integer"),
        ("frobnicate(1)", 0, "unknown function 'frobnicate'"),
        ("level_3 level_4", 8, "unexpected 'level_4'"),
    ])
    func reportsWhereAnExpressionIsWrong(text: String, offset: Int, message: String) {
        do {
            _ = try Expression(text, schema: schema)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.offset == offset, "offset for '\(text)'")
            #expect(error.message.contains(message), "message for '\(text)': \(error.message)")
        }
    }

    @Test func refusesExpressionsNestedTooDeeply() {
        let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(
            throws: ExpressionError(
                offset: 100,
                message: "the expression nests more than 100 levels deep (parentheses, operators, 'not', '-'); split it into several derived fields"
            )
        ) { try Expression(deep, schema: schema) }
    }
}
