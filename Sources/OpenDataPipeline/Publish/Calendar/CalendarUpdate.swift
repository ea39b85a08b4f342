import Foundation

/// A pipeline's calendar after this release: its declared entries compared with
/// those the current release published (a changed entry gets the next sequence),
/// a due entry whose datasets this release publishes marked released, and a
/// feed entry for each new postponement or cancellation.
struct CalendarUpdate {
    let pipeline: Pipeline
    let release: ReleaseInfo
    let previous: [CalendarRecord]
    /// How each dataset of this run compares with the current release.
    let changes: [String: DatasetChange]

    struct Result {
        var records: [CalendarRecord]
        var feedEntries: [FeedEntry]
        /// False when the records are those of the current release.
        var changed: Bool
    }

    private var zone: TimeZone { pipeline.timeZone }
    private func time(_ date: Date) -> String { FeedDate.rfc3339(date, in: zone) }
    private var host: String { URL(string: pipeline.baseURL)?.host ?? "localhost" }

    func update() -> Result {
        var records: [CalendarRecord] = []
        var entries: [FeedEntry] = []
        for entry in pipeline.calendar {
            let old = previous.first { $0.id == entry.id }
            var record = CalendarRecord(
                uid: "\(pipeline.id)/\(entry.id)@\(host)", pipeline: pipeline.id, id: entry.id, title: entry.title,
                datasets: entry.datasets.map { id in
                    CalendarRecord.DatasetLink(
                        id: id, title: pipeline.datasets.first { $0.id == id }?.title ?? LocalizedText(vi: id, en: id),
                        url: "\(pipeline.folderURL)/\(ReleaseLayout.page(id, .vi))")
                },
                status: entry.status, date: time(entry.date), newDate: entry.newDate.map(time), due: time(entry.due),
                timeZone: zone.identifier, reason: entry.reason, sequence: 0, created: time(release.date),
                modified: time(release.date), released: old?.released)
            let published = entry.datasets.filter { changes[$0] == .new || changes[$0] == .revised }
            if record.released == nil, entry.status != .cancelled, entry.due <= release.date, let first = published.first {
                record.released = .init(
                    release: release.id, time: time(release.date),
                    url: ReleaseManifest.releaseURL(stable: pipeline.folderURL, pipeline: pipeline.id, release: release.id)
                        + "/\(ReleaseLayout.page(first, .vi))")
            }
            if let old {
                record.created = old.created
                if record.sameContent(as: old) {
                    record.sequence = old.sequence
                    record.modified = old.modified
                } else {
                    record.sequence = (old.sequence) + 1
                }
            }
            if entry.status == .postponed, old?.status != .postponed || old?.newDate != record.newDate {
                entries.append(feedEntry(record, kind: .postponement))
            } else if entry.status == .cancelled, old?.status != .cancelled {
                entries.append(feedEntry(record, kind: .cancellation))
            }
            records.append(record)
        }
        return Result(records: records, feedEntries: entries, changed: records != previous)
    }

    /// "Release postponed: …": the announced and the new time, and the reason, in words.
    private func feedEntry(_ record: CalendarRecord, kind: FeedEntry.Kind) -> FeedEntry {
        var titles: [String: String] = [:]
        var summaries: [String: String] = [:]
        for language in Language.allCases {
            titles[language.rawValue] = ReleaseWording.title(record.title[language], kind: kind, language: language)
            let announced = CalendarWords.time(record.date, language: language)
            let reason = record.reason?[language] ?? ""
            summaries[language.rawValue] =
                switch (kind, language) {
                case (.postponement, .vi):
                    "Lần công bố dự kiến vào \(announced) được hoãn đến \(CalendarWords.time(record.due, language: .vi)). Lý do: \(reason)"
                case (.postponement, .en):
                    "The release announced for \(announced) is postponed to \(CalendarWords.time(record.due, language: .en)). Reason: \(reason)"
                case (_, .vi): "Lần công bố dự kiến vào \(announced) bị hủy. Lý do: \(reason)"
                case (_, .en): "The release announced for \(announced) is cancelled. Reason: \(reason)"
                }
        }
        let page = { (language: Language) in "\(pipeline.baseURL)/\(ReleaseLayout.calendarPage(language))" }
        return FeedEntry(
            id: "tag:\(host),\(FeedDate.day(release.date, in: zone)):\(pipeline.id)/calendar/\(record.id)/\(record.sequence)",
            pipeline: pipeline.id, dataset: record.datasets.first?.id ?? "", release: release.id,
            timestamp: release.date.timeIntervalSince1970, timeZone: zone.identifier, title: titles, summary: summaries,
            link: page(.vi), pages: ["vi": page(.vi), "en": page(.en)], enclosures: [], kind: kind)
    }
}

/// Calendar times and statuses in words, for feeds, pages and calendar events.
enum CalendarWords {
    /// `2018-12-20T09:00:00+07:00` → "09:00 ngày 20/12/2018 (UTC+07:00)" / "20 December 2018, 09:00 (UTC+07:00)".
    static func time(_ text: String, language: Language) -> String {
        let scalars = Array(text)
        guard scalars.count >= 19 else { return text }
        let year = String(scalars[0..<4])
        let month = Int(String(scalars[5..<7])) ?? 0
        let day = String(scalars[8..<10])
        let clock = String(scalars[11..<16])
        let offset = scalars.count > 19 ? String(scalars[19...]) : ""
        let zone = offset == "Z" || offset.isEmpty ? " (UTC)" : " (UTC\(offset))"
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        ]
        switch language {
        case .vi: return "\(clock) ngày \(day)/\(String(scalars[5..<7]))/\(year)\(zone)"
        case .en:
            let name = (1...12).contains(month) ? months[month - 1] : String(scalars[5..<7])
            return "\(Int(day) ?? 0) \(name) \(year), \(clock)\(zone)"
        }
    }

    static func status(_ status: CalendarEntry.Status, language: Language) -> String {
        switch (status, language) {
        case (.provisional, .vi): "dự kiến"
        case (.provisional, .en): "provisional"
        case (.confirmed, .vi): "đã xác nhận"
        case (.confirmed, .en): "confirmed"
        case (.postponed, .vi): "hoãn"
        case (.postponed, .en): "postponed"
        case (.cancelled, .vi): "đã hủy"
        case (.cancelled, .en): "cancelled"
        }
    }

    /// The entry in sentences: datasets, status, postponement or cancellation, release.
    static func description(_ record: CalendarRecord, language: Language) -> String {
        let vi = language == .vi
        let datasets = record.datasets.map { $0.title[language] }.joined(separator: "; ")
        var parts = [
            vi ? "Bộ dữ liệu: \(datasets)." : "Datasets: \(datasets).",
            (vi ? "Trạng thái: " : "Status: ") + status(record.status, language: language) + ".",
        ]
        if record.status == .postponed {
            let from = time(record.date, language: language)
            let to = time(record.due, language: language)
            parts.append(vi ? "Hoãn từ \(from) đến \(to)." : "Postponed from \(from) to \(to).")
        }
        if let reason = record.reason { parts.append((vi ? "Lý do: " : "Reason: ") + reason[language]) }
        if let released = record.released {
            parts.append((vi ? "Đã công bố lúc " : "Released at ") + "\(time(released.time, language: language)): \(released.url)")
        }
        return parts.joined(separator: " ")
    }
}
