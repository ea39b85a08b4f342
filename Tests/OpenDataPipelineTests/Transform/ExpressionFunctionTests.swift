@testable import OpenDataPipeline
import Testing

@Suite("Expression functions: text and date parts")
struct ExpressionFunctionTests {
    private let schema = TableSchema(fields: [
        Field(name: "name", type: .string),
        Field(name: "day", type: .date),
        Field(name: "stamp", type: .datetime),
        Field(name: "change", type: .number),
    ])

    private let row: [Value] = [
        .string("  Hà Nội "), .date(CalendarDate(year: 2018, month: 9, day: 18)!), .string("2018-09-19T09:30:00+07:00"),
        .number(DecimalNumber(units: -175, scale: 2)),
    ]

    private func evaluate(_ text: String) throws -> Value {
        try Expression(text, schema: schema).evaluate(row[...])
    }

    @Test func changesCaseTrimsAndMeasuresText() throws {
        #expect(try evaluate("upper(trim(name))") == .string("HÀ NỘI"))
        #expect(try evaluate("lower(trim(name)) + '!'") == .string("hà nội!"))
        #expect(try evaluate("length(trim(name))") == .integer(6))
    }

    @Test func takesPartsOfDatesAndDatetimes() throws {
        #expect(try evaluate("year(day) * 100 + month(day)") == .integer(201809))
        #expect(try evaluate("day(stamp)") == .integer(19))
        #expect(try evaluate("year(day) <= 2018") == .boolean(true))
    }

    @Test func absKeepsTheDecimalsAndIsnullTellsAnEmptyCell() throws {
        #expect(try evaluate("abs(change)").text == "1.75")
        #expect(try evaluate("isnull(change)") == .boolean(false))
        #expect(try evaluate("isnull(coalesce(null, null))") == .boolean(true))
    }

    @Test func wrongArgumentTypesAreLoadTimeErrorsAtTheArgument() {
        let known = "round, percent, if, coalesce, upper, lower, trim, length, year, month, day, abs, isnull"
        for (text, offset, message) in [
            ("upper(change)", 6, "upper needs text, found number"),
            ("year(change) + 1", 5, "year needs a date (or a datetime's text), found number"),
            ("abs(name)", 4, "abs needs a number, found string"),
            ("nope(name)", 0, "unknown function 'nope'; known: \(known)"),
        ] {
            #expect(throws: ExpressionError(offset: offset, message: message), "\(text)") { try Expression(text, schema: schema) }
        }
    }
}
