import Foundation
@testable import OpenDataPipeline
import PostgresNIO
import Testing

/// The PostgreSQL source's parts that need no server: parameters, cell texts,
/// connection settings and definition errors (the server tests are in EndToEndTests).
@Suite("PostgreSQL source without a server")
struct PostgreSQLSourceUnitTests {
    @Test func namedParametersBecomeNumberedOnesOutsideQuotesCommentsAndCasts() throws {
        let query = "SELECT ':level', \"a:b\", x::int -- :code\nFROM t WHERE level = :level /* :code */ AND code = :code AND l2 = :level"
        let text = try PostgresQueryText(query, parameters: ["code", "level"])
        #expect(text.sql == "SELECT ':level', \"a:b\", x::int -- :code\nFROM t WHERE level = $1 /* :code */ AND code = $2 AND l2 = $1")
        #expect(text.order == ["level", "code"])
        // The server's position of `$2` (1-based) is the `:code` of the query as written.
        let sent = Array(text.sql)
        let position = try #require(sent.indices.first { sent[$0] == "$" && sent[$0 + 1] == "2" }) + 1
        let written = try #require(text.written(position: position))
        #expect(String(Array(query)[written..<(written + 5)]) == ":code")
    }

    @Test func anUndeclaredOrUnusedParameterIsRefused() {
        #expect(throws: PostgresConnectionSettings.Problem.self) { try PostgresQueryText("SELECT :x", parameters: []) }
        do {
            _ = try PostgresQueryText("SELECT :x", parameters: ["x", "y"])
            Issue.record("an unused parameter was accepted")
        } catch {
            #expect(error.text == "the parameter 'y' is declared but the query does not use :y")
        }
        do {
            _ = try PostgresQueryText("SELECT :lvl", parameters: ["level"])
            Issue.record("an undeclared parameter was accepted")
        } catch {
            #expect(error.text == "the query uses :lvl, which 'parameters' does not declare (it declares: level)")
        }
    }

