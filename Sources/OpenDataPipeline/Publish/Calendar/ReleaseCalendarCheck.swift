public import Foundation

/// One entry of the published calendar, as `opendata calendar` lists it.
public struct CalendarListing: Sendable, Equatable {
    public var pipeline: String
    public var id: String
    public var title: LocalizedText
    public var status: String
    /// RFC 3339 in the pipeline's zone.
    public var due: String
    public var datasets: [String]
    /// The release that published it, nil while it is not released.
    public var release: String?
    /// Due (at or before the given time), not cancelled, and not released.
    public var overdue: Bool
}

/// Reads the current release's `calendar.json` and says which entries are
/// overdue: due by a given time, not cancelled, and not marked released.
public enum ReleaseCalendarCheck {
    /// Every entry of the current release's calendar; `unknownRelease` when the output
    /// folder has no current release, `damagedRelease` when its calendar does not decode.
    public static func entries(output: URL, at now: Date) throws(PipelineFailure) -> [CalendarListing] {
        let store = ReleaseStore(root: output)
        guard let release = store.currentRelease, FileManager.default.fileExists(atPath: release.path) else {
            throw PipelineFailure.unknownRelease(
                output.path, reason: "has no current release: nothing to check", valid: [])
        }
        guard let data = LocalFile.contents(atPath: release.appendingPathComponent(ReleaseLayout.calendar).path) else { return [] }
        let calendar: SiteCalendar
        do {
            calendar = try JSONDecoder().decode(SiteCalendar.self, from: data)
        } catch {
            throw PipelineFailure.damagedRelease(
                release.lastPathComponent,
                problems: ["\(ReleaseLayout.calendar): not a release calendar (\(ReleaseDocument.reason(error)))"])
        }
        return calendar.entries.map { record in
            let due = record.dueDate ?? .distantPast
            return CalendarListing(
                pipeline: record.pipeline, id: record.id, title: record.title, status: record.status.rawValue, due: record.due,
                datasets: record.datasets.map(\.id), release: record.released?.release,
                overdue: record.status != .cancelled && record.released == nil && due <= now)
        }
    }
}
