import Foundation
import GRDB

/// Runs a query against an SQLite database file and types each result column
/// by the declared field whose `from` (or name) is the column's name.
///
/// The database is opened read-only (through GRDB) and checked with
/// `PRAGMA quick_check` first, so a truncated or damaged file is a clear
/// error rather than a partial table; a file that is not a database at all is
/// recognised by its header. Rows stream from a cursor: memory is one batch.
/// SQLite has no lines: errors name the result row (1-based) and the column.
public struct SQLiteExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let query: String
    public let fields: [SourceField]

    public init(path: String, displayPath: String, query: String, fields: [SourceField]) {
        self.path = path
        self.displayPath = displayPath
        self.query = query
        self.fields = fields
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let location = SourceLocation(file: displayPath)
        guard let header = LocalFile.prefix(atPath: path, count: 16) else {
            throw PipelineFailure.sourceUnreadable(location, reason: "cannot open the file (does it exist?)")
        }
        guard header == Array("SQLite format 3\0".utf8) else {
            throw PipelineFailure.malformedSource(
                location, problem: "not an SQLite database (the file does not start with SQLite's header)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = displayPath
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            if Self.isDamage(error) {
                throw PipelineFailure.malformedSource(location, problem: "the database is damaged (\(Self.message(error)))")
            }
            throw PipelineFailure.sourceUnreadable(location, reason: "cannot open the database (\(Self.message(error)))")
        }
        var failure: PipelineFailure?
        do {
            try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    failure = .malformedSource(
                        location, problem: "the database is damaged (quick_check: \(check.prefix(3).joined(separator: "; ")))")
                    return
                }
                do {
                    try read(db, collector: collector, emit)
                } catch let error as PipelineFailure {
                    failure = error
                }
            }
        } catch {
            if Self.isDamage(error) {
                throw PipelineFailure.malformedSource(location, problem: "the database is damaged (\(Self.message(error)))")
            }
            throw PipelineFailure.malformedSource(location, problem: "the query failed: \(Self.message(error))")
        }
        if let failure { throw failure }
    }

    private func read(_ db: Database, collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void) throws {
        let statement = try singleSelect(db)
        let names = statement.columnNames
        var columns: [Int] = []
        for field in fields {
            let name = field.from ?? field.field.name
            guard let index = names.firstIndex(of: name) else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, field: name),
                    problem: "the query has no column '\(name)'; it has: \(names.joined(separator: ", "))")
            }
            columns.append(index)
        }
        let decoders = fields.map(\.decoder)
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        var number = 0
        let cursor = try Row.fetchCursor(statement)
        while let record = try cursor.next() {
            number += 1
            let valid = try decodeRow(&row, fields: fields, collector: collector) { index throws(CellFailure) in
                let cell: DatabaseValue = record[columns[index]]
                return try decode(cell, with: decoders[index], row: number, column: names[columns[index]])
            }
            if valid { try batch.append(row, line: number, emit: emit) }
        }
        guard number > 0 else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, field: "query"), problem: "the query returns no rows; an empty table is not published")
        }
        try batch.finish(emit: emit)
    }

    /// The query compiled, when it is one read-only `SELECT` (or `WITH … SELECT`, `VALUES`)
    /// that returns columns. Anything else (a second statement, `DELETE`, `ATTACH`,
    /// `VACUUM INTO`, a `PRAGMA`) is refused before it runs, naming what it is.
    private func singleSelect(_ db: Database) throws(PipelineFailure) -> Statement {
        let location = SourceLocation(file: displayPath, field: "query")
        var statements: [Statement] = []
        do {
            let cursor = try db.allStatements(sql: query)
            while statements.count < 2, let statement = try cursor.next() { statements.append(statement) }
        } catch {
            throw PipelineFailure.malformedSource(location, problem: "the query is not valid SQL: \(Self.message(error))", code: .invalidSQL)
        }
        let required = "the query must be a single read-only SELECT"
        guard let statement = statements.first else {
            throw PipelineFailure.malformedSource(location, problem: "\(required); it has no statement")
        }
        guard statements.count == 1 else {
            throw PipelineFailure.malformedSource(
                location,
                problem: "\(required); it has more than one statement: '\(Self.shortened(statement.sql))' "
                    + "is followed by '\(Self.shortened(statements[1].sql))'")
        }
        let keyword = Self.firstKeyword(statement.sql)
        guard ["SELECT", "WITH", "VALUES"].contains(keyword), statement.isReadonly, statement.columnCount > 0 else {
            let kind = keyword.isEmpty ? "a statement" : "\("AEIOU".contains(keyword.prefix(1)) ? "an" : "a") \(keyword) statement"
            let writes = statement.isReadonly ? "" : " that writes"
            throw PipelineFailure.malformedSource(
                location, problem: "\(required); '\(Self.shortened(statement.sql))' is \(kind)\(writes)")
        }
        return statement
    }

    /// The first word of `sql`, upper-cased, after spaces, comments and opening parentheses.
    static func firstKeyword(_ sql: String) -> String {
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "(" }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return "" }
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        return rest.prefix { $0.isLetter }.uppercased()
    }

    static func shortened(_ sql: String) -> String {
        let text = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return text.count <= 60 ? text : String(text.prefix(59)) + "…"
    }

    /// Types one cell: text is decoded like a CSV cell; integers and reals are
    /// taken exactly (a real goes through its shortest round-trip text).
    private func decode(_ cell: DatabaseValue, with decoder: ValueDecoder, row: Int, column: String) throws(CellFailure) -> Value {
        let location = SourceLocation(file: displayPath, row: row, field: column)
        let text: String
        var plain = false
        switch cell.storage {
        case .null: text = ""
        case let .int64(integer):
            text = String(integer)
            plain = true
        case let .double(real):
            guard real.isFinite else {
                throw CellFailure(location, cell: "\(real)", .init(expected: "a finite number"), rowNumber: row)
            }
            text = JSONCellDecoder.plainDecimal("\(real)") ?? "\(real)"
            plain = true
        case let .string(string): text = string
        case .blob:
            throw CellFailure(
                location, cell: "(binary data)", .init(expected: decoder.field.type.expectation(numberFormat: decoder.numberFormat)),
                rowNumber: row)
        }
        let used = plain && decoder.field.type != .string ? ValueDecoder(field: decoder.field, numberFormat: .plain) : decoder
        do {
            return UnicodeText.nfc(try used.decode(text))
        } catch {
            throw CellFailure(location, cell: text, error, rowNumber: row)
        }
    }

    /// Why the query cannot run, found by preparing it against the database
    /// opened read-only; nil when it prepares, or when the file is not there
    /// to ask (that is the run's error).
    func queryProblem() -> String? {
        guard LocalFile.prefix(atPath: path, count: 16) == Array("SQLite format 3\0".utf8) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        defer { try? queue.close() }
        do {
            return try queue.read { db in
                do throws(PipelineFailure) {
                    _ = try singleSelect(db)
                    return nil
                } catch {
                    guard case .malformedSource(_, let problem, _) = error else { return "\(error)" }
                    return problem
                }
            }
        } catch {
            return "the query is not valid: \(Self.message(error))"
        }
    }

    /// Whether SQLite says the file is corrupt, truncated or not a database.
    static func isDamage(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode)
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
