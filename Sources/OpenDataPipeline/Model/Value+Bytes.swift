extension Value {
    /// Appends the canonical text of a non-string value as UTF-8, without
    /// making a `String` (writers call this for every cell).
    @inline(__always)
    func appendCanonicalText<Output: ByteOutput & ~Copyable>(to output: inout Output) {
        switch self {
        case .null: break
        case let .integer(integer): Self.appendDigits(integer, to: &output)
        case let .number(number): number.appendText(to: &output)
        case let .string(text): output.append(utf8: text)
        case let .boolean(flag): output.append(utf8: flag ? "true" : "false")
        case let .date(date): date.appendText(to: &output)
        }
    }

    @inline(__always)
    static func appendDigits<Output: ByteOutput & ~Copyable>(_ value: Int64, to output: inout Output, minimumDigits: Int = 1) {
        // Written from the right into a stack buffer, then appended in one copy: a sign,
        // up to 20 digits, and zeros up to `minimumDigits` (a scale, at most 18).
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            while buffer.count - start < minimumDigits, start > 1 {
                start -= 1
                buffer[start] = UInt8(ascii: "0")
            }
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            output.append(bytes: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}

extension DecimalNumber {
    /// Appends ``description`` as UTF-8 without making a `String`: the digits written from the
    /// right in one pass, the point after `scale` of them (no division by a power of ten).
    @inline(__always)
    func appendText<Output: ByteOutput & ~Copyable>(to output: inout Output) {
        guard scale > 0 else {
            Value.appendDigits(units, to: &output)
            return
        }
        // A sign, at most 19 whole digits (or one zero), the point and at most 18 decimals.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var magnitude = units.magnitude
            var start = buffer.count
            for _ in 0..<scale {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            }
            start -= 1
            buffer[start] = UInt8(ascii: ".")
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if units < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            output.append(bytes: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}

extension CalendarDate {
    /// Appends ``description`` (`YYYY-MM-DD`, the year 1...9999 padded to four digits) without making a `String`.
    @inline(__always)
    func appendText<Output: ByteOutput & ~Copyable>(to output: inout Output) {
        guard (1...9999).contains(year) else {
            output.append(utf8: description)
            return
        }
        Value.appendDigits(Int64(year), to: &output, minimumDigits: 4)
        output.append(UInt8(ascii: "-"))
        Value.appendDigits(Int64(month), to: &output, minimumDigits: 2)
        output.append(UInt8(ascii: "-"))
        Value.appendDigits(Int64(day), to: &output, minimumDigits: 2)
    }
}
