@testable import OpenDataPipeline
import Testing

@Suite("DecimalNumber")
struct DecimalNumberTests {
    private func number(_ text: String) throws -> DecimalNumber {
        try #require(NumberParser.parse(text, format: .plain))
    }

    @Test func computesTheSeedsShareExactly() throws {
        let share = try (try (try number("556") / number("1883")) * number("100")).rounded(toPlaces: 1)
        #expect(share.description == "29.5")
    }

    @Test func addsWithoutBinaryFloatingPointError() throws {
        #expect(try (number("0.1") + number("0.2")).description == "0.3")
        #expect(try (number("29.4") + number("0.1")).description == "29.5")
    }

    @Test func roundsHalfAwayFromZero() throws {
        #expect(try number("2.25").rounded(toPlaces: 1).description == "2.3")
        #expect(try number("-2.25").rounded(toPlaces: 1).description == "-2.3")
        #expect(try number("2.24").rounded(toPlaces: 1).description == "2.2")
    }

    @Test func keepsDeclaredDecimalsAndWholeNumbers() throws {
        #expect(try number("17.9").rounded(toPlaces: 2).description == "17.90")
        #expect(try number("1460418").description == "1460418")
        #expect(try (number("1460418") * number("1")).description == "1460418")
    }

    @Test func stopsAtDivisionByZeroAndOverflow() throws {
        #expect(throws: DecimalNumber.ArithmeticError.divisionByZero) { try number("1") / number("0") }
        #expect(throws: DecimalNumber.ArithmeticError.overflow) {
            try number("9223372036854775807") + number("1")
        }
    }

    /// Results that fit in 64 bits once their surplus zeros are dropped are exact, not overflows.
    @Test func computesExactlyAtTheEdgesOf64Bits() throws {
        #expect(try (number("1000000000000000000") / number("2")).description == "500000000000000000")
        #expect(try (number("9223372036854775807") / number("1")).description == "9223372036854775807")
        #expect(try (number("922337203685477580.7") * number("1.0")).description == "922337203685477580.7")
        #expect(try (number("0.000000000000000001") / number("1")).description == "0.000000000000000001")
        #expect(try (number("-9.223372036854775807") * number("1")).description == "-9.223372036854775807")
        #expect(throws: DecimalNumber.ArithmeticError.overflow) {
            try number("9223372036854775807") / number("3")
        }
        #expect(throws: DecimalNumber.ArithmeticError.overflow) {
            try number("1000000000000000000") * number("2.0")
        }
    }

    @Test func comparesNumericallyAcrossScales() throws {
        #expect(try number("1.50").isNumericallyEqual(to: number("1.5")))
        #expect(try number("1.49") < number("1.5"))
        #expect(try number("-3") < number("-2.999"))
    }

    /// `<` with its shortcuts (equal scales, signs that decide) orders as the scaled comparison does.
    @Test func lessThanAgreesWithTheScaledComparison() {
        var state: UInt64 = 0x0556_1883
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let units: [Int64] = [0, 1, -1, 5, -5, 50, 500, -500, Int64.max, Int64.min + 1, 1_883, -1_883, 10, 100]
        for _ in 0..<20_000 {
            let a = DecimalNumber(units: units[next(units.count)] / Int64(1 + next(3)), scale: next(19))
            let b = DecimalNumber(units: units[next(units.count)] / Int64(1 + next(3)), scale: next(19))
            let scale = max(a.scale, b.scale)
            func scaled(_ number: DecimalNumber) -> Int128 {
                (0..<(scale - number.scale)).reduce(Int128(number.units)) { value, _ in value * 10 }
            }
            #expect((a < b) == (scaled(a) < scaled(b)), "\(a) < \(b)")
        }
    }
}
