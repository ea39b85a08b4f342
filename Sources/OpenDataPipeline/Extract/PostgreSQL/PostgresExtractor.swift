import Foundation
import Logging
import PostgresNIO

/// Runs a `query:` on a PostgreSQL server in a read-only transaction with a
/// statement timeout, and types each result column by the declared field whose
/// `from` (or name) is the column's name. The database does the filtering,
/// joining and aggregating; only the result crosses the wire.
///
/// PostgresNIO is asynchronous and the engine is not: the query runs in a task
/// on a thread of its own (``PostgresThreadExecutor``), which hands rows to the
/// engine's thread through a bounded ``PostgresRowBridge``. When the engine is
/// slower, the task waits, the driver's row sequence stops reading the socket and
/// the server waits: memory is a few batches whatever the number of rows.
struct PostgresExtractor: Extractor {
    /// A parameter's value, bound by the driver.
    enum Parameter: Sendable, Hashable {
        case integer(Int64)
        case boolean(Bool)
        case text(String)
    }

    /// Where the `query:` text stands in the pipeline file: the line and column of
    /// each of its lines, so a server's error position becomes a file position.
    struct Placement: Sendable {
        var file: String
        var lines: [(line: Int, column: Int)]

        init(file: String, lines: [(line: Int, column: Int)]) {
            self.file = file
            self.lines = lines
        }

        func location(ofCharacter offset: Int, in query: String) -> SourceLocation {
            var line = 0
            var column = 0
            for (index, character) in query.enumerated() {
                if index == offset { break }
                if character == "\n" {
                    line += 1
                    column = 0
                } else {
                    column += 1
                }
            }
            guard line < lines.count else { return SourceLocation(file: file, field: "source.query") }
            return SourceLocation(file: file, line: lines[line].line, column: lines[line].column + column, field: "source.query")
        }
    }

    let settings: PostgresConnectionSettingsValue
    let query: String
    let parameters: [String: Parameter]
    let timeoutSeconds: Int
    /// A query whose result stands for the data (`SELECT max(updated_at) FROM …`): when it
    /// is unchanged since the current release, the run skips without running `query`.
    var changeQuery: String?
    let fields: [SourceField]
    let timeZone: TimeZone
    let placement: Placement
    let text: PostgresQueryText

