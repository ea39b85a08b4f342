public import Foundation

/// One announced release of a pipeline's `calendar:`: when, what, and how sure.
public struct CalendarEntry: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case provisional, confirmed, postponed, cancelled
    }

    /// Stable within the pipeline: the calendar event's UID is made of it.
    public var id: String
    /// What is released; the datasets' titles when the entry declares none.
    public var title: LocalizedText
    /// The announced time (declared in the pipeline's zone).
    public var date: Date
    /// Ids of datasets of the pipeline.
    public var datasets: [String]
    public var status: Status
    /// The new time of a postponed release.
    public var newDate: Date?
    /// Why it was postponed or cancelled.
    public var reason: LocalizedText?

    /// When the release is due: the new time of a postponed one, else the announced time.
    public var due: Date { newDate ?? date }
}
