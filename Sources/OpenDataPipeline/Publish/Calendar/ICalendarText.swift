import Foundation

/// RFC 5545's text rules: content lines of at most 75 octets (longer ones folded
/// with CRLF and a space, never inside a UTF-8 sequence), CRLF line ends, TEXT
/// values with `\`, `;`, `,` and line breaks escaped, times in UTC.
enum ICalendarText {
    /// A TEXT value: `\\`, `\;`, `\,`, `\n`; other control characters (forbidden in TEXT) dropped.
    static func escaped(_ text: String) -> String {
        var result = ""
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for scalar in unified.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\t": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `NAME:value` folded into lines of at most 75 octets, each ended by CRLF.
    static func line(_ name: String, _ value: String) -> String {
        var lines: [String] = []
        var current = ""
        var octets = 0
        for character in name + ":" + value {
            let size = character.utf8.count
            if octets + size > 75 {
                lines.append(current)
                current = " "
                octets = 1
            }
            current.append(character)
            octets += size
        }
        lines.append(current)
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// `20181220T020000Z`.
    static func utc(_ date: Date) -> String {
        FeedDate.format(date, in: TimeZone(identifier: "UTC")!, pattern: "yyyyMMdd'T'HHmmss'Z'")
    }
}
