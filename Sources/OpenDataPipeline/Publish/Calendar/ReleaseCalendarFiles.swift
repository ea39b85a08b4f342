import Foundation

/// The site's release calendar, built from every pipeline folder's
/// `calendar.json` (so pipelines carried forward keep theirs): `calendar.json`
/// (every entry, due time first), its JSON Schema, and `calendar.ics`
/// (RFC 5545, one VEVENT an entry). The pages are ``SitePages``'.
struct ReleaseCalendarFiles {
    let folder: URL
    let release: ReleaseInfo
    /// The site's identity (`site.yml`), whose base URL the calendar's links start with.
    let site: SiteDefinition

    /// Every entry of every pipeline of the release, by due time.
    static func records(in folder: URL) throws(PipelineFailure) -> [CalendarRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var records: [CalendarRecord] = []
        for name in names.sorted() {
            guard let calendar = try PipelineCalendar.read(pipelineFolder: folder.appendingPathComponent(name)) else { continue }
            records += calendar.entries
        }
        // Each due time parsed once, not at every comparison.
        return records.map { ($0.dueDate ?? .distantPast, $0) }.sorted { ($0.0, $0.1.uid) < ($1.0, $1.1.uid) }.map(\.1)
    }

    func write() throws(PipelineFailure) {
        let site = self.site.baseURL
        let records = try Self.records(in: folder)
        let document = SiteCalendar(
            schema: "\(site)/\(ReleaseLayout.calendarSchema)", calendarVersion: 1, generator: "opendata-pipeline \(ToolVersion.current)",
            release: release.id, site: site, ics: "\(site)/\(ReleaseLayout.calendarICS)", entries: records)
        try save(try StableJSON.encode(document, file: ReleaseLayout.calendar), ReleaseLayout.calendar)
        var schema = try JSONWriter.serialize(
            SiteCalendar.jsonSchema(id: "\(site)/\(ReleaseLayout.calendarSchema)"), path: ReleaseLayout.calendarSchema, pretty: true)
        schema.append(0x0A)
        try save(schema, ReleaseLayout.calendarSchema)
        try save(Array(Self.ics(records, site: site).utf8), ReleaseLayout.calendarICS)
    }

    /// The calendar as iCalendar: a VEVENT an entry at its due time (UTC), bilingual summary and description.
    static func ics(_ records: [CalendarRecord], site: String) -> String {
        let line = ICalendarText.line
        let text = ICalendarText.escaped
        var out = line("BEGIN", "VCALENDAR")
        out += line("VERSION", "2.0")
        out += line("PRODID", "-//opendata-pipeline//opendata-pipeline \(ToolVersion.current)//EN")
        out += line("CALSCALE", "GREGORIAN")
        out += line("METHOD", "PUBLISH")
        out += line("X-WR-CALNAME", text("Lịch công bố số liệu / Release calendar"))
        for record in records {
            let status =
                switch record.status {
                case .provisional: "TENTATIVE"
                case .confirmed, .postponed: "CONFIRMED"
                case .cancelled: "CANCELLED"
                }
            out += line("BEGIN", "VEVENT")
            out += line("UID", text(record.uid))
            out += line("DTSTAMP", CalendarRecord.parse(record.modified).map(ICalendarText.utc) ?? "")
            out += line("CREATED", CalendarRecord.parse(record.created).map(ICalendarText.utc) ?? "")
            out += line("LAST-MODIFIED", CalendarRecord.parse(record.modified).map(ICalendarText.utc) ?? "")
            out += line("SEQUENCE", String(record.sequence))
            out += line("DTSTART", record.dueDate.map(ICalendarText.utc) ?? "")
            out += line("SUMMARY", text("Công bố số liệu: \(record.title.vi) / Data release: \(record.title.en)"))
            out += line(
                "DESCRIPTION",
                text(CalendarWords.description(record, language: .vi) + "\n\n" + CalendarWords.description(record, language: .en)))
            out += line("STATUS", status)
            out += line("URL", record.released?.url ?? "\(site)/\(ReleaseLayout.calendarPage(.vi))")
            out += line("END", "VEVENT")
        }
        out += line("END", "VCALENDAR")
        return out
    }

    private func save(_ bytes: [UInt8], _ name: String) throws(PipelineFailure) {
        _ = try BufferedFileWriter.write(bytes, to: folder.appendingPathComponent(name).path)
    }
}

/// The site's `calendar.json` (documented in docs/pipeline-format.md, "Release calendar").
struct SiteCalendar: Codable, Equatable {
    var schema: String
    /// 1; changes only if a key changes meaning or disappears.
    var calendarVersion: Int
    var generator: String
    var release: String
    var site: String
    var ics: String
    var entries: [CalendarRecord]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case calendarVersion, generator, release, site, ics, entries
    }

    /// The JSON Schema (draft 2020-12) of `calendar.json`.
    static func jsonSchema(id: String) -> [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let time: [String: Any] = ["type": "string", "format": "date-time"]
        let url: [String: Any] = ["type": "string", "format": "uri"]
        let localized: [String: Any] = [
            "type": "object", "required": ["vi", "en"], "additionalProperties": false,
            "properties": ["vi": string, "en": string],
        ]
        let dataset: [String: Any] = [
            "type": "object", "required": ["id", "title", "url"], "additionalProperties": false,
            "properties": ["id": string, "title": localized, "url": url],
        ]
        let released: [String: Any] = [
            "type": "object", "required": ["release", "time", "url"], "additionalProperties": false,
            "properties": ["release": string, "time": time, "url": url],
        ]
        let entry: [String: Any] = [
            "type": "object",
            "required": [
                "uid", "pipeline", "id", "title", "datasets", "status", "date", "due", "timeZone", "sequence", "created", "modified",
            ],
            "additionalProperties": false,
            "properties": [
                "uid": string, "pipeline": string, "id": string, "title": localized,
                "datasets": ["type": "array", "minItems": 1, "items": dataset] as [String: Any],
                "status": ["enum": CalendarEntry.Status.allCases.map(\.rawValue)],
                "date": time, "newDate": time, "due": time, "timeZone": string, "reason": localized,
                "sequence": ["type": "integer", "minimum": 0] as [String: Any],
                "created": time, "modified": time, "released": released,
            ],
            "allOf": [
                [
                    "if": ["properties": ["status": ["const": "postponed"]]],
                    "then": ["required": ["newDate", "reason"]],
                ] as [String: Any],
                ["if": ["properties": ["status": ["const": "cancelled"]]], "then": ["required": ["reason"]]] as [String: Any],
            ],
        ]
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": id,
            "title": "opendata-pipeline release calendar",
            "type": "object",
            "required": ["$schema", "calendarVersion", "generator", "release", "site", "ics", "entries"],
            "additionalProperties": false,
            "properties": [
                "$schema": url, "calendarVersion": ["const": 1], "generator": string, "release": string, "site": url, "ics": url,
                "entries": ["type": "array", "items": entry] as [String: Any],
            ],
        ]
    }
}
