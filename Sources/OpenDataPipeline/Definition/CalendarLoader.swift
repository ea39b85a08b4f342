import Foundation

/// Reads a pipeline's `calendar:` list: each entry's id, local date and time,
/// datasets and status, with what each status requires (a postponement its
/// new date and reason, a cancellation its reason) and nothing it does not.
struct CalendarLoader {
    let timeZone: TimeZone
    let datasets: [Dataset]

    func load(_ node: DefinitionNode) throws(PipelineFailure) -> [CalendarEntry] {
        var entries: [CalendarEntry] = []
        for item in try node.sequence() {
            let entry = try entry(item)
            if entries.contains(where: { $0.id == entry.id }) {
                throw try item.mapping(allowed: Self.keys).required("id").fail(
                    "a calendar entry with id '\(entry.id)' is already declared in this pipeline", code: .duplicateName)
            }
            entries.append(entry)
        }
        return entries
    }

    static let keys = ["id", "title", "date", "datasets", "status", "newDate", "reason"]

    private func entry(_ node: DefinitionNode) throws(PipelineFailure) -> CalendarEntry {
        let keys = try node.mapping(allowed: Self.keys)
        let id = try PipelineLoader.identifier(keys.required("id"))
        let date = try time(keys.required("date"))
        let datasetsNode = try keys.required("datasets")
        var ids: [String] = []
        for item in try datasetsNode.sequence() {
            let name = try item.string()
            guard datasets.contains(where: { $0.id == name }) else {
                throw item.fail(
                    "unknown dataset '\(name.prefix(80))'; expected one of: \(datasets.map(\.id).joined(separator: ", "))",
                    code: .unknownDataset)
            }
            guard !ids.contains(name) else { throw item.fail("the dataset '\(name)' is named twice", code: .duplicateName) }
            ids.append(name)
        }
        guard !ids.isEmpty else { throw datasetsNode.fail("expected at least one dataset of the pipeline") }
        let statusNode = try keys.required("status")
        let statusText = try statusNode.string()
        guard let status = CalendarEntry.Status(rawValue: statusText) else {
            throw statusNode.fail(
                "unknown status '\(statusText.prefix(80))'; expected one of: "
                    + CalendarEntry.Status.allCases.map(\.rawValue).joined(separator: ", "),
                code: .unknownName)
        }
        let newDate = try keys["newDate"].map(time)
        let reason = try keys["reason"].map(PipelineLoader.localized)
        switch status {
        case .postponed:
            guard let newDate else { throw statusNode.fail("a postponed release needs 'newDate' and 'reason'", code: .calendarStatus) }
            guard reason != nil else { throw statusNode.fail("a postponed release needs a 'reason' ({vi: …, en: …})", code: .calendarStatus) }
            guard newDate > date else {
                throw keys["newDate"]!.fail("expected a new date after the announced date", code: .calendarStatus)
            }
        case .cancelled:
            guard reason != nil else { throw statusNode.fail("a cancelled release needs a 'reason' ({vi: …, en: …})", code: .calendarStatus) }
            if let node = keys["newDate"] { throw node.fail("a cancelled release has no 'newDate'", code: .calendarStatus) }
        case .provisional, .confirmed:
            for key in ["newDate", "reason"] {
                if let node = keys[key] {
                    throw node.fail("'\(key)' is only for a postponed or cancelled release; the status is \(status.rawValue)", code: .calendarStatus)
                }
            }
        }
        let titles = ids.compactMap { id in datasets.first { $0.id == id }?.title }
        let title =
            try keys["title"].map(PipelineLoader.localized)
            ?? LocalizedText(vi: titles.map(\.vi).joined(separator: "; "), en: titles.map(\.en).joined(separator: "; "))
        return CalendarEntry(id: id, title: title, date: date, datasets: ids, status: status, newDate: newDate, reason: reason)
    }

    /// `2018-12-20T09:00` (or with seconds, or a space for `T`) in the pipeline's zone: a time that
    /// the zone skips (a daylight-saving gap) or a day that does not exist is refused.
    private func time(_ node: DefinitionNode) throws(PipelineFailure) -> Date {
        let text = try node.string()
        guard let date = Self.localTime(text, in: timeZone) else {
            throw node.fail(
                "expected a date and time in the pipeline's zone \(timeZone.identifier) such as 2018-12-20T09:00 "
                    + "(no offset; a time that exists there), found '\(text.prefix(80))'",
                code: .invalidReleaseTime)
        }
        return date
    }

    static func localTime(_ text: String, in zone: TimeZone) -> Date? {
        let scalars = Array(text.utf8)
        guard scalars.count == 16 || scalars.count == 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard (0x30...0x39).contains(scalars[index]) else { return nil }
                value = value * 10 + Int(scalars[index] - 0x30)
            }
            return value
        }
        guard scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
            scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: " "), scalars[13] == UInt8(ascii: ":"),
            scalars.count == 16 || scalars[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16)
        else { return nil }
        let second = scalars.count == 19 ? number(17..<19) : 0
        guard let second else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { return nil }
        // Round trip: a day or time that does not exist in the zone comes back different.
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == year, back.month == month, back.day == day, back.hour == hour, back.minute == minute,
            back.second == second
        else { return nil }
        return date
    }
}