    var path: String { "" }
    var displayPath: String { settings.value.shown }
    var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }
    /// No file: the content hash of the release decides whether anything changed.
    var inputFiles: [(path: String, shown: String)]? { nil }

    init(
        settings: PostgresConnectionSettings, query: String, text: PostgresQueryText, parameters: [String: Parameter],
        timeoutSeconds: Int, fields: [SourceField], timeZone: TimeZone, placement: Placement
    ) {
        self.settings = PostgresConnectionSettingsValue(value: settings)
        self.query = query
        self.text = text
        self.parameters = parameters
        self.timeoutSeconds = timeoutSeconds
        self.fields = fields
        self.timeZone = timeZone
        self.placement = placement
    }

    func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        var binds = PostgresBindings()
        for name in text.order {
            switch parameters[name]! {
            case let .integer(value): binds.append(value)
            case let .boolean(value): binds.append(value)
            case let .text(value): binds.append(value)
            }
        }
        try stream(PostgresQuery(unsafeSQL: text.sql, binds: binds)) { bridge throws(PipelineFailure) in
            try consume(bridge, collector: collector, emit)
        }
    }

    /// The SHA-256 of the `changeQuery` result (every cell's type and bytes, in order).
    func changeFingerprint() throws(PipelineFailure) -> ReleaseManifest.InputEntry? {
        guard let changeQuery else { return nil }
        var text = ""
        var rows = 0
        try stream(PostgresQuery(unsafeSQL: changeQuery)) { bridge throws(PipelineFailure) in
            while true {
                switch bridge.take() {
                case let .rows(chunk):
                    for row in chunk {
                        rows += 1
                        guard rows <= 1000 else {
                            throw PipelineFailure.malformedSource(
                                SourceLocation(file: placement.file, field: "source.changeQuery"),
                                problem: "the changeQuery returns more than 1,000 rows; it should return a small summary such as max(updated_at)")
                        }
                        for cell in row {
                            text += "\(cell.dataType.rawValue):" + (cell.bytes.map { Digest.hex(Array($0.readableBytesView)) } ?? "null") + "\t"
                        }
                        text += "\n"
                    }
                case .end: return
                case let .failed(error): throw failure(error, field: "source.changeQuery")
                }
            }
        }
        return .init(path: "\(displayPath) changeQuery", sha256: Digest.sha256(Array(text.utf8)))
    }

    /// Runs `query` on a connection of its own and lets `body` read the rows from the bridge.
    private func stream(_ query: PostgresQuery, _ body: (PostgresRowBridge) throws(PipelineFailure) -> Void) throws(PipelineFailure) {
        let bridge = PostgresRowBridge()
        let executor = PostgresThreadExecutor()
        let thread = Thread { executor.run() }
        thread.name = "opendata-postgresql"
        thread.start()
        let settings = settings.value
        let timeout = timeoutSeconds
        Task(executorPreference: executor) {
            await Self.produce(settings: settings, query: query, timeoutSeconds: timeout, into: bridge)
            executor.stop()
        }
        defer {
            bridge.cancel()
            bridge.waitUntilProducerEnds()
        }
        try body(bridge)
    }

    private func consume(
        _ bridge: PostgresRowBridge, collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        var columns: [Int] = []
        var kinds: [PostgresCellText.Kind] = []
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        let decoders = fields.map(\.decoder)
        var number = 0
        while true {
            let chunk: [PostgresRow]
            switch bridge.take() {
            case let .rows(rows): chunk = rows
            case .end: chunk = []
            case let .failed(error): throw failure(error)
            }
            if chunk.isEmpty { break }
            for record in chunk {
                let cells = Array(record)
                if number == 0 { (columns, kinds) = try resolveColumns(cells) }
                number += 1
                let valid = try decodeRow(&row, fields: fields, collector: collector) { index throws(CellFailure) in
                    let cell = cells[columns[index]]
                    return try decode(cell, kind: kinds[index], with: decoders[index], row: number)
                }
                if valid { try batch.append(row, line: number, emit: emit) }
            }
        }
        guard number > 0 else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: placement.file, field: "source.query"), problem: "the query returns no rows; an empty table is not published",
                code: .noRows)
        }
        try batch.finish(emit: emit)
    }

    /// The result column of each field, and how to read it; a `from:` naming no
    /// column, or a column of a type this source does not read, is an error.
    private func resolveColumns(_ cells: [PostgresCell]) throws(PipelineFailure) -> ([Int], [PostgresCellText.Kind]) {
        let names = cells.map(\.columnName)
        var columns: [Int] = []
        var kinds: [PostgresCellText.Kind] = []
        for field in fields {
            let name = field.from ?? field.field.name
            guard let index = names.firstIndex(of: name) else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: placement.file, field: name),
                    problem: "the query has no column '\(name)'; it has: \(names.joined(separator: ", "))", code: .unknownField)
            }
            guard let kind = PostgresCellText.kind(cells[index].dataType) else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: placement.file, field: name),
                    problem: "the column '\(name)' is of type \(PostgresCellText.name(cells[index].dataType)), which this source does not read; "
                        + "cast it in the query (to numeric, bigint, text, boolean, date or timestamp)", code: .unsupportedType)
            }
            columns.append(index)
            kinds.append(kind)
        }
        return (columns, kinds)
    }

    private func decode(_ cell: PostgresCell, kind: PostgresCellText.Kind, with decoder: ValueDecoder, row: Int) throws(CellFailure)
        -> Value
    {
        let location = SourceLocation(file: displayPath, row: row, field: cell.columnName)
        let text: String
        do {
            guard let value = try PostgresCellText.text(cell.bytes, kind: kind, zone: timeZone) else { return .null }
            text = value
        } catch {
            throw CellFailure(
                location, cell: error.problem, .init(expected: decoder.field.type.expectation(numberFormat: decoder.numberFormat)),
                rowNumber: row)
        }
        let plain = kind != .text && decoder.field.type != .string
        let used = plain ? ValueDecoder(field: decoder.field, numberFormat: .plain) : decoder
        do {
            return UnicodeText.nfc(try used.decode(text))
        } catch {
            throw CellFailure(location, cell: text, error, rowNumber: row)
        }
    }

    /// A driver's error as a publisher can act on it, with no password in it.
    func failure(_ error: any Error, field: String = "source.query") -> PipelineFailure {
        let server = SourceLocation(file: displayPath)
        if let failure = error as? PipelineFailure { return failure }
        guard let error = error as? PSQLError else {
            return .sourceUnreadable(server, reason: "cannot connect to \(settings.value.address): \(error)", code: .cannotConnect)
        }
        let info = error.serverInfo
        let state = info?[.sqlState] ?? ""
        let message = info?[.message] ?? ""
        switch error.code {
        case .server where state.hasPrefix("28"):
            return .sourceUnreadable(
                server, reason: "the server at \(settings.value.address) refused the login of '\(settings.value.user)' (\(state): \(message))",
                code: .authenticationFailed)
        case .server where state == "3D000":
            return .sourceUnreadable(
                server, reason: "the server at \(settings.value.address) has no such database (\(message))", code: .cannotConnect)
        case .server where state == "57014":
            return .sourceUnreadable(
                SourceLocation(file: placement.file, field: field),
                reason: "the query ran longer than timeoutSeconds (\(timeoutSeconds) s) and the server cancelled it", code: .queryTimeout)
        case .server:
            var location = SourceLocation(file: placement.file, field: field)
            if field == "source.query", let position = info?[.position].flatMap(Int.init), let offset = text.written(position: position) {
                location = placement.location(ofCharacter: offset, in: query)
            }
            var reason = "the server refused the query (\(state)): \(message)"
            if let hint = info?[.hint] { reason += "; hint: \(hint)" }
            return .malformedSource(location, problem: reason, code: .queryFailed)
        case .authMechanismRequiresPassword:
            return .sourceUnreadable(
                server,
                reason:
                    "the server at \(settings.value.address) asks for a password and none is set (in the connection URL, PGPASSWORD or PGPASSFILE)",
                code: .authenticationFailed)
        case .sslUnsupported:
            return .sourceUnreadable(
                server, reason: "the server at \(settings.value.address) does not offer TLS and sslmode is \(settings.value.sslMode)",
                code: .cannotConnect)
        default:
            let underlying = error.underlying.map { "\($0)" } ?? "\(error.code)"
            let reason =
                underlying.contains("Connection refused")
                ? "connection refused"
                : underlying.lowercased().contains("timed out") || underlying.contains("connectTimeout") ? "timed out" : underlying
            return .sourceUnreadable(server, reason: "cannot connect to \(settings.value.address) (\(reason))", code: .cannotConnect)
        }
    }

    private static func produce(settings: PostgresConnectionSettings, query: PostgresQuery, timeoutSeconds: Int, into bridge: PostgresRowBridge)
        async
    {
        let logger = Logger(label: "opendata.postgresql") { _ in SwiftLogNoOpLogHandler() }
        let connection: PostgresConnection
        do {
            var configuration = PostgresConnection.Configuration(
                host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                database: settings.database, tls: try settings.tls())
            configuration.options.connectTimeout = .seconds(30)
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            bridge.fail(error)
            return
        }
        do {
            try await connection.query("BEGIN TRANSACTION READ ONLY", logger: logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: "SET LOCAL statement_timeout = \(Int64(timeoutSeconds) * 1000)"), logger: logger)
            let rows = try await connection.query(query, logger: logger)
            var chunk: [PostgresRow] = []
            chunk.reserveCapacity(PostgresRowBridge.chunkSize)
            for try await row in rows {
                chunk.append(row)
                if chunk.count == PostgresRowBridge.chunkSize {
                    guard await bridge.put(chunk) else { break }
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { _ = await bridge.put(chunk) }
            bridge.finish()
        } catch {
            bridge.fail(error)
        }
        try? await connection.close()
    }
}

/// The connection settings, kept out of the extractor's description (no password in a dump).
struct PostgresConnectionSettingsValue: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let value: PostgresConnectionSettings
    var description: String { value.shown }
    var debugDescription: String { value.shown }
}
