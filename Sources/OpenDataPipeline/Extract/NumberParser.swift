/// Parses numbers from UTF-8 bytes in a declared ``NumberFormat``, without
/// building a `String`.
public enum NumberParser {
    /// Parses `bytes` (surrounding spaces allowed) as a decimal number; nil when
    /// the text is not a number in `format`.
    ///
    /// The number keeps the digits after the separator that it was written with
    /// (`17,90` → scale 2), so a value's declared precision survives.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, format: NumberFormat) -> DecimalNumber? {
        if let number = parseDigits(bytes, decimalSeparator: format.decimalSeparator) { return number }
        // Text is compared in NFC: "triệu" typed decomposed (or decoded from windows-1258) is the same word.
        if !UnicodeText.isQuickNFC(bytes) {
            var composed = UnicodeText.nfc(String(decoding: bytes, as: UTF8.self))
            return composed.withUTF8 { parseComposed($0, format: format) }
        }
        return parseComposed(bytes, format: format)
    }

    /// The common case, without the general path's trimming, suffix and group checks: an
    /// optional `-`, then 1–18 digits with at most one decimal separator between them and no
    /// other byte (18 digits cannot overflow). Gives exactly what ``parseComposed(_:format:)``
    /// gives for such bytes; nil for anything else, which that path then reads (or refuses).
    @inline(__always)
    private static func parseDigits(_ bytes: UnsafeBufferPointer<UInt8>, decimalSeparator: UInt8) -> DecimalNumber? {
        let count = bytes.count
        guard count > 0, count <= 20 else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        let first = negative ? 1 : 0
        var units: Int64 = 0
        var separator = -1
        var index = first
        while index < count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            if digit < 10 {
                units = units &* 10 &+ Int64(digit)
            } else if bytes[index] == decimalSeparator, separator < 0 {
                separator = index
            } else {
                return nil
            }
            index += 1
        }
        let digits = count - first - (separator < 0 ? 0 : 1)
        let scale = separator < 0 ? 0 : count - separator - 1
        // A separator needs digits on both sides ("7," and ",5" are the general path's to refuse).
        guard digits > 0, digits <= 18, separator != first, separator < 0 || scale > 0, scale <= DecimalNumber.maximumScale else {
            return nil
        }
        return DecimalNumber(units: negative ? -units : units, scale: scale)
    }

    /// The general path (internal, so that a test can hold ``parseDigits(_:decimalSeparator:)`` to it).
    static func parseComposed(_ bytes: UnsafeBufferPointer<UInt8>, format: NumberFormat) -> DecimalNumber? {
        var start = 0
        var end = bytes.count
        trimSpaces(bytes, &start, &end)
        guard start < end else { return nil }

        // Suffixes: a percent sign, or a magnitude word after a space.
        var power = 0
        if bytes[end - 1] == UInt8(ascii: "%"), format != .plain {
            end -= 1
            trimSpaces(bytes, &start, &end)
        } else if let (word, wordPower) = format.magnitudeWords.first(where: { hasSuffix(bytes, start, end, $0.word) }) {
            let wordStart = end - word.count
            // The word must stand apart from the digits.
            guard wordStart > start, isSpace(bytes, before: wordStart) else { return nil }
            end = wordStart
            trimSpaces(bytes, &start, &end)
            power = wordPower
        }
        guard start < end else { return nil }

        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var units: Int64 = 0
        var scale = 0
        var integerDigits = 0
        var digitsSinceGroup = 0
        var grouped = false
        var inFraction = false
        var sawDigit = false
        while index < end {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (times10, o1) = units.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !o1, !o2 else { return nil }
                units = sum
                sawDigit = true
                if inFraction {
                    scale += 1
                    guard scale <= DecimalNumber.maximumScale else { return nil }
                } else {
                    integerDigits += 1
                    digitsSinceGroup += 1
                }
            } else if let group = format.groupSeparator, byte == group, !inFraction {
                // A group separator follows 1–3 digits (first group) or exactly 3, and
                // must itself be followed by exactly three digits.
                guard integerDigits > 0, grouped ? digitsSinceGroup == 3 : digitsSinceGroup <= 3 else { return nil }
                grouped = true
                digitsSinceGroup = 0
            } else if byte == format.decimalSeparator, !inFraction {
                guard integerDigits > 0 else { return nil }
                inFraction = true
            } else {
                return nil
            }
            index += 1
        }
        guard sawDigit, !(grouped && digitsSinceGroup != 3) else { return nil }
        if inFraction && scale == 0 { return nil }  // "7," has no digits after the separator
        if negative { units = -units }
        return applyPower(DecimalNumber(units: units, scale: scale), power)
    }

    /// Parses a `String` the same way (for XML and other text sources).
    public static func parse(_ text: String, format: NumberFormat) -> DecimalNumber? {
        var text = text
        return text.withUTF8 { parse($0, format: format) }
    }

    private static func applyPower(_ number: DecimalNumber, _ power: Int) -> DecimalNumber? {
        guard power > 0 else { return number }
        if number.scale >= power {
            return DecimalNumber(units: number.units, scale: number.scale - power)
        }
        let factor = Int64(DecimalNumber.powersOfTen[power - number.scale])
        let (units, overflow) = number.units.multipliedReportingOverflow(by: factor)
        return overflow ? nil : DecimalNumber(units: units, scale: 0)
    }

    private static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ word: [UInt8]) -> Bool {
        guard end - start >= word.count else { return false }
        for (offset, byte) in word.enumerated() where bytes[end - word.count + offset] != byte {
            return false
        }
        return true
    }

    /// ASCII space, tab, or U+00A0 NO-BREAK SPACE (C2 A0), which spreadsheet exports use.
    private static func trimSpaces(_ bytes: UnsafeBufferPointer<UInt8>, _ start: inout Int, _ end: inout Int) {
        while start < end {
            if bytes[start] == 0x20 || bytes[start] == 0x09 {
                start += 1
            } else if start + 1 < end, bytes[start] == 0xC2, bytes[start + 1] == 0xA0 {
                start += 2
            } else {
                break
            }
        }
        while end > start {
            if bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 {
                end -= 1
            } else if end - 2 >= start, bytes[end - 2] == 0xC2, bytes[end - 1] == 0xA0 {
                end -= 2
            } else {
                break
            }
        }
    }

    private static func isSpace(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
        if bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09 { return true }
        return index >= 2 && bytes[index - 2] == 0xC2 && bytes[index - 1] == 0xA0
    }
}
