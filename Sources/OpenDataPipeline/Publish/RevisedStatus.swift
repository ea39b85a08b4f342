/// The observation status of the rows whose values a revision sentence states, read from
/// this run's canonical rows (a CSV), so that a revised provisional figure says so.
enum RevisedStatus {
    /// Status text by primary-key values, for the keys of the first `limit` revised values.
    static func read(
        csv path: String, schema: TableSchema, primaryKey: [String], statusField: Int, revision: DatasetRevision,
        limit: Int = ChangeDescription.sentenceLimit
    ) throws(PipelineFailure) -> [[String]: String] {
        let wanted = Set(revision.revised.prefix(limit).map(\.key))
        let keyColumns = primaryKey.compactMap(schema.index(of:))
        guard !wanted.isEmpty, keyColumns.count == primaryKey.count else { return [:] }
        let reader = try CSVReader(path: path, dialect: CSVDialect())
        guard try reader.nextRecord() else { return [:] }
        var statuses: [[String]: String] = [:]
        while statuses.count < wanted.count, try reader.nextRecord() {
            guard reader.fieldCount > max(statusField, keyColumns.max() ?? 0) else { continue }
            let key = keyColumns.map { reader.fieldText($0) }
            if wanted.contains(key) { statuses[key] = reader.fieldText(statusField) }
        }
        return statuses
    }
}
