@testable import OpenDataPipeline
import Testing

@Suite("ValueDecoder: Table Schema types and constraints")
struct ValueDecoderTests {
    private func decode(_ text: String, _ type: FieldType, _ configure: (inout Field) -> Void = { _ in }) throws(ValueDecoder.Failure) -> Value {
        var field = Field(name: "f", type: type)
        configure(&field)
        return try ValueDecoder(field: field, numberFormat: .plain, missingValues: ["", "NA", "-"]).decode(text)
    }

    private func rule(_ text: String, _ type: FieldType, _ configure: (inout Field) -> Void) -> String? {
        do {
            _ = try decode(text, type, configure)
            return nil
        } catch {
            return error.rule ?? "type"
        }
    }

    @Test func readsTheISOTextsOfTheTemporalTypes() throws {
        #expect(try decode("2018-09-18T09:30:00+07:00", .datetime) == .string("2018-09-18T09:30:00+07:00"))
        #expect(try decode("2018-09-18T09:30:00.5Z", .datetime) == .string("2018-09-18T09:30:00.5Z"))
        #expect(try decode("09:30:00", .time) == .string("09:30:00"))
        #expect(try decode("2018-09", .yearmonth) == .string("2018-09"))
        #expect(try decode("P1Y2M10DT2H30M", .duration) == .string("P1Y2M10DT2H30M"))
        for (text, type) in [
            ("2018-02-30T00:00:00", FieldType.datetime), ("25:00:00", .time), ("2018-13", .yearmonth),
            ("P", .duration), ("PT1D", .duration), ("1Y", .duration),
        ] {
            #expect(rule(text, type) { _ in } == "type", "\(text) as \(type)")
        }
    }

    /// A number too long for 64 bits says the limit rather than "expected a number".
    @Test(arguments: [
        ("12345678901234567890", FieldType.integer, "at most 18 significant digits (this has 20)"),
        ("-12345678901234567890.5", .number, "at most 18 significant digits (this has 21)"),
        ("00000000000000000000012345678901234567890", .number, "at most 18 significant digits (this has 20)"),
        ("0.1234567890123456789", .number, "at most 18 significant digits (this has 19)"),
        ("0.0000000000000000001", .number, "at most 18 digits after the decimal separator (this has 19)"),
    ])
    func aNumberWithTooManyDigitsSaysTheLimit(text: String, type: FieldType, expected: String) {
        var message: String?
        do { _ = try decode(text, type) } catch { message = error.expected }
        let advice = expected.contains("significant") ? "; a longer number does not fit in 64 bits: publish it as a string field" : ""
        #expect(message == expected + advice)
    }

    @Test func digitsAmongOtherTextAreNotANumberAtAll() {
        var message: String?
        do { _ = try decode("ID 123456789012345678901", .integer) } catch { message = error.expected }
        #expect(message == FieldType.integer.expectation(numberFormat: .plain))
        #expect((try? decode("123456789012345678", .integer)) == .integer(123_456_789_012_345_678))
    }

    @Test func missingValuesAreNullAndAFieldMayDeclareItsOwn() throws {
        #expect(try decode("NA", .integer) == .null)
        #expect(try decode("-", .string) == .null)
        #expect(rule("NA", .integer) { $0.missingValues = ["..."] } == "type")
        #expect(try decode("...", .integer) { $0.missingValues = ["..."] } == .null)
    }

    @Test func eachConstraintNamesItsRule() {
        #expect(rule("5", .integer) { $0.constraints.exclusiveMaximum = DecimalNumber(5) } == "exclusiveMaximum")
        #expect(rule("0", .number) { $0.constraints.exclusiveMinimum = DecimalNumber(0) } == "exclusiveMinimum")
        #expect(rule("ab", .string) { $0.constraints.minLength = 3 } == "minLength")
        #expect(rule("Hà Nội", .string) { $0.constraints.maxLength = 5 } == "maxLength")
        #expect(rule("Hà Nội", .string) { $0.constraints.maxLength = 6 } == nil, "lengths count characters, not bytes")
        #expect(rule("HN-01", .string) { $0.constraints.pattern = .init("[A-Z]{2}-[0-9]{2}") } == nil)
        #expect(rule("xHN-01", .string) { $0.constraints.pattern = .init("[A-Z]{2}-[0-9]{2}") } == "pattern")
        #expect(rule("3", .integer) { $0.constraints.allowed = [.integer(1), .integer(2)] } == "enum")
        #expect(rule("2.0", .number) { $0.constraints.allowed = [.number(DecimalNumber(2))] } == nil)
        #expect(rule("", .string) { $0.constraints.required = true } == "required")
    }

    @Test func readsDatesInTheSourcesOwnPatternAsISO() throws {
        let vietnamese = FieldFormat("%d/%m/%Y", type: .date)
        #expect(try decode("18/9/2018", .date) { $0.format = vietnamese } == .date(CalendarDate(year: 2018, month: 9, day: 18)!))
        #expect(rule("31/02/2018", .date) { $0.format = vietnamese } == "type")
        #expect(rule("2018-09-18", .date) { $0.format = vietnamese } == "type")
        let stamp = FieldFormat("%d/%m/%Y %H:%M", type: .datetime)
        #expect(try decode("18/09/2018 9:30", .datetime) { $0.format = stamp } == .string("2018-09-18T09:30:00"))
        #expect(try decode("9h30", .time) { $0.format = FieldFormat("%Hh%M", type: .time) } == .string("09:30:00"))
        #expect(FieldFormat("%d/%q", type: .date) == nil)
        #expect(FieldFormat("%d/%m/%Y", type: .string) == nil)
        #expect(FieldFormat("%d/%m/%Y", type: .date)?.publishedName == nil, "published values are ISO")
    }

    @Test func checksTheShapeOfStringFormats() {
        let cases: [(FieldFormat, String, Bool)] = [
            (.email, "opendata@hanoi.gov.vn", true), (.email, "opendata@hanoi", false), (.email, "a b@x.vn", false),
            (.uri, "https://opendata.hanoi.gov.vn/x", true), (.uri, "not a uri", false),
            (.uuid, "123e4567-e89b-12d3-a456-426614174000", true), (.uuid, "123e4567e89b12d3a456426614174000", false),
            (.binary, "SGVsbG8=", true), (.binary, "SGVsbG8", false),
        ]
        for (format, text, valid) in cases {
            #expect((rule(text, .string) { $0.format = format } == nil) == valid, "\(text) as \(format)")
        }
    }

    @Test func declaredDecimalsPadButNeverRound() throws {
        #expect(try decode("17.9", .number) { $0.decimals = 2 } == .number(DecimalNumber(units: 1790, scale: 2)))
        #expect(try decode("17.9", .number) { $0.decimals = 2 }.text == "17.90")
        #expect(rule("17.905", .number) { $0.decimals = 2 } == "decimals")
    }
}
