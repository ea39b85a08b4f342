extension Value {
    /// Appends the canonical text of a non-string value as UTF-8, without
    /// making a `String` (writers call this for every cell).
    func appendCanonicalText(to output: inout [UInt8]) {
        switch self {
        case .null: break
        case let .integer(integer): Self.appendDigits(integer, to: &output)
        case let .number(number): number.appendText(to: &output)
        case let .string(text): output.append(contentsOf: text.utf8)
        case let .boolean(flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .date(date): output.append(contentsOf: date.description.utf8)
        }
    }

    static func appendDigits(_ value: Int64, to output: inout [UInt8], minimumDigits: Int = 1) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 20 digits fit in 32 bytes
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            while count < minimumDigits {
                buffer[count] = UInt8(ascii: "0")
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { output.append(buffer[index]) }
        }
    }
}

extension DecimalNumber {
    /// Appends ``description`` as UTF-8 without making a `String`.
    func appendText(to output: inout [UInt8]) {
        guard scale > 0 else {
            Value.appendDigits(units, to: &output)
            return
        }
        let divisor = UInt64(Self.powersOfTen[scale])
        if units < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = units.magnitude
        Value.appendDigits(Int64(magnitude / divisor), to: &output)
        output.append(UInt8(ascii: "."))
        Value.appendDigits(Int64(magnitude % divisor), to: &output, minimumDigits: scale)
    }
}
