/// The canonical bytes of a key, as ``CompactKeySet`` holds it: each part is a
/// type tag and its value in key form (``Value/keyForm``: `1.5` and `1.50` are
/// the same bytes). Integers are zigzag varints, text is its UTF-8 after a
/// varint length (in NFC), so the parts can be read back one by one and two keys have
/// the same bytes exactly when their parts are equal `Value`s.
enum KeyBytes {
    private static let null: UInt8 = 0
    private static let integer: UInt8 = 1
    private static let number: UInt8 = 2
    private static let string: UInt8 = 3
    private static let falseFlag: UInt8 = 4
    private static let trueFlag: UInt8 = 5
    private static let date: UInt8 = 6

    /// Appends one part of a key.
    static func append(_ value: Value, to bytes: inout [UInt8]) {
        switch value {
        case .null: bytes.append(null)
        case let .integer(integer):
            bytes.append(Self.integer)
            appendVarint(zigzag(integer), to: &bytes)
        case let .number(number):
            let key = number.normalized(minimumScale: 0)
            bytes.append(Self.number)
            appendVarint(zigzag(key.units), to: &bytes)
            appendVarint(UInt64(key.scale), to: &bytes)
        case let .string(text):
            // In NFC, as Swift compares strings: canonically equivalent text is one key.
            let text = UnicodeText.nfc(text)
            bytes.append(string)
            appendVarint(UInt64(text.utf8.count), to: &bytes)
            bytes.append(contentsOf: text.utf8)
        case let .boolean(flag): bytes.append(flag ? trueFlag : falseFlag)
        case let .date(day):
            bytes.append(date)
            appendVarint(zigzag(Int64(day.year)), to: &bytes)
            appendVarint(zigzag(Int64(day.month)), to: &bytes)
            appendVarint(zigzag(Int64(day.day)), to: &bytes)
        }
    }

    /// The parts of a key written by ``append(_:to:)``, in key form.
    static func values(of bytes: ArraySlice<UInt8>) -> [Value] {
        var position = bytes.startIndex
        var values: [Value] = []
        while position < bytes.endIndex {
            let tag = bytes[position]
            position += 1
            switch tag {
            case integer: values.append(.integer(unzigzag(readVarint(bytes, at: &position))))
            case number:
                let units = unzigzag(readVarint(bytes, at: &position))
                let scale = Int(readVarint(bytes, at: &position))
                values.append(.number(DecimalNumber(units: units, scale: scale)))
            case string:
                let count = Int(readVarint(bytes, at: &position))
                values.append(.string(String(decoding: bytes[position..<position + count], as: UTF8.self)))
                position += count
            case falseFlag, trueFlag: values.append(.boolean(tag == trueFlag))
            case date:
                let year = Int(unzigzag(readVarint(bytes, at: &position)))
                let month = Int(unzigzag(readVarint(bytes, at: &position)))
                let day = Int(unzigzag(readVarint(bytes, at: &position)))
                // Written from a valid date, so it is one again.
                values.append(CalendarDate(year: year, month: month, day: day).map(Value.date) ?? .null)
            default: values.append(.null)
            }
        }
        return values
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    static func readVarint<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at position: inout Bytes.Index) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes[position]
            bytes.formIndex(after: &position)
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    private static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    private static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}
