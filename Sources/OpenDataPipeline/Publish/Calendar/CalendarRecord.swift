import Foundation

/// One release of the calendar as it is published: in a pipeline's
/// `calendar.json` (the state the next run compares with) and, for every
/// pipeline, in the site's `calendar.json`, `calendar.ics` and calendar page.
/// Times are RFC 3339 in the pipeline's zone.
struct CalendarRecord: Codable, Equatable, Sendable {
    /// `<pipeline>/<entry id>@<host>`: the same in every run, so a calendar client updates the event.
    var uid: String
    var pipeline: String
    var id: String
    var title: LocalizedText
    var datasets: [DatasetLink]
    var status: CalendarEntry.Status
    /// The announced time; `newDate` is a postponed release's new time, `due` the one that holds.
    var date: String
    var newDate: String?
    var due: String
    var timeZone: String
    var reason: LocalizedText?
    /// 0 when first published, one more on every change of the entry (iCalendar's SEQUENCE).
    var sequence: Int
    /// When the entry was first published, and last changed.
    var created: String
    var modified: String
    /// The release that published its datasets at or after its due time.
    var released: Released?

    struct DatasetLink: Codable, Equatable, Sendable {
        var id: String
        var title: LocalizedText
        /// The dataset's page (stable URL).
        var url: String
    }

    struct Released: Codable, Equatable, Sendable {
        var release: String
        var time: String
        /// The first published dataset's page in that release (an immutable URL).
        var url: String
    }

    var dueDate: Date? { CalendarRecord.parse(due) }

    static func parse(_ time: String) -> Date? { FeedDate.parse(time) }

    /// The same entry apart from its sequence and dates of change: what makes a change.
    func sameContent(as other: CalendarRecord) -> Bool {
        var copy = other
        copy.sequence = sequence
        copy.created = created
        copy.modified = modified
        return copy == self
    }
}

/// A pipeline's `calendar.json`: its entries as the release published them.
struct PipelineCalendar: Codable, Equatable {
    var entries: [CalendarRecord]

    static func read(pipelineFolder folder: URL) throws(PipelineFailure) -> PipelineCalendar? {
        try ReleaseDocument.read(
            PipelineCalendar.self, pipelineFolder: folder, file: ReleaseLayout.calendar, expected: "a release calendar")
    }

    func encoded() throws(PipelineFailure) -> [UInt8] {
        try StableJSON.encode(self, file: ReleaseLayout.calendar)
    }
}
