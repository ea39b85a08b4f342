import Foundation

/// Dates as feeds and metadata write them, in the pipeline's time zone.
enum FeedDate {
    /// RFC 822 with a four-digit year and a numeric zone: `Tue, 18 Sep 2018 09:00:00 +0700`.
    static func rfc822(_ date: Date, in timeZone: TimeZone) -> String {
        format(date, in: timeZone, pattern: "EEE, dd MMM yyyy HH:mm:ss Z")
    }

    /// RFC 3339 with the zone's offset: `2018-09-18T09:00:00+07:00`.
    static func rfc3339(_ date: Date, in timeZone: TimeZone) -> String {
        format(date, in: timeZone, pattern: "yyyy-MM-dd'T'HH:mm:ssxxxxx")
    }

    /// An RFC 3339 time as the documents write it (`2018-09-18T09:00:00+07:00`), nil when it is not one.
    static func parse(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }

    /// The calendar day, for `tag:` URIs: `2018-09-18`.
    static func day(_ date: Date, in timeZone: TimeZone) -> String {
        format(date, in: timeZone, pattern: "yyyy-MM-dd")
    }

    /// Formats with the POSIX locale, so the machine's language never changes a feed.
    static func format(_ date: Date, in timeZone: TimeZone, pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
