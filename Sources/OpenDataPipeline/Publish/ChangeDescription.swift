import Foundation

/// Says what changed in a dataset: in words and numbers for feeds, and as a
/// machine-readable changelog (`changes.json`).
enum ChangeDescription {
    /// How many revised values a feed sentence lists before "and N more".
    static let sentenceLimit = 10

    /// "2018: Level 4 revised from 160 to 170; Share (%) revised from 28.0% to 29.5%; 1 new row".
    /// `statuses` gives the observation status of revised rows by key (``RevisedStatus``): a provisional one says so.
    static func sentence(
        _ revision: DatasetRevision, dataset: Dataset, language: Language, statuses: [[String]: String] = [:]
    ) -> String {
        var parts: [String] = []
        // Values of one row share its key: "2018: Level 4 revised from 170 to 171, Share … from 29.5% to 29.6%".
        var groupKey: [String]?
        var group: [String] = []
        func closeGroup() {
            guard let key = groupKey, !group.isEmpty else { return }
            let prefix = key.isEmpty ? "" : key.joined(separator: ", ") + ": "
            parts.append(prefix + group.joined(separator: ", "))
            group = []
        }
        // A revised illustrative figure says so: the row is known by its key.
        let marks = FigureMarks(dataset: dataset)
        let names = dataset.schema.fields.map(\.name)
        for value in revision.revised.prefix(sentenceLimit) {
            if value.key != groupKey {
                closeGroup()
                groupKey = value.key
            }
            let field = dataset.schema[value.field]
            let title = field?.title?[language] ?? value.field
            let old = shown(value.old, field: field, language: language)
            let keyed = Dictionary(uniqueKeysWithValues: zip(dataset.primaryKey, value.key))
            var row = names.map { keyed[$0] }
            if let status = marks.statusField { row[status] = statuses[value.key] }
            let mark = FigureMarks.suffix(marks.marks(texts: row, fields: [names.firstIndex(of: value.field) ?? -1]), language: language)
            let new = shown(value.new, field: field, language: language) + mark
            group.append(
                language == .vi ? "\(title) điều chỉnh từ \(old) thành \(new)" : "\(title) revised from \(old) to \(new)")
        }
        closeGroup()
        if revision.revisedCount > sentenceLimit {
            let more = revision.revisedCount - sentenceLimit
            parts.append(language == .vi ? "và \(more) giá trị khác được điều chỉnh" : "and \(more) more revised values")
        }
        if revision.addedCount > 0 {
            parts.append(
                language == .vi
                    ? "\(revision.addedCount) dòng mới"
                    : "\(revision.addedCount) new row\(revision.addedCount == 1 ? "" : "s")")
        }
        if revision.removedCount > 0 {
            parts.append(
                language == .vi
                    ? "\(revision.removedCount) dòng bị bỏ"
                    : "\(revision.removedCount) row\(revision.removedCount == 1 ? "" : "s") removed")
        }
        return PreviewText.bounded(parts.joined(separator: "; ") + ".", maximumBytes: PreviewText.maximumSentenceBytes)
    }

    /// A canonical value from a CSV, written for the reader, with `%` when that is the unit.
    static func shown(_ text: String?, field: Field?, language: Language) -> String {
        guard let text else { return language == .vi ? "trống" : "empty" }
        guard let field, field.type.isNumeric, let number = NumberParser.parse(text, format: .plain) else {
            return PreviewText.bounded(text)
        }
        let value: Value = number.scale == 0 && field.type == .integer ? .integer(number.units) : .number(number)
        return NumberStyle.format(value, for: language) + (field.unit == "%" ? "%" : "")
    }

    /// The dataset's part of `changes.json`.
    static func changelog(dataset: Dataset, change: DatasetChange, rows: Int, revision: DatasetRevision?) -> ChangeLog.Dataset {
        var entry = ChangeLog.Dataset(id: dataset.id, change: change, rows: rows)
        guard let revision else { return entry }
        let names = dataset.schema.fields.map(\.name)
        func record(_ values: [String?]) -> [String: String?] { Dictionary(uniqueKeysWithValues: zip(names, values)) }
        entry.added = ChangeLog.Rows(count: revision.addedCount, rows: revision.added.map(record))
        entry.removed = ChangeLog.Rows(count: revision.removedCount, rows: revision.removed.map(record))
        entry.revised = ChangeLog.Values(
            count: revision.revisedCount,
            values: revision.revised.map { value in
                ChangeLog.Value(
                    key: Dictionary(uniqueKeysWithValues: zip(dataset.primaryKey, value.key)), field: value.field, old: value.old,
                    new: value.new)
            })
        return entry
    }
}
