import Foundation
import GRDB

/// `<pipeline>/<pipeline>.sqlite`: every dataset of a pipeline as a table of one SQLite
/// database, for Datasette and any SQL tool. Columns are typed by the field's type
/// (INTEGER for integers, years and booleans, REAL for numbers, TEXT for the rest, dates as
/// ISO text); the primary key is the table's PRIMARY KEY, unique keys and foreign keys get
/// indexes; `_datasets` describes each table and `_fields` each column, in both languages.
///
/// A number is a REAL: exact when it has at most 15 significant digits (every decimal of that
/// size comes back from the double as written); `_fields.decimals` keeps the places the CSV
/// shows (`17.90`), and `_datasets.rounded_numbers` counts the values of more digits, which the
/// double rounds (the CSV keeps them whole). The rows are written into a work database beside it,
/// copied into the release by `VACUUM INTO`, so the file's bytes depend on its content only
/// (and on the SQLite library, whose version is in the file's header).
final class PipelineDatabase {
    static let mediaType = ReleaseLayout.databaseMediaType

    private let path: String
    private let workPath: String
    private let queue: DatabaseQueue
    private var described: [(dataset: Dataset, table: Table)] = []

    init(path: String) throws(PipelineFailure) {
        self.path = path
        // Beside the database, in the staging folder: a run that dies leaves it there, never in /tmp.
        workPath = path + ".work"
        do {
            queue = try DatabaseQueue(path: workPath)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            }
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot create the database: \(error)")
        }
    }

    deinit {
        try? queue.close()
        try? FileManager.default.removeItem(atPath: workPath)
    }

    /// The table of `dataset`, as a sink of its published rows.
    func table(for dataset: Dataset, in pipeline: Pipeline) throws(PipelineFailure) -> Table {
        let table = Table(database: self, dataset: dataset)
        let columns = dataset.schema.fields.map { "\(Self.quoted($0.name)) \(Self.columnType($0.type))" }
        var constraints: [String] = []
        if !dataset.primaryKey.isEmpty { constraints.append("PRIMARY KEY (\(dataset.primaryKey.map(Self.quoted).joined(separator: ", ")))") }
        for key in dataset.foreignKeys {
            // SQLite requires the referenced columns to be a key of the referenced table.
            guard let target = pipeline.datasets.first(where: { $0.id == key.dataset }),
                ([target.primaryKey] + target.uniqueKeys).contains(key.referencedFields)
            else { continue }
            constraints.append(
                "FOREIGN KEY (\(key.fields.map(Self.quoted).joined(separator: ", "))) REFERENCES \(Self.quoted(key.dataset)) "
                    + "(\(key.referencedFields.map(Self.quoted).joined(separator: ", ")))")
        }
        try run { db in
            try db.execute(sql: "CREATE TABLE \(Self.quoted(dataset.id)) (\((columns + constraints).joined(separator: ", ")))")
        }
        described.append((dataset, table))
        return table
    }

    /// Indexes the keys, writes the metadata tables and copies the database into the release; returns its bytes.
    func finish(pipeline: Pipeline, releases: [String: String], dates: [String: DatasetDates]) throws(PipelineFailure) -> Int {
        try run { db in
            try db.execute(
                sql: """
                    CREATE TABLE _datasets (dataset TEXT PRIMARY KEY, title_vi TEXT, title_en TEXT, description_vi TEXT,
                    description_en TEXT, license TEXT, source TEXT, publisher TEXT, release TEXT, data_modified TEXT,
                    illustrative_vi TEXT, illustrative_en TEXT, rows INTEGER, rounded_numbers INTEGER)
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE _fields (dataset TEXT, position INTEGER, field TEXT, type TEXT, sqlite_type TEXT, title_vi TEXT,
                    title_en TEXT, unit TEXT, decimals INTEGER, PRIMARY KEY (dataset, field))
                    """)
            for (dataset, table) in described {
                let id = Self.quoted(dataset.id)
                for (index, key) in dataset.uniqueKeys.enumerated() {
                    try db.execute(
                        sql: "CREATE UNIQUE INDEX \(Self.quoted("\(dataset.id)_unique_\(index + 1)")) ON \(id) "
                            + "(\(key.map(Self.quoted).joined(separator: ", ")))")
                }
                for (index, key) in dataset.foreignKeys.enumerated() {
                    try db.execute(
                        sql: "CREATE INDEX \(Self.quoted("\(dataset.id)_foreign_\(index + 1)")) ON \(id) "
                            + "(\(key.fields.map(Self.quoted).joined(separator: ", ")))")
                }
                let sources = (dataset.sources.isEmpty ? pipeline.sources : dataset.sources)
                    .map { [$0.title, $0.path].compactMap { $0 }.joined(separator: " ") }.joined(separator: "; ")
                let arguments: [(any DatabaseValueConvertible)?] = [
                    dataset.id, dataset.title.vi, dataset.title.en, dataset.description.vi, dataset.description.en,
                    pipeline.license.name, sources, pipeline.publisher.name, releases[dataset.id], dates[dataset.id]?.data,
                    dataset.illustrative?.vi, dataset.illustrative?.en, table.rows, table.roundedNumbers,
                ]
                try db.execute(
                    sql: "INSERT INTO _datasets VALUES (\(Array(repeating: "?", count: arguments.count).joined(separator: ", ")))",
                    arguments: StatementArguments(arguments))
                for (position, field) in dataset.schema.fields.enumerated() {
                    try db.execute(
                        sql: "INSERT INTO _fields VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        arguments: [
                            dataset.id, position + 1, field.name, field.type.rawValue, Self.columnType(field.type), field.title?.vi,
                            field.title?.en, field.unit, field.decimals,
                        ])
                }
            }
        }
        do {
            try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot write the database: \(error)")
        }
        try? queue.close()
        try? FileManager.default.removeItem(atPath: workPath)
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    static func columnType(_ type: FieldType) -> String {
        switch type {
        case .integer, .year, .boolean: "INTEGER"
        case .number: "REAL"
        case .string, .date, .datetime, .time, .yearmonth, .duration: "TEXT"
        }
    }

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Runs `body` in one transaction (a batch of rows, a table, the metadata).
    fileprivate func run(_ body: (Database) throws -> Void) throws(PipelineFailure) {
        do {
            try queue.write(body)
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "\(error)")
        }
    }

    /// One dataset's table: inserts its published rows as they stream.
    final class Table: RowSink {
        private unowned let database: PipelineDatabase
        private let dataset: Dataset
        private(set) var rows = 0
        private(set) var roundedNumbers = 0

        fileprivate init(database: PipelineDatabase, dataset: Dataset) {
            self.database = database
            self.dataset = dataset
        }

        func write(_ batch: Batch) throws(PipelineFailure) {
            let sql =
                "INSERT INTO \(PipelineDatabase.quoted(dataset.id)) VALUES "
                + "(\(Array(repeating: "?", count: batch.width).joined(separator: ", ")))"
            var rounded = 0
            try database.run { db in
                let statement = try db.cachedStatement(sql: sql)
                for row in 0..<batch.rowCount {
                    let values: [DatabaseValue] = batch.row(row).map { value in
                        switch value {
                        case .null: return .null
                        case let .integer(integer): return integer.databaseValue
                        case let .number(number):
                            if !SheetCells.fitsADouble(number) { rounded += 1 }
                            // Swift's parse of the text is the correctly rounded double.
                            return (Double(number.description) ?? number.doubleValue).databaseValue
                        case let .string(text): return text.databaseValue
                        case let .boolean(flag): return (flag ? 1 : 0).databaseValue
                        case let .date(date): return date.description.databaseValue
                        }
                    }
                    try statement.execute(arguments: StatementArguments(values))
                }
            }
            rows += batch.rowCount
            roundedNumbers += rounded
        }
    }
}
