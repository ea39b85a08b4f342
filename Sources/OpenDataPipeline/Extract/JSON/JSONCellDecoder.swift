/// Turns one JSON value into a typed cell for a field.
///
/// Strings are decoded like CSV cells (the field's number format applies);
/// JSON numbers are read from their exact text (exponents expanded), so a
/// number that does not fit the field's type without loss is an error, never
/// rounded; booleans only fill boolean fields.
struct JSONCellDecoder {
    let decoder: ValueDecoder
    let plainDecoder: ValueDecoder

    init(_ field: SourceField) {
        decoder = field.decoder
        plainDecoder = ValueDecoder(field: field.field, numberFormat: .plain)
    }

    /// Decodes `node`; a missing one (nil) is an empty cell, located at `owner` (its record).
    func decode(_ node: JSONNode?, owner: JSONNode? = nil, file: String, pointer: String) throws(CellFailure) -> Value {
        let located = node ?? owner
        let location = SourceLocation(file: file, line: located?.line, column: located?.column, field: pointer)
        func bad(_ shown: String, _ expected: String) -> CellFailure {
            CellFailure(location, cell: shown, ValueDecoder.Failure(expected: expected))
        }
        func bad(_ shown: String, _ failure: ValueDecoder.Failure) -> CellFailure {
            CellFailure(location, cell: shown, failure)
        }
        guard let node else {
            do { return try decoder.decode("") } catch { throw bad("", error) }
        }
        switch node.kind {
        case .null:
            do { return try decoder.decode("") } catch { throw bad("null", error) }
        case let .string(text):
            do { return try decoder.decode(text) } catch { throw bad(text, error) }
        case let .number(text):
            if decoder.field.type == .string { return .string(text) }
            guard let plain = Self.plainDecimal(text) else {
                throw bad(text, "a number with an exponent of at most 40")
            }
            do { return try plainDecoder.decode(plain) } catch {
                var failure = error
                if failure.rule == nil { failure.expected += " (exactly; JSON numbers are never rounded)" }
                throw bad(text, failure)
            }
        case let .bool(flag):
            guard decoder.field.type == .boolean else {
                throw bad(flag ? "true" : "false", decoder.field.type.expectation(numberFormat: decoder.numberFormat))
            }
            return .boolean(flag)
        case .array, .object:
            throw bad(node.kindName, "a single value, not \(node.kindName)")
        }
    }

    /// The JSON number `text` without an exponent ("1.5e3" → "1500"); nil for a huge exponent.
    static func plainDecimal(_ text: String) -> String? {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        // `magnitude`, not `abs`: abs(Int.min) traps, and 1e-9223372036854775808 is valid JSON.
        guard let exponent = Int(text[text.index(after: e)...]), exponent.magnitude <= 40 else { return nil }
        var mantissa = Substring(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa = mantissa.dropFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = integer + fraction
        let point = integer.count + exponent
        var result: String
        if point <= 0 {
            result = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            result = digits + String(repeating: "0", count: point - digits.count)
        } else {
            result = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        // Drop leading zeros of the integer part ("0015" → "15").
        while result.count > 1, result.hasPrefix("0"), !result.hasPrefix("0.") { result.removeFirst() }
        return (negative ? "-" : "") + result
    }
}
