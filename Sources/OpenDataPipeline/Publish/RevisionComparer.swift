/// What changed in a dataset between two releases, row by row.
public struct DatasetRevision: Sendable, Equatable {
    /// One changed value of a row that exists in both releases.
    public struct RevisedValue: Sendable, Equatable {
        /// The primary key's values, in key order.
        public var key: [String]
        public var field: String
        public var old: String?
        public var new: String?
    }

    public var added: [[String?]] = []
    public var removed: [[String?]] = []
    public var revised: [RevisedValue] = []
    public var addedCount = 0
    public var removedCount = 0
    public var revisedCount = 0

    public var isEmpty: Bool { addedCount == 0 && removedCount == 0 && revisedCount == 0 }
}

/// Compares the previous release's CSV of a dataset with the new one.
///
/// Rows are matched by primary key (by their whole content when the dataset
/// declares none). Holds the previous release's rows of the dataset in memory
/// and streams the new ones; keeps at most ``maximumDetails`` rows or values
/// of each kind for the changelog, and counts the rest.
enum RevisionComparer {
    static let maximumDetails = 1000

    static func compare(
        previousCSV: String, currentCSV: String, schema: TableSchema, primaryKey: [String]
    ) throws(PipelineFailure) -> DatasetRevision {
        let previous = try readRows(previousCSV)
        let current = try readRows(currentCSV)
        let names = schema.fields.map(\.name)
        // Columns by name, so a reordered or extended schema still compares.
        func columns(_ header: [String]) -> [Int?] { names.map { header.firstIndex(of: $0) } }
        let previousColumns = columns(previous.header)
        let currentColumns = columns(current.header)
        let keyPositions = primaryKey.compactMap { names.firstIndex(of: $0) }
        func aligned(_ row: [String], _ map: [Int?]) -> [String?] {
            map.map { index in index.flatMap { $0 < row.count ? (row[$0].isEmpty ? nil : row[$0]) : nil } }
        }
        func key(_ row: [String?]) -> [String] {
            keyPositions.isEmpty ? row.map { $0 ?? "" } : keyPositions.map { row[$0] ?? "" }
        }
        var before: [[String]: [String?]] = [:]
        var order: [[String]] = []
        for row in previous.rows {
            let values = aligned(row, previousColumns)
            let identity = key(values)
            if before[identity] == nil { order.append(identity) }
            before[identity] = values
        }
        var revision = DatasetRevision()
        for row in current.rows {
            let values = aligned(row, currentColumns)
            let identity = key(values)
            guard let old = before.removeValue(forKey: identity) else {
                revision.addedCount += 1
                if revision.added.count < maximumDetails { revision.added.append(values) }
                continue
            }
            for (index, name) in names.enumerated() where old[index] != values[index] {
                revision.revisedCount += 1
                if revision.revised.count < maximumDetails {
                    revision.revised.append(.init(key: identity, field: name, old: old[index], new: values[index]))
                }
            }
        }
        for identity in order {
            guard let old = before[identity] else { continue }
            revision.removedCount += 1
            if revision.removed.count < maximumDetails { revision.removed.append(old) }
        }
        return revision
    }

    private static func readRows(_ path: String) throws(PipelineFailure) -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(path: path, dialect: CSVDialect())
        guard try reader.nextRecord() else { return ([], []) }
        let header = (0..<reader.fieldCount).map { reader.fieldText($0) }
        var rows: [[String]] = []
        while try reader.nextRecord() {
            rows.append((0..<reader.fieldCount).map { reader.fieldText($0) })
        }
        return (header, rows)
    }
}
