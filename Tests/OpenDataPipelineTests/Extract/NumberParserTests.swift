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

    /// The fast path for plain digits gives what the general path gives, for every text of up to
    /// 21 bytes built from digits, both separators, `-`, a space and `%` (seeded, so a failure
    /// repeats), in every format: the same number, scale included, or nil from both.
    @Test(arguments: [NumberFormat.plain, .vi, .en])
    func theFastPathForDigitsAgreesWithTheGeneralPath(format: NumberFormat) {
        let alphabet = Array("0123456789012345678901234567890123456789.,-- %".utf8)
        var state: UInt64 = 0x2018_0556_1883_0386
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var texts: [[UInt8]] = [
            "0", "-0", "007", "-0.50", "999999999999999999", "9999999999999999999", "-999999999999999999", "1.000000000000000001",
        ]
        .map { Array($0.utf8) }
        for _ in 0..<20_000 { texts.append((0..<(1 + next(21))).map { _ in alphabet[next(alphabet.count)] }) }
        var parsed = 0
        for text in texts {
            text.withUnsafeBufferPointer { bytes in
                let fast = NumberParser.parse(bytes, format: format)
                #expect(fast == NumberParser.parseComposed(bytes, format: format), "\(String(decoding: text, as: UTF8.self))")
                #expect(fast?.scale == NumberParser.parseComposed(bytes, format: format)?.scale)
                if fast != nil { parsed += 1 }
            }
        }
        // Not a vacuous agreement: many of the texts are numbers.
        #expect(parsed > 2_000)
    }
}
