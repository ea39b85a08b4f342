/// JSON string escaping for values written by hand (records are streamed, not
/// built as objects): `"` and `\` are escaped, control characters become
/// `\n`, `\t` or `\u00XX`, everything else is written as UTF-8.
enum JSONText {
    @inline(__always)
    static func appendString<Output: ByteOutput & ~Copyable>(_ text: String, to output: inout Output) {
        var text = text
        text.withUTF8 { appendString(bytes: $0, to: &output) }
    }

    @inline(__always)
    static func appendString<Output: ByteOutput & ~Copyable>(bytes: UnsafeBufferPointer<UInt8>, to output: inout Output) {
        output.append(UInt8(ascii: "\""))
        guard let firstSpecial = ByteScan.firstJSONSpecial(bytes) else {
            output.append(bytes: bytes)
            output.append(UInt8(ascii: "\""))
            return
        }
        var runStart = 0
        for index in firstSpecial..<bytes.count {
            let byte = bytes[index]
            let escaped: UInt8
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): escaped = byte
            case 0x0A: escaped = UInt8(ascii: "n")
            case 0x0D: escaped = UInt8(ascii: "r")
            case 0x09: escaped = UInt8(ascii: "t")
            case 0x00..<0x20, 0x7F: escaped = 0
            default: continue
            }
            // Copy the plain run before this byte whole, then its escape.
            output.append(bytes: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            output.append(0x5C)
            if escaped != 0 {
                output.append(escaped)
            } else {
                let hex: StaticString = "0123456789abcdef"
                output.append(UInt8(ascii: "u"))
                output.append(0x30)
                output.append(0x30)
                output.append(hex.utf8Start[Int(byte >> 4)])
                output.append(hex.utf8Start[Int(byte & 0xF)])
            }
            runStart = index + 1
        }
        output.append(bytes: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        output.append(UInt8(ascii: "\""))
    }

    /// A value as a JSON literal: numbers as numbers, dates as ISO strings, null as null.
    @inline(__always)
    static func appendValue<Output: ByteOutput & ~Copyable>(_ value: Value, to output: inout Output) {
        switch value {
        case .null: output.append(utf8: "null")
        case let .string(text): appendString(text, to: &output)
        case let .date(date):
            output.append(UInt8(ascii: "\""))
            date.appendText(to: &output)
            output.append(UInt8(ascii: "\""))
        case let other: other.appendCanonicalText(to: &output)
        }
    }
}
