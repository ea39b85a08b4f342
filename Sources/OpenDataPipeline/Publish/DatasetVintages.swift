public import Foundation

/// Every value a dataset has published, with the release times during which
/// it was the published one (ALFRED's real-time periods): a row per change,
/// not per release. Written as `data/<dataset>.vintages.json` (this document)
/// and `data/<dataset>.vintages.csv`; carried forward from the previous
/// release and updated by each release of the dataset, so the history
/// outlives the releases that `--keep` prunes.
///
/// A value is identified by the dataset's primary key and a field (without a
/// primary key, by the row's position, `row`, 1 for the first row). Values
/// are the published CSV's cells as text (the CSV writer's number format);
/// an empty cell is null. `realtime_start` is the release time from which it
/// was published, `realtime_end` the release time of the release that changed
/// or removed it (null while it is still published).
public struct DatasetVintages: Decodable, Sendable, Equatable {
    public var dataset: String
    /// The fields that identify a row; empty when the dataset declares no primary key (the key is the row's position).
    public var key: [String]
    /// The CSV's columns, from the release time when they applied.
    public var layouts: [Layout]
    public var vintages: [Vintage]

    public struct Layout: Decodable, Sendable, Equatable {
        public var realtimeStart: String
        public var fields: [String]

        enum CodingKeys: String, CodingKey {
            case realtimeStart = "realtime_start"
            case fields
        }
    }

    public struct Vintage: Decodable, Sendable, Equatable {
        public var key: [String]
        public var field: String
        public var value: String?
        public var realtimeStart: String
        public var realtimeEnd: String?
        /// The release that published it.
        public var release: String
        /// That release's note (`opendata run --note`), when it has one.
        public var note: String? = nil

        enum CodingKeys: String, CodingKey {
            case key, field, value, release, note
            case realtimeStart = "realtime_start"
            case realtimeEnd = "realtime_end"
        }
    }

    /// The CSV's key column when the dataset has no primary key.
    static let positionKey = "row"

    /// The most values (rows × fields outside the key) whose vintages a run keeps. The vintages are
    /// updated in memory (about 250 bytes a value), so a larger dataset keeps none, with a warning,
    /// rather than making a run's memory grow with its rows.
    static let maximumValues = 250_000

    /// The number of values whose vintages a dataset of `rows` rows has.
    static func values(rows: Int, dataset: Dataset) -> Int {
        rows * max(1, dataset.schema.fields.count - dataset.primaryKey.count)
    }

    /// Copies the vintages files of `dataset` from the previous release's pipeline folder, for a dataset whose rows
    /// and metadata did not change (updating them would give the same bytes); false when that release has none.
    static func copy(_ dataset: String, from previous: URL, to folder: URL) throws(PipelineFailure) -> Bool {
        let files = [ReleaseLayout.vintagesCSV(dataset), ReleaseLayout.vintagesJSON(dataset)]
        let contents = files.map { LocalFile.contents(atPath: previous.appendingPathComponent($0).path) }
        guard contents.allSatisfy({ $0 != nil }) else { return false }
        for (file, data) in zip(files, contents) {
            _ = try BufferedFileWriter.write(data ?? Data(), to: folder.appendingPathComponent(file).path)
        }
        return true
    }

    /// The vintages document of a pipeline folder's dataset, nil when there is none.
    static func read(pipelineFolder: URL, dataset: String) throws(PipelineFailure) -> DatasetVintages? {
        try ReleaseDocument.read(
            DatasetVintages.self, pipelineFolder: pipelineFolder, file: ReleaseLayout.vintagesJSON(dataset), expected: "a vintages document")
    }

    // MARK: Updating

    /// The vintages of `dataset` after this release: the previous release's, updated with the rows written.
    /// When the previous release has none (it predates them), they start from its CSV at its `dataModified`.
    static func carriedForward(
        dataset: Dataset, previousFolder: URL?, previous: ReleaseManifest.DatasetEntry?, previousCSV: String?, rowsCSV: String,
        time: String, release: String, note: String?
    ) throws(PipelineFailure) -> DatasetVintages {
        var vintages = try previousFolder.flatMap { folder throws(PipelineFailure) in try read(pipelineFolder: folder, dataset: dataset.id) }
        if vintages == nil, let previous, let previousCSV {
            vintages = try updated(
                nil, dataset: dataset.id, primaryKey: dataset.primaryKey, rowsCSV: previousCSV, time: previous.dataModified,
                release: previous.dataRelease)
        }
        return try updated(
            vintages, dataset: dataset.id, primaryKey: dataset.primaryKey, rowsCSV: rowsCSV, time: time, release: release, note: note)
    }

