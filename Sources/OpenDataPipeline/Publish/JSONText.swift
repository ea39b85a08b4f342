/// JSON string escaping for values written by hand (records are streamed, not
/// built as objects): `"` and `\` are escaped, control characters become
/// `\n`, `\t` or `\u00XX`, everything else is written as UTF-8.
enum JSONText {
    static func appendString(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendString(bytes: $0, to: &output) }
    }

    static func appendString(bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        guard let firstSpecial = ByteScan.firstJSONSpecial(bytes) else {
            output.append(contentsOf: bytes)
            output.append(UInt8(ascii: "\""))
            return
        }
        var runStart = 0
        for index in firstSpecial..<bytes.count {
            let byte = bytes[index]
            let escape: [UInt8]
            switch byte {
            case UInt8(ascii: "\""): escape = [0x5C, 0x22]
            case UInt8(ascii: "\\"): escape = [0x5C, 0x5C]
            case 0x0A: escape = [0x5C, UInt8(ascii: "n")]
            case 0x0D: escape = [0x5C, UInt8(ascii: "r")]
            case 0x09: escape = [0x5C, UInt8(ascii: "t")]
            case 0x00..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                escape = [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default:
                continue
            }
            // Copy the plain run before this byte whole, then its escape.
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            output.append(contentsOf: escape)
            runStart = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        output.append(UInt8(ascii: "\""))
    }

    /// A value as a JSON literal: numbers as numbers, dates as ISO strings, null as null.
    static func appendValue(_ value: Value, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case let .string(text): appendString(text, to: &output)
        case let .date(date): appendString(date.description, to: &output)
        case let other: other.appendCanonicalText(to: &output)
        }
    }
}
