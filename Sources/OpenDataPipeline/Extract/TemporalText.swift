/// Checks the ISO 8601 texts of Table Schema's `datetime`, `time`,
/// `yearmonth` and `duration` types (their default formats).
enum TemporalText {
    static func isValid(_ text: String, as type: FieldType) -> Bool {
        let scalars = Array(text.unicodeScalars)
        switch type {
        case .yearmonth:
            return yearMonth(scalars[...]) != nil && scalars.count == 7
        case .time:
            return time(scalars[...])
        case .datetime:
            guard scalars.count >= 19, scalars[10] == "T" else { return false }
            let valid = Array(text.utf8.prefix(10)).withUnsafeBufferPointer { ValueDecoder.date($0) != nil }
            return valid && time(scalars[11...])
        case .duration:
            return duration(scalars)
        default:
            return false
        }
    }

    private static func number(_ scalars: ArraySlice<Unicode.Scalar>) -> Int? {
        guard !scalars.isEmpty, scalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(String(String.UnicodeScalarView(scalars)))
    }

    private static func yearMonth(_ s: ArraySlice<Unicode.Scalar>) -> (Int, Int)? {
        let s = Array(s.prefix(7))
        guard s.count == 7, s[4] == "-", let year = number(s[0..<4]), let month = number(s[5..<7]),
            (1...12).contains(month)
        else { return nil }
        return (year, month)
    }

    /// `hh:mm:ss`, optional fractions, optional zone (`Z`, `+07:00`).
    private static func time(_ slice: ArraySlice<Unicode.Scalar>) -> Bool {
        let s = Array(slice)
        guard s.count >= 8, s[2] == ":", s[5] == ":", let hour = number(s[0..<2]), let minute = number(s[3..<5]),
            let second = number(s[6..<8]), hour < 24, minute < 60, second < 61
        else { return false }
        var index = 8
        if index < s.count, s[index] == "." {
            index += 1
            let start = index
            while index < s.count, ("0"..."9").contains(s[index]) { index += 1 }
            guard index > start else { return false }
        }
        if index == s.count { return true }
        if s[index] == "Z" { return index + 1 == s.count }
        guard s[index] == "+" || s[index] == "-", s.count == index + 6, s[index + 3] == ":",
            let zoneHour = number(s[(index + 1)..<(index + 3)]), let zoneMinute = number(s[(index + 4)..<(index + 6)]),
            zoneHour < 24, zoneMinute < 60
        else { return false }
        return true
    }

    /// `PnYnMnDTnHnMnS` with at least one part; only the last part may have decimals.
    private static func duration(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 3, s[0] == "P" else { return false }
        var index = 1
        var inTime = false
        var parts = 0
        var dateUnits: [Unicode.Scalar] = ["Y", "M", "W", "D"]
        var timeUnits: [Unicode.Scalar] = ["H", "M", "S"]
        while index < s.count {
            if s[index] == "T" {
                guard !inTime, index + 1 < s.count else { return false }
                inTime = true
                index += 1
                continue
            }
            let start = index
            while index < s.count, ("0"..."9").contains(s[index]) || s[index] == "." { index += 1 }
            guard index > start, index < s.count else { return false }
            let unit = s[index]
            if inTime {
                guard let position = timeUnits.firstIndex(of: unit) else { return false }
                timeUnits.removeFirst(position + 1)
            } else {
                guard let position = dateUnits.firstIndex(of: unit) else { return false }
                dateUnits.removeFirst(position + 1)
            }
            parts += 1
            index += 1
        }
        return parts > 0
    }
}