    /// The vintages after a release at `time` whose rows are the CSV at `rowsCSV`.
    static func updated(
        _ previous: DatasetVintages?, dataset: String, primaryKey: [String], rowsCSV: String, time: String, release: String,
        note: String? = nil
    ) throws(PipelineFailure) -> DatasetVintages {
        let reader = try CSVReader(path: rowsCSV, dialect: CSVDialect())
        guard try reader.nextRecord() else {
            throw PipelineFailure.cannotPublish(path: rowsCSV, reason: "the rows written have no header")
        }
        let header = (0..<reader.fieldCount).map { reader.fieldText($0) }
        let key = primaryKey
        var document = previous ?? DatasetVintages(dataset: dataset, key: key, layouts: [], vintages: [])
        if document.key != key {
            // Another key: what was published under the old one ends here.
            for index in document.vintages.indices where document.vintages[index].realtimeEnd == nil {
                document.vintages[index].realtimeEnd = time
            }
            document.key = key
        }
        if document.layouts.last?.fields != header { document.layouts.append(Layout(realtimeStart: time, fields: header)) }
        let keyColumns = primaryKey.compactMap { header.firstIndex(of: $0) }
        let valueColumns = header.indices.filter { !keyColumns.contains($0) }

        struct Identity: Hashable {
            var key: [String]
            var field: String
        }
        var open: [Identity: Int] = [:]
        for (index, vintage) in document.vintages.enumerated() where vintage.realtimeEnd == nil {
            open[Identity(key: vintage.key, field: vintage.field)] = index
        }
        var added: [Vintage] = []
        var position = 0
        while try reader.nextRecord() {
            position += 1
            let cells = (0..<reader.fieldCount).map { reader.fieldText($0) }
            let rowKey = primaryKey.isEmpty ? [String(position)] : keyColumns.map { $0 < cells.count ? cells[$0] : "" }
            // A row of key fields only is one value: that the row is there.
            let tracked: [(String, String?)] =
                valueColumns.isEmpty
                ? [("", nil)]
                : valueColumns.map { column in (header[column], column < cells.count && !cells[column].isEmpty ? cells[column] : nil) }
            for (field, value) in tracked {
                let identity = Identity(key: rowKey, field: field)
                if let index = open.removeValue(forKey: identity) {
                    if document.vintages[index].value == value { continue }
                    document.vintages[index].realtimeEnd = time
                }
                added.append(Vintage(key: rowKey, field: field, value: value, realtimeStart: time, realtimeEnd: nil, release: release, note: note))
            }
        }
        // Values no longer published.
        for index in open.values { document.vintages[index].realtimeEnd = time }
        document.vintages.append(contentsOf: added)
        added = []
        document.order(fields: header)
        return document
    }

