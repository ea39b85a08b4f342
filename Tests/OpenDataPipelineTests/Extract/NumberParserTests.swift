@testable import OpenDataPipeline
import Testing

@Suite("NumberParser")
struct NumberParserTests {
    @Test(arguments: [
        ("1.883", "1883"), ("7,5", "7.5"), ("55%", "55"), ("55 %", "55"), ("7,5 triệu", "7500000"),
        ("52 triệu", "52000000"), ("1.883,50", "1883.50"), ("-1.234.567", "-1234567"), ("3 nghìn", "3000"),
        ("2,5 tỷ", "2500000000"), (" 386 ", "386"), ("\u{00A0}170\u{00A0}", "170"), ("0,001", "0.001"),
    ])
    func parsesVietnameseNumbers(text: String, expected: String) throws {
        let number = try #require(NumberParser.parse(text, format: .vi))
        #expect(number.description == expected)
    }

    @Test(arguments: ["1.5", "1.88", "1..883", "1.8833", ",5", "7,", "12,3,4", "abc", "1 883", "triệu", "7,5triệu", "", "5-", "1.883.5"])
    func refusesTextThatIsNotAVietnameseNumber(text: String) {
        #expect(NumberParser.parse(text, format: .vi) == nil)
    }

    @Test func readsTheSameDigitsDifferentlyUnderEachFormat() {
        #expect(NumberParser.parse("1.883", format: .vi)?.description == "1883")
        #expect(NumberParser.parse("1.883", format: .plain)?.description == "1.883")
        #expect(NumberParser.parse("1,883", format: .en)?.description == "1883")
        #expect(NumberParser.parse("1,883", format: .vi)?.description == "1.883")
        #expect(NumberParser.parse("1,883", format: .plain) == nil)
        #expect(NumberParser.parse("7.5 million", format: .en)?.description == "7500000")
    }

    @Test func keepsTheDecimalsAValueWasWrittenWith() {
        #expect(NumberParser.parse("17.90", format: .plain)?.description == "17.90")
        #expect(NumberParser.parse("17,90", format: .vi)?.scale == 2)
    }

    @Test func refusesNumbersTooLargeFor64Bits() {
        #expect(NumberParser.parse("99999999999999999999", format: .plain) == nil)
        #expect(NumberParser.parse("9.999.999.999.999 tỷ", format: .vi) == nil)
    }
}
