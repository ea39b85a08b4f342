import Foundation
import PostgresNIO

/// The exact text of one PostgreSQL result cell (binary format), which the
/// field's decoder then types like any other source's text.
///
/// `numeric` keeps its scale (`17.90` stays `17.90`); `timestamptz` is written
/// in the pipeline's time zone with its offset; any type not listed is refused
/// (nil), so the caller can name the column and the type.
enum PostgresCellText {
    enum Kind: Sendable {
        case text, integer, boolean, numeric, date, timestamp, timestampWithZone
    }

    /// The kind of a result column's type, or nil for a type this source does not read.
    static func kind(_ type: PostgresDataType) -> Kind? {
        switch type {
        case .text, .varchar, .bpchar, .name: .text
        case .int2, .int4, .int8: .integer
        case .bool: .boolean
        case .numeric: .numeric
        case .date: .date
        case .timestamp: .timestamp
        case .timestamptz: .timestampWithZone
        default: nil
        }
    }

    /// The type as PostgreSQL names it, for messages.
    static func name(_ type: PostgresDataType) -> String {
        type.knownSQLName?.lowercased() ?? "type oid \(type.rawValue)"
    }

    struct Unreadable: Error {
        let problem: String
    }

    /// The cell's text; nil for NULL.
    static func text(_ bytes: ByteBuffer?, kind: Kind, zone: TimeZone) throws(Unreadable) -> String? {
        guard var buffer = bytes else { return nil }
        switch kind {
        case .text:
            return buffer.readString(length: buffer.readableBytes) ?? ""
        case .boolean:
            guard let byte = buffer.readInteger(as: UInt8.self) else { throw Unreadable(problem: "a truncated boolean") }
            return byte != 0 ? "true" : "false"
        case .integer:
            switch buffer.readableBytes {
            case 2: return String(buffer.readInteger(as: Int16.self)!)
            case 4: return String(buffer.readInteger(as: Int32.self)!)
            case 8: return String(buffer.readInteger(as: Int64.self)!)
            default: throw Unreadable(problem: "an integer of \(buffer.readableBytes) bytes")
            }
        case .numeric:
            return try numeric(&buffer)
        case .date:
            guard let days = buffer.readInteger(as: Int32.self) else { throw Unreadable(problem: "a truncated date") }
            guard days != .max, days != .min else { throw Unreadable(problem: days == .max ? "infinity" : "-infinity") }
            return day(Int64(days))
        case .timestamp, .timestampWithZone:
            guard let micros = buffer.readInteger(as: Int64.self) else { throw Unreadable(problem: "a truncated timestamp") }
            guard micros != .max, micros != .min else { throw Unreadable(problem: micros == .max ? "infinity" : "-infinity") }
            guard kind == .timestampWithZone else { return timestamp(micros, offset: nil) }
            // 2000-01-01T00:00:00Z is 946,684,800 s after the Unix epoch.
            let instant = Date(timeIntervalSince1970: Double(micros / 1_000_000) + 946_684_800)
            let offset = zone.secondsFromGMT(for: instant)
            return timestamp(micros + Int64(offset) * 1_000_000, offset: offset)
        }
    }

    /// PostgreSQL's binary numeric: digit count, weight, sign, display scale, then base-10,000 digits.
    static func numeric(_ buffer: inout ByteBuffer) throws(Unreadable) -> String {
        guard let count = buffer.readInteger(as: Int16.self), let weight = buffer.readInteger(as: Int16.self),
            let sign = buffer.readInteger(as: UInt16.self), let scale = buffer.readInteger(as: Int16.self), count >= 0
        else { throw Unreadable(problem: "a truncated numeric") }
        switch sign {
        case 0x0000, 0x4000: break
        case 0xC000: throw Unreadable(problem: "NaN")
        case 0xD000: throw Unreadable(problem: "Infinity")
        case 0xF000: throw Unreadable(problem: "-Infinity")
        default: throw Unreadable(problem: "a numeric with sign \(sign)")
        }
        var digits: [Int] = []
        for _ in 0..<count {
            guard let digit = buffer.readInteger(as: Int16.self) else { throw Unreadable(problem: "a truncated numeric") }
            digits.append(Int(digit))
        }
        func group(_ exponent: Int) -> Int {
            let index = Int(weight) - exponent
            return index >= 0 && index < digits.count ? digits[index] : 0
        }
        func padded(_ value: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: 4 - text.count) + text
        }
        var text = ""
        if weight < 0 {
            text = "0"
        } else {
            text = String(group(Int(weight)))
            if weight > 0 { for exponent in stride(from: Int(weight) - 1, through: 0, by: -1) { text += padded(group(exponent)) } }
        }
        if scale > 0 {
            var fraction = ""
            var exponent = -1
            while fraction.count < Int(scale) {
                fraction += padded(group(exponent))
                exponent -= 1
            }
            text += "." + fraction.prefix(Int(scale))
        }
        let isZero = digits.allSatisfy { $0 == 0 }
        return sign == 0x4000 && !isZero ? "-" + text : text
    }

    /// YYYY-MM-DD of a day counted from 2000-01-01 (proleptic Gregorian, as PostgreSQL counts).
    static func day(_ daysSince2000: Int64) -> String {
        // 1970-01-01 is 10,957 days before 2000-01-01.
        let (y, m, d) = CalendarDate.civil(daysSince1970: daysSince2000 + 10_957)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = y >= 0 && y < 10_000 ? String(repeating: "0", count: 4 - String(y).count) + String(y) : String(y)
        return "\(year)-\(two(m))-\(two(d))"
    }

    /// YYYY-MM-DDThh:mm:ss[.ffffff] of microseconds from 2000-01-01T00:00:00, with `offset` seconds as ±hh:mm.
    static func timestamp(_ micros: Int64, offset: Int?) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let seconds = rest / 1_000_000
        let fraction = rest % 1_000_000
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = "\(day(days))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 6 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        if let offset {
            let magnitude = Int64(abs(offset)) / 60
            text += (offset < 0 ? "-" : "+") + "\(two(magnitude / 60)):\(two(magnitude % 60))"
        }
        return text
    }
}
