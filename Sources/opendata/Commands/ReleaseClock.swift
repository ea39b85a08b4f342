import Foundation

/// The release time: `--now`, else `SOURCE_DATE_EPOCH` (reproducible builds'
/// convention), else the clock.
enum ReleaseClock {
    static func parse(_ text: String) -> Date? {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        return ISO8601DateFormatter().date(from: text)
    }

    static func releaseTime(option: String?) -> Date? {
        if let option { return parse(option) }
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] {
            return Double(epoch).map { Date(timeIntervalSince1970: $0) }
        }
        return Date()
    }
}