    /// By key (in the order keys were first published), then field (in column order), then time;
    /// sorts a permutation, not the vintages, and leaves them alone when already in order.
    private mutating func order(fields: [String]) {
        var keyOrder: [[String]: Int32] = [:]
        for vintage in vintages where keyOrder[vintage.key] == nil { keyOrder[vintage.key] = Int32(keyOrder.count) }
        let fieldOrder = Dictionary(fields.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        let ranks = vintages.map { (keyOrder[$0.key]!, fieldOrder[$0.field] ?? Int32(fields.count)) }
        let indices = Array(0..<Int32(vintages.count))
        func before(_ a: Int32, _ b: Int32) -> Bool {
            let left = ranks[Int(a)]
            let right = ranks[Int(b)]
            return left != right ? left < right : a < b
        }
        guard !zip(indices, indices.dropFirst()).allSatisfy({ before($0, $1) }) else { return }
        let sorted = indices.sorted(by: before)
        vintages = sorted.map { vintages[Int($0)] }
    }

    // MARK: Writing

    /// Writes both files into a pipeline's folder, streamed: the JSON by hand (sorted keys, a vintage a line),
    /// since Foundation's encoder holds a tree several times the document's size.
    func write(pipelineFolder: URL) throws(PipelineFailure) {
        let json = try BufferedFileWriter(path: pipelineFolder.appendingPathComponent(ReleaseLayout.vintagesJSON(dataset)).path)
        var out: [UInt8] = []
        func flush(_ writer: BufferedFileWriter) throws(PipelineFailure) {
            try writer.write(out)
            out.removeAll(keepingCapacity: true)
        }
        func strings(_ values: [String]) {
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(contentsOf: Array(", ".utf8)) }
                JSONText.appendString(value, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        func member(_ name: String, _ value: String?, last: Bool = false) {
            JSONText.appendString(name, to: &out)
            out.append(contentsOf: Array(": ".utf8))
            if let value { JSONText.appendString(value, to: &out) } else { out.append(contentsOf: Array("null".utf8)) }
            if !last { out.append(contentsOf: Array(", ".utf8)) }
        }
        out.append(contentsOf: Array("{\n  \"dataset\": ".utf8))
        JSONText.appendString(dataset, to: &out)
        out.append(contentsOf: Array(",\n  \"key\": ".utf8))
        strings(key)
        out.append(contentsOf: Array(",\n  \"layouts\": [".utf8))
        for (index, layout) in layouts.enumerated() {
            out.append(contentsOf: Array((index > 0 ? ",\n    " : "\n    ").utf8))
            out.append(contentsOf: Array("{\"fields\": ".utf8))
            strings(layout.fields)
            out.append(contentsOf: Array(", ".utf8))
            member("realtime_start", layout.realtimeStart, last: true)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: Array((layouts.isEmpty ? "],\n  \"vintages\": [" : "\n  ],\n  \"vintages\": [").utf8))
        for (index, vintage) in vintages.enumerated() {
            out.append(contentsOf: Array((index > 0 ? ",\n    {" : "\n    {").utf8))
            member("field", vintage.field)
            out.append(contentsOf: Array("\"key\": ".utf8))
            strings(vintage.key)
            out.append(contentsOf: Array(", ".utf8))
            if let note = vintage.note { member("note", note) }
            member("realtime_end", vintage.realtimeEnd)
            member("realtime_start", vintage.realtimeStart)
            member("release", vintage.release)
            member("value", vintage.value, last: true)
            out.append(UInt8(ascii: "}"))
            if out.count > 1 << 16 { try flush(json) }
        }
        out.append(contentsOf: Array((vintages.isEmpty ? "]\n}\n" : "\n  ]\n}\n").utf8))
        try flush(json)
        try json.close()

        let csv = try BufferedFileWriter(path: pipelineFolder.appendingPathComponent(ReleaseLayout.vintagesCSV(dataset)).path)
        CSVText.appendRow((key.isEmpty ? [Self.positionKey] : key) + ["field", "value", "realtime_start", "realtime_end"], to: &out)
        for vintage in vintages {
            CSVText.appendRow(vintage.key + [vintage.field, vintage.value, vintage.realtimeStart, vintage.realtimeEnd], to: &out)
            if out.count > 1 << 16 { try flush(csv) }
        }
        try flush(csv)
        try csv.close()
    }

    // MARK: Reading back

    /// The dataset as published at `date`: its columns and rows (nil cells empty), nil when nothing was published then.
    public func table(at date: Date) -> (fields: [String], rows: [[String?]])? {
        let formatter = ISO8601DateFormatter()
        func covers(_ vintage: Vintage) -> Bool {
            guard let start = formatter.date(from: vintage.realtimeStart), start <= date else { return false }
            return vintage.realtimeEnd.flatMap(formatter.date(from:)).map { date < $0 } ?? true
        }
        guard let layout = layouts.last(where: { formatter.date(from: $0.realtimeStart).map { $0 <= date } ?? false }) else { return nil }
        var keys: [[String]] = []
        var values: [[String]: [String: String?]] = [:]
        for vintage in vintages where covers(vintage) {
            if values[vintage.key] == nil {
                keys.append(vintage.key)
                values[vintage.key] = [:]
            }
            values[vintage.key]?[vintage.field] = vintage.value
        }
        let rows = keys.map { rowKey in
            layout.fields.map { field -> String? in
                if let position = key.firstIndex(of: field) { return rowKey[position] }
                return values[rowKey]?[field] ?? nil
            }
        }
        return (layout.fields, rows)
    }

    /// The dataset at `date` as the CSV writer writes it (plain style), nil when nothing was published then.
    public func csv(at date: Date) -> [UInt8]? {
        guard let table = table(at: date) else { return nil }
        var out: [UInt8] = []
        CSVText.appendRow(table.fields, to: &out)
        for row in table.rows { CSVText.appendRow(row, to: &out) }
        return out
    }
}

/// CSV cells as the CSV writer writes them (plain style): quoted when needed, CRLF, an empty one-cell row as `""`.
enum CSVText {
    static func appendRow(_ cells: [String?], to out: inout [UInt8]) {
        let start = out.count
        for (index, cell) in cells.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if let cell { CSVWriter.appendCell(cell, to: &out) }
        }
        if out.count == start { out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\"")]) }
        out.append(contentsOf: [0x0D, 0x0A])
    }
}
