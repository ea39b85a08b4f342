import Foundation

/// A dataset page's revision history: its latest revised figures (old → new,
/// when, and the release's note when one is given), and links to the vintages
/// files. Read from the vintages CSV, streamed: a value's vintages are
/// consecutive rows there, so a revision is a row that starts where the row
/// before it (same key, same field) ended; only the newest are kept.
enum RevisionHistory {
    static let shownRevisions = 10

    struct Revision: Equatable {
        var key: [String]
        var field: String
        var old: String
        var new: String
        var time: String
    }

    /// The page model's entries, nothing when the dataset has no vintages file. `notes` are
    /// release notes by release time (RFC 3339, as in `realtime_start`); none until releases have notes.
    static func model(pipelineFolder: URL, dataset: String, notes: [String: String] = [:]) -> [String: Any] {
        let path = pipelineFolder.appendingPathComponent(ReleaseLayout.vintagesCSV(dataset)).path
        guard FileManager.default.fileExists(atPath: path), let revisions = try? latest(csv: path, limit: shownRevisions) else { return [:] }
        var model: [String: Any] = [
            "vintagesCSV": ReleaseLayout.vintagesCSV(dataset), "vintagesJSON": ReleaseLayout.vintagesJSON(dataset),
        ]
        guard !revisions.isEmpty else { return model }
        model["hasRevisions"] = true
        model["revisions"] = revisions.map { revision -> [String: String] in
            var entry = [
                "date": PipelinePage.shownDate(revision.time),
                "key": revision.key.isEmpty ? "" : revision.key.joined(separator: ", ") + " ",
                "field": revision.field,
                "old": PreviewText.bounded(revision.old.isEmpty ? "–" : revision.old),
                "new": PreviewText.bounded(revision.new.isEmpty ? "–" : revision.new),
            ]
            if let note = notes[revision.time], !note.isEmpty { entry["note"] = PreviewText.bounded(note) }
            return entry
        }
        return model
    }

    /// The newest `limit` revisions of a vintages CSV, newest first (in file order within a release).
    static func latest(csv path: String, limit: Int) throws(PipelineFailure) -> [Revision] {
        let reader = try CSVReader(path: path, dialect: CSVDialect())
        guard try reader.nextRecord(), reader.fieldCount >= 5 else { return [] }
        let keyCount = reader.fieldCount - 4
        // Without a primary key the key is the row's position: shown as `row 3`.
        let positional = keyCount == 1 && reader.fieldText(0) == DatasetVintages.positionKey
        let formatter = ISO8601DateFormatter()
        var kept: [(date: Date, order: Int, revision: Revision)] = []
        var previous: [String] = []
        var order = 0
        while try reader.nextRecord() {
            let row = (0..<reader.fieldCount).map { reader.fieldText($0) }
            defer { previous = row }
            guard row.count == keyCount + 4, previous.count == row.count, previous.prefix(keyCount + 1) == row.prefix(keyCount + 1),
                previous[keyCount + 3] == row[keyCount + 2], let date = formatter.date(from: row[keyCount + 2])
            else { continue }
            order += 1
            let key = positional ? ["\(DatasetVintages.positionKey) \(row[0])"] : Array(row.prefix(keyCount))
            kept.append(
                (date, order, Revision(key: key, field: row[keyCount], old: previous[keyCount + 1], new: row[keyCount + 1], time: row[keyCount + 2])))
            if kept.count > limit * 4 { trim(&kept, limit) }
        }
        trim(&kept, limit)
        return kept.map(\.revision)
    }

    private static func trim(_ kept: inout [(date: Date, order: Int, revision: Revision)], _ limit: Int) {
        kept.sort { $0.date != $1.date ? $0.date > $1.date : $0.order < $1.order }
        if kept.count > limit { kept.removeLast(kept.count - limit) }
    }
}