    /// PostgreSQL's binary numeric: count, weight, sign, scale, base-10,000 digits.
    static func numeric(weight: Int16, negative: Bool = false, scale: Int16, _ digits: [Int16]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(digits.count))
        buffer.writeInteger(weight)
        buffer.writeInteger(UInt16(negative ? 0x4000 : 0))
        buffer.writeInteger(scale)
        for digit in digits { buffer.writeInteger(digit) }
        return buffer
    }

    @Test func numericKeepsItsDigitsAndScale() throws {
        let utc = TimeZone(identifier: "UTC")!
        let cases: [(ByteBuffer, String)] = [
            (Self.numeric(weight: 0, scale: 2, [17, 9000]), "17.90"),
            (Self.numeric(weight: -1, scale: 4, [5]), "0.0005"),
            (Self.numeric(weight: 1, negative: true, scale: 1, [1234, 5678, 9000]), "-12345678.9"),
            (Self.numeric(weight: 2, scale: 0, [1]), "100000000"),
            (Self.numeric(weight: 0, scale: 3, []), "0.000"),
            (Self.numeric(weight: -2, scale: 6, [1200]), "0.000012"),
        ]
        for (buffer, expected) in cases {
            #expect(try PostgresCellText.text(buffer, kind: .numeric, zone: utc) == expected)
        }
        var nan = ByteBuffer()
        nan.writeInteger(Int16(0))
        nan.writeInteger(Int16(0))
        nan.writeInteger(UInt16(0xC000))
        nan.writeInteger(Int16(0))
        #expect(throws: PostgresCellText.Unreadable.self) { try PostgresCellText.text(nan, kind: .numeric, zone: utc) }
    }

    @Test func datesAndTimestampsCountFrom2000AndTimestamptzTakesThePipelinesZone() throws {
        #expect(PostgresCellText.day(0) == "2000-01-01")
        #expect(PostgresCellText.day(-1) == "1999-12-31")
        #expect(PostgresCellText.day(8_887) == "2024-05-01")
        #expect(PostgresCellText.timestamp(0, offset: nil) == "2000-01-01T00:00:00")
        #expect(PostgresCellText.timestamp(-1, offset: nil) == "1999-12-31T23:59:59.999999")
        var instant = ByteBuffer()
        instant.writeInteger(Int64(8_887) * 86_400_000_000 + 45_000_000_000 + 250_000)
        let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        #expect(try PostgresCellText.text(instant, kind: .timestampWithZone, zone: zone) == "2024-05-01T19:30:00.25+07:00")
        #expect(try PostgresCellText.text(nil, kind: .timestampWithZone, zone: zone) == nil)
    }

    @Test func theURLGivesEverySettingAndTheShownFormHasNoPassword() throws {
        let settings = try PostgresConnectionSettings.from(
            environment: ["DB": "postgresql://st%40ts:p%3Ass@db.example.vn:6432/thong_ke?sslmode=verify-full", "PGPASSWORD": "other"],
            variable: "DB"
        ).get()
        #expect(settings.user == "st@ts")
        #expect(settings.password == "p:ss")
        #expect(settings.host == "db.example.vn")
        #expect(settings.port == 6432)
        #expect(settings.database == "thong_ke")
        #expect(settings.sslMode == "verify-full")
        #expect(settings.shown == "postgresql://st@ts@db.example.vn:6432/thong_ke")
        #expect(!"\(PostgresConnectionSettingsValue(value: settings))".contains("p:ss"))
    }

    @Test func thePGVariablesAndThePasswordFileAreReadWhenNoURLIsNamed() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("# comment\nother:5432:*:*:wrong\ndb\\:1:5433:*:opendata:se\\:cret\n", to: "pgpass")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let environment = ["PGHOST": "db:1", "PGPORT": "5433", "PGUSER": "opendata", "PGPASSFILE": file]
        let settings = try PostgresConnectionSettings.from(environment: environment, variable: nil).get()
        #expect(settings.password == "se:cret")
        #expect(settings.database == "opendata")
        #expect(settings.sslMode == "prefer")
        // A password file that others may read is ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(try PostgresConnectionSettings.from(environment: environment, variable: nil).get().password == nil)
    }

    @Test func aMissingVariableOrABadSSLModeIsAProblemWithoutThePassword() {
        guard case let .failure(unset) = PostgresConnectionSettings.from(environment: [:], variable: "DATABASE_URL") else {
            Issue.record("an unset variable was accepted")
            return
        }
        #expect(unset.text == "the environment variable DATABASE_URL (named by 'connection') is not set")
        let bad = PostgresConnectionSettings.from(environment: ["U": "postgresql://a:hunter2@h/d?sslmode=always"], variable: "U")
        guard case let .failure(problem) = bad else {
            Issue.record("a bad sslmode was accepted")
            return
        }
        #expect(problem.text == "sslmode is 'always'; expected one of disable, allow, prefer, require, verify-ca, verify-full")
        #expect(!problem.text.contains("hunter2"))
    }

    static func load(_ source: String) throws -> Pipeline {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            """
            \(testPipelineHeader)
              - id: counts
                title: {vi: Số liệu, en: Counts}
                description: {vi: Mô tả, en: Description}
                source: \(source)
                fields: [{name: n, type: integer}]
                publish: [csv]

            """, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    @Test(arguments: [
        ("{type: postgresql, path: x.sql, query: SELECT 1 AS n}", "a postgresql source reads no file; remove 'path'", 12),
        ("{type: postgresql, query: 'SELECT :lvl AS n'}", "the query uses :lvl, which 'parameters' does not declare (it declares: none)", 12),
        (
            "{type: postgresql, connection: 'MY-URL', query: SELECT 1 AS n}",
            "expected the name of an environment variable holding the connection URL, such as DATABASE_URL", 12
        ),
    ])
    func aDefinitionErrorNamesItsLine(source: String, problem: String, line: Int) {
        do {
            _ = try Self.load(source)
            Issue.record("accepted: \(source)")
        } catch let PipelineFailure.invalidDefinition(location, found, _) {
            #expect(found == problem)
            #expect(location.line == line)
            #expect(location.file == "Pipelines/p.yml")
        } catch {
            Issue.record("\(error)")
        }
    }
}
