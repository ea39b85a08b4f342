/// An exact decimal number: `units × 10^-scale`.
///
/// Numbers are kept as decimals, never as binary floating point, so that a
/// published `29.5` is never `29.499999999999996` and a source's `17.90`
/// keeps its two declared decimals. `scale` is the number of digits after the
/// decimal point that the value carries and prints; arithmetic follows the
/// usual decimal rules (sums keep the larger scale, products add scales,
/// quotients carry up to ``DecimalNumber/divisionScale`` digits), and
/// `round(x, n)` rounds half away from zero, as spreadsheets do.
public struct DecimalNumber: Sendable, Hashable {
    public var units: Int64
    public var scale: Int

    /// Digits kept after the point by a division that does not come out even.
    public static let divisionScale = 12
    /// The most digits after the point a number may carry.
    public static let maximumScale = 18

    public init(units: Int64, scale: Int = 0) {
        precondition(scale >= 0 && scale <= Self.maximumScale, "scale out of range")
        self.units = units
        self.scale = scale
    }

    public init(_ integer: Int64) {
        self.init(units: integer, scale: 0)
    }

    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers.last! * 10) }
        return powers
    }()

    /// The value as a `Double`, for charts and approximate comparisons only.
    public var doubleValue: Double {
        Double(units) / pow10(scale)
    }

    private func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The value rounded to a whole number, if it is one without loss.
    public var exactInteger: Int64? {
        let divisor = Int64(Self.powersOfTen[scale])
        return units % divisor == 0 ? units / divisor : nil
    }

    /// The canonical text: digits, a `.` before the last `scale` digits, a leading `-`.
    public var description: String {
        guard scale > 0 else { return String(units) }
        let negative = units < 0
        var digits = String(units.magnitude)
        if digits.count <= scale {
            digits = String(repeating: "0", count: scale - digits.count + 1) + digits
        }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        return negative ? "-" + digits : digits
    }
}

extension DecimalNumber: CustomStringConvertible {}

// MARK: - Arithmetic

extension DecimalNumber {
    /// Why an operation has no result representable in 64 bits.
    public enum ArithmeticError: Error, Sendable, Equatable {
        case overflow
        case divisionByZero
    }

    private static func make(_ units: Int128, scale: Int) throws(ArithmeticError) -> DecimalNumber {
        guard let narrow = Int64(exactly: units) else { throw .overflow }
        return DecimalNumber(units: narrow, scale: scale)
    }

    /// `units × 10^-scale` without the trailing zero digits beyond `minimumScale`, dropped
    /// before narrowing to 64 bits (so 10^18 × 2.0 is 2 × 10^18, not an overflow).
    private static func make(_ units: Int128, scale: Int, minimumScale: Int) throws(ArithmeticError) -> DecimalNumber {
        var units = units
        var scale = scale
        while scale > minimumScale, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return try make(units, scale: scale)
    }

    private func units(at target: Int) -> Int128 {
        Int128(units) * Self.powersOfTen[target - scale]
    }

    public static func + (lhs: DecimalNumber, rhs: DecimalNumber) throws(ArithmeticError) -> DecimalNumber {
        let scale = max(lhs.scale, rhs.scale)
        return try make(lhs.units(at: scale) + rhs.units(at: scale), scale: scale)
    }

    public static func - (lhs: DecimalNumber, rhs: DecimalNumber) throws(ArithmeticError) -> DecimalNumber {
        let scale = max(lhs.scale, rhs.scale)
        return try make(lhs.units(at: scale) - rhs.units(at: scale), scale: scale)
    }

    public static func * (lhs: DecimalNumber, rhs: DecimalNumber) throws(ArithmeticError) -> DecimalNumber {
        var product = Int128(lhs.units) * Int128(rhs.units)
        var scale = lhs.scale + rhs.scale
        // Keep the scale bounded; drop surplus digits by rounding half away from zero.
        if scale > maximumScale {
            product = roundedDivision(product, by: powersOfTen[scale - maximumScale])
            scale = maximumScale
        }
        return try make(product, scale: scale, minimumScale: max(lhs.scale, rhs.scale))
    }

    /// Exact when the quotient terminates within ``divisionScale`` digits (then
    /// it keeps only the digits it needs, but at least the operands' scale);
    /// rounded half away from zero at ``divisionScale`` digits otherwise.
    public static func / (lhs: DecimalNumber, rhs: DecimalNumber) throws(ArithmeticError) -> DecimalNumber {
        guard rhs.units != 0 else { throw .divisionByZero }
        // A dividend with more decimals than divisionScale keeps them (1e-15 / 1 is not an overflow).
        let scale = max(divisionScale, lhs.scale)
        // lhs/rhs = (lu / 10^ls) / (ru / 10^rs) = lu * 10^(rs - ls) / ru
        let shift = scale + rhs.scale - lhs.scale
        guard shift >= 0, shift < powersOfTen.count else { throw .overflow }
        let (numerator, overflow) = Int128(lhs.units).multipliedReportingOverflow(by: powersOfTen[shift])
        guard !overflow else { throw .overflow }
        let quotient = roundedDivision(numerator, by: Int128(rhs.units))
        return try make(quotient, scale: scale, minimumScale: max(lhs.scale, rhs.scale))
    }

    /// Rounds to `places` digits after the point, half away from zero.
    /// The result carries exactly `places` digits (`round(17.9, 2)` prints `17.90`).
    public func rounded(toPlaces places: Int) throws(ArithmeticError) -> DecimalNumber {
        let target = min(max(places, 0), Self.maximumScale)
        if target >= scale {
            return try Self.make(units(at: target), scale: target)
        }
        let divisor = Self.powersOfTen[scale - target]
        return try Self.make(Self.roundedDivision(Int128(units), by: divisor), scale: target)
    }

    /// Drops trailing zero digits beyond `minimumScale`.
    func normalized(minimumScale: Int) -> DecimalNumber {
        var result = self
        while result.scale > minimumScale, result.units % 10 == 0 {
            result.units /= 10
            result.scale -= 1
        }
        return result
    }

    private static func roundedDivision(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        // |2r| >= |d|: round away from zero.
        if remainder.magnitude * 2 >= denominator.magnitude {
            return (numerator < 0) != (denominator < 0) ? quotient - 1 : quotient + 1
        }
        return quotient
    }
}

extension DecimalNumber: Comparable {
    public static func < (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool {
        // Without scaling when the scales agree or the signs decide (a `minimum: 0` check, on every cell).
        if lhs.scale == rhs.scale { return lhs.units < rhs.units }
        if lhs.units < 0, rhs.units >= 0 { return true }
        if lhs.units >= 0, rhs.units <= 0 { return false }
        let scale = max(lhs.scale, rhs.scale)
        return lhs.units(at: scale) < rhs.units(at: scale)
    }

    /// Numeric equality: `1.50` equals `1.5`.
    public func isNumericallyEqual(to other: DecimalNumber) -> Bool {
        let scale = max(self.scale, other.scale)
        return units(at: scale) == other.units(at: scale)
    }
}
