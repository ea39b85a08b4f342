import Foundation
import GRDB
@testable import OpenDataPipeline
import Testing

@Suite("SQLite")
struct SQLiteExtractorTests {
    private static let fields = [
        SourceField(field: Field(name: "ma", type: .string, constraints: .init(required: true)), numberFormat: .vi),
        SourceField(field: Field(name: "ten", type: .string), numberFormat: .vi),
        SourceField(field: Field(name: "muc_do", type: .integer, constraints: .init(minimum: .init(1), maximum: .init(4))), numberFormat: .vi),
        SourceField(field: Field(name: "ty_le", type: .number), numberFormat: .vi),
    ]

    /// A database with a table `thu_tuc` holding `rows` (SQL value lists).
    private func database(_ rows: [String], in directory: TemporaryDirectory) throws -> String {
        let path = directory.url.appendingPathComponent("db.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE thu_tuc (ma TEXT, ten TEXT, muc_do, ty_le)")
            for row in rows { try db.execute(sql: "INSERT INTO thu_tuc VALUES (\(row))") }
        }
        try queue.close()
        return path
    }

    private func rows(_ path: String, query: String = "SELECT * FROM thu_tuc ORDER BY ma") throws -> [[Value]] {
        var rows: [[Value]] = []
        try SQLiteExtractor(path: path, displayPath: "db.sqlite", query: query, fields: Self.fields).extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        return rows
    }

    @Test func typesEachColumnFromTheDeclaredSchema() throws {
        let directory = try TemporaryDirectory()
        let path = try database(
            [
                "'01', 'Hà Nội', 3, 0.295", "'048', 'Đà Nẵng', '4', '1.234,5'", "'79', NULL, NULL, 12",
            ], in: directory)
        #expect(
            try rows(path) == [
                [.string("01"), .string("Hà Nội"), .integer(3), .number(DecimalNumber(units: 295, scale: 3))],
                [.string("048"), .string("Đà Nẵng"), .integer(4), .number(DecimalNumber(units: 12345, scale: 1))],
                [.string("79"), .null, .null, .number(DecimalNumber(units: 12))],
            ])
    }

    @Test func namesTheRowAndColumnOfABadValue() throws {
        let directory = try TemporaryDirectory()
        let path = try database(["'01', 'a', 3, 1", "'02', 'b', 7, 1"], in: directory)
        #expect(
            failure { try rows(path) } as? PipelineFailure
                == .badValue(
                    SourceLocation(file: "db.sqlite", row: 2, field: "muc_do"), value: "7", expected: "a value from 1 to 4",
                    code: .constraintError))
    }

    @Test func refusesARealWhereAnIntegerIsDeclared() throws {
        let directory = try TemporaryDirectory()
        let path = try database(["'01', 'a', 2.5, 1"], in: directory)
        #expect(failure { try rows(path) } is PipelineFailure)
    }

    /// Statements that write, attach another file or are not one SELECT are refused before they run,
    /// with a message that names them (not "the query has no column 'ma'; it has: ").
    @Test(arguments: [
        ("DELETE FROM thu_tuc", "'DELETE FROM thu_tuc' is a DELETE statement that writes"),
        ("ATTACH DATABASE 'other.sqlite' AS other", "'ATTACH DATABASE 'other.sqlite' AS other' is an ATTACH statement"),
        ("VACUUM INTO 'copy.sqlite'", "'VACUUM INTO 'copy.sqlite'' is a VACUUM statement that writes"),
        ("PRAGMA user_version = 7", "'PRAGMA user_version = 7' is a PRAGMA statement that writes"),
        ("PRAGMA table_info(thu_tuc)", "'PRAGMA table_info(thu_tuc)' is a PRAGMA statement"),
        (
            "WITH gone AS (SELECT 1) DELETE FROM thu_tuc",
            "'WITH gone AS (SELECT 1) DELETE FROM thu_tuc' is a WITH statement that writes"
        ),
        (
            "SELECT * FROM thu_tuc; DELETE FROM thu_tuc",
            "it has more than one statement: 'SELECT * FROM thu_tuc' is followed by 'DELETE FROM thu_tuc'"
        ),
    ])
    func refusesAQueryThatIsNotOneReadOnlySelect(query: String, problem: String) throws {
        let directory = try TemporaryDirectory()
        let path = try database(["'01', 'a', 3, 1"], in: directory)
        #expect(
            failure { try rows(path, query: query) } as? PipelineFailure
                == .malformedSource(
                    SourceLocation(file: "db.sqlite", field: "query"), problem: "the query must be a single read-only SELECT; \(problem)"))
        // Nothing ran: the row, the version and the folder are as they were.
        let queue = try DatabaseQueue(path: path)
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM thu_tuc") } == 1)
        #expect(try queue.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 0)
        try queue.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["db.sqlite"])
    }

    @Test func acceptsOneSelectWithATrailingSemicolonOrAWithClause() throws {
        let directory = try TemporaryDirectory()
        let path = try database(["'01', 'a', 3, 1"], in: directory)
        #expect(try rows(path, query: "SELECT * FROM thu_tuc;").count == 1)
        #expect(try rows(path, query: "-- the services\nWITH s AS (SELECT * FROM thu_tuc) SELECT * FROM s").count == 1)
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("ma,ten\n01,Hà Nội\n", to: "db.sqlite")
        #expect("\(failure { try rows(path) }!)".contains("not an SQLite database"))
    }

    @Test func refusesATruncatedDatabaseClearly() throws {
        let directory = try TemporaryDirectory()
        let path = try database((1...2000).map { "'\($0)', 'tên thủ tục số \($0)', 1, 1" }, in: directory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: path))
        let error = failure { try rows(path) }
        guard case let PipelineFailure.malformedSource(_, problem, _)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(problem.contains("damaged"))
    }

    @Test func opensTheDatabaseReadOnly() throws {
        let directory = try TemporaryDirectory()
        let path = try database(["'01', 'a', 3, 1"], in: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(failure { try rows(path, query: "DELETE FROM thu_tuc RETURNING *") } != nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func explainsAMissingColumnABadQueryAndAnEmptyResult() throws {
        let directory = try TemporaryDirectory()
        let path = try database(["'01', 'a', 3, 1"], in: directory)
        #expect("\(failure { try rows(path, query: "SELECT ma FROM thu_tuc") }!)".contains("no column 'ten'"))
        #expect("\(failure { try rows(path, query: "SELEC * FROM thu_tuc") }!)".contains("not valid"))
        #expect("\(failure { try rows(path, query: "SELECT * FROM thu_tuc WHERE 0") }!)".contains("no rows"))
    }

    @Test func readsTheExampleCatalogueWithTheReportsCounts() throws {
        let path = repositoryRoot.appendingPathComponent("Pipelines/vietnam-digital-government/administrative-procedures.sqlite").path
        var levels: [Int64: Int] = [:]
        let fields = [SourceField(field: Field(name: "muc_do", type: .integer), numberFormat: .plain)]
        try SQLiteExtractor(path: path, displayPath: "catalogue", query: "SELECT muc_do FROM thu_tuc", fields: fields).extract { batch in
            for row in 0..<batch.rowCount { if case let .integer(level) = batch[row, 0] { levels[level, default: 0] += 1 } }
        }
        #expect(levels.values.reduce(0, +) == 1883)
        #expect(levels[3] == 386)
        #expect(levels[4] == 170)
    }
}
