import Foundation
import Testing

/// The server that Scripts/postgres-test-cluster starts (and .ci/run exports); unset on a
/// developer's machine without PostgreSQL, and then these tests are skipped.
private let postgresURL = ProcessInfo.processInfo.environment["OPENDATA_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

/// `type: postgresql` against a real server, through the `opendata` command.
@Suite(
    "PostgreSQL source, against a server", .serialized,
    .enabled(if: postgresURL != nil, "OPENDATA_TEST_POSTGRES_URL is not set: run eval \"$(Scripts/postgres-test-cluster start)\""))
struct PostgreSQLSourceTests {
    /// A folder with one pipeline, `Pipelines/pg.yml`, holding `datasets`.
    final class Folder {
        let url: URL

        init(datasets: String) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-pg-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url.appendingPathComponent("Pipelines"), withIntermediateDirectories: true)
            let text = """
                id: pg
                title: {vi: Thử nghiệm, en: Test}
                description: {vi: Mô tả, en: Description}
                publisher: {name: Sở TT&TT}
                license: {name: CC-BY-4.0}
                baseURL: https://data.example.vn
                timeZone: Asia/Ho_Chi_Minh
                datasets:
                \(datasets)
                """
            try text.write(to: url.appendingPathComponent("Pipelines/pg.yml"), atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func run(url connection: String = postgresURL ?? "", arguments: [String] = ["run"]) throws -> ProcessResult {
            try opendata(arguments, in: url, environment: ["PG_URL": connection])
        }

        /// A failing run with `--log-format json`: its exit status and each logged error's code and message.
        func errors(url connection: String = postgresURL ?? "") throws -> (status: Int32, errors: [(code: String, message: String)], text: String) {
            let result = try run(url: connection, arguments: ["run", "--log-format", "json"])
            var errors: [(code: String, message: String)] = []
            for line in (result.stderr + "\n" + result.stdout).split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let code = object["code"] as? String, let message = object["message"] as? String
                else { continue }
                errors.append((code, message))
            }
            return (result.status, errors, result.stdout + result.stderr)
        }

        func read(_ path: String) throws -> String {
            try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8)
        }

        /// Every file under Output/, as text.
        func published() throws -> String {
            var text = ""
            let output = url.appendingPathComponent("Output")
            guard let walker = FileManager.default.enumerator(at: output, includingPropertiesForKeys: nil) else { return "" }
            for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                text += String(decoding: try Data(contentsOf: file), as: UTF8.self)
            }
            return text
        }
    }

    static func dataset(id: String = "table", query: String, fields: String, extra: String = "", steps: String = "") -> String {
        let block = query.split(separator: "\n", omittingEmptySubsequences: false).map { "          \($0)" }.joined(separator: "\n")
        return """
              - id: \(id)
                title: {vi: Bảng, en: Table}
                description: {vi: Mô tả, en: Description}
                source:
                  type: postgresql
                  connection: PG_URL\(extra)
                  query: |
            \(block)
                fields: \(fields)\(steps)
                publish: [csv]
            """
    }

    static let typeFields = """
        [{name: id, type: integer}, {name: amount, type: number}, {name: small, type: integer}, {name: big, type: integer},
             {name: label, type: string}, {name: code, type: string}, {name: flag, type: boolean}, {name: day, type: date},
             {name: moment, type: datetime}, {name: instant, type: datetime}]
        """

    @Test func mapsEveryTypeExactlyAndNullsToEmptyCells() throws {
        let folder = try Folder(
            datasets: Self.dataset(
                query: "SELECT id, amount, small, big, label, code, flag, day, moment, instant\nFROM types_sample ORDER BY id",
                fields: Self.typeFields))
        let result = try folder.run()
        #expect(result.status == 0, "\(result.stderr)")
        let table = parseCSV(try folder.read("Output/current/pg/data/table.csv"))
        #expect(
            table == [
                ["id", "amount", "small", "big", "label", "code", "flag", "day", "moment", "instant"],
                [
                    "1", "17.90", "7", "9007199254740993", "Hà Nội", "HN", "true", "2024-05-01", "2024-05-01T12:30:00.25",
                    "2024-05-01T19:30:00+07:00",
                ],
                [
                    "2", "-0.05", "-32768", "-9007199254740993", "Đà Nẵng", "DN", "false", "1999-12-31", "1999-12-31T23:59:59",
                    "2000-01-01T00:00:00+07:00",
                ],
                ["3", "", "", "", "", "", "", "", "", ""],
            ])
    }

    @Test func numericWithMoreDigitsThanANumberCarriesIsATypeErrorNotARounding() throws {
        let folder = try Folder(
            datasets: Self.dataset(query: "SELECT 12345678901234567.891::numeric AS amount", fields: "[{name: amount, type: number}]"))
        let result = try folder.errors()
        #expect(result.status == 65)
        #expect(result.errors.contains { $0.code == "type-error" && $0.message.contains("'12345678901234567.891' is not valid") }, "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("Output/current").path))
    }

    @Test func aColumnOfAnotherTypeIsAnErrorNamingColumnAndType() throws {
        let folder = try Folder(datasets: Self.dataset(query: "SELECT token FROM types_sample", fields: "[{name: token, type: string}]"))
        let result = try folder.errors()
        #expect(result.status == 65)
        #expect(
            result.errors.contains {
                $0.code == "unsupported-type"
                    && $0.message.contains("'token': the column 'token' is of type uuid, which this source does not read; cast it in the query")
            }, "\(result.text)")
    }

    @Test func theServersErrorPositionIsTheLineAndColumnInThePipelineFile() throws {
        // The dataset's query block starts on line 16 of the file; the typo is on its second line, column 8.
        let folder = try Folder(
            datasets: Self.dataset(query: "SELECT level,\n       count(*) AS n\nFROM procedures GROUP BY levle", fields: "[{name: n, type: integer}]")
        )
        let lines = try folder.read("Pipelines/pg.yml").split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("GROUP BY levle") }) + 1
        let column = try #require(lines[line - 1].range(of: "levle")).lowerBound.utf16Offset(in: lines[line - 1]) + 1
        let result = try folder.errors()
        #expect(result.status == 65)
        #expect(
            result.errors.contains {
                $0.code == "query-failed"
                    && $0.message.contains(
                        "Pipelines/pg.yml, line \(line), column \(column), 'source.query': the server refused the query (42703): column \"levle\" does not exist"
                    )
            }, "\(result.text)")
    }

    @Test func aFromNamingNoColumnListsTheColumns() throws {
        let folder = try Folder(
            datasets: Self.dataset(query: "SELECT level, count(*) AS n FROM procedures GROUP BY level", fields: "[{name: total, type: integer}]"))
        let result = try folder.errors()
        #expect(result.status == 65)
        #expect(
            result.errors.contains {
                $0.code == "unknown-field" && $0.message.contains("'total': the query has no column 'total'; it has: level, n")
            },
            "\(result.text)")
    }

    @Test func parametersAreBoundByTheDriver() throws {
        let folder = try Folder(
            datasets: Self.dataset(
                query: "SELECT count(*) AS n FROM procedures WHERE level = :level AND code <> :code",
                fields: "[{name: n, type: integer}]", extra: "\n      parameters: {level: 3, code: \"x'; DROP TABLE procedures; --\"}"))
        let result = try folder.run()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(parseCSV(try folder.read("Output/current/pg/data/table.csv")) == [["n"], ["386"]])
    }

    @Test func aWrongPasswordIsRefusedAndNoPasswordAppearsAnywhere() throws {
        let url = try #require(postgresURL)
        let real = try #require(URLComponents(string: url)?.password)
        var wrong = try #require(URLComponents(string: url))
        wrong.password = "not-the-secret-4711"
        let folder = try Folder(
            datasets: Self.dataset(query: "SELECT count(*) AS n FROM procedures", fields: "[{name: n, type: integer}]"))
        let wrongURL = try #require(wrong.string)
        let refused = try folder.errors(url: wrongURL)
        #expect(refused.status == 66)
        #expect(
            refused.errors.contains { $0.code == "authentication-failed" && $0.message.contains("refused the login of 'opendata_test' (28P01") },
            "\(refused.text)")
        let refusedText = try folder.run(url: wrongURL)
        #expect(refusedText.stderr.contains("refused the login of 'opendata_test'"))
        // A successful run, then every output: nothing holds either password.
        let published = try folder.run(arguments: ["run", "--verbose"])
        #expect(published.status == 0, "\(published.stderr)")
        let everything = refused.text + refusedText.stdout + refusedText.stderr + published.stdout + published.stderr + (try folder.published())
        #expect(everything.contains("opendata_test"))
        #expect(!everything.contains("not-the-secret-4711"))
        #expect(!everything.contains(real))
    }

    @Test func withoutConnectionThePGVariablesAndThePasswordFileAreUsed() throws {
        let text = try #require(postgresURL)
        let url = try #require(URLComponents(string: text))
        let dataset = Self.dataset(query: "SELECT count(*) AS n FROM procedures", fields: "[{name: n, type: integer}]")
        let folder = try Folder(datasets: dataset.replacingOccurrences(of: "      connection: PG_URL\n", with: ""))
        let passwords = folder.url.appendingPathComponent("pgpass")
        try "*:*:*:\(url.user ?? ""):\(url.password ?? "")\n".write(to: passwords, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwords.path)
        let environment = [
            "PGHOST": url.host ?? "", "PGPORT": "\(url.port ?? 5432)", "PGUSER": url.user ?? "", "PGDATABASE": "opendata_test",
            "PGSSLMODE": "prefer", "PGPASSFILE": passwords.path,
        ]
        let result = try opendata(["run"], in: folder.url, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(parseCSV(try folder.read("Output/current/pg/data/table.csv")) == [["n"], ["1883"]])
    }

    @Test func aServerThatCannotBeReachedIsNamedByHostAndPort() throws {
        // A port nothing listens on: bound and closed again.
        let socket = unusedPort()
        let url = try #require(postgresURL)
        var wrong = try #require(URLComponents(string: url))
        wrong.port = socket
        let folder = try Folder(datasets: Self.dataset(query: "SELECT 1 AS n", fields: "[{name: n, type: integer}]"))
        let wrongURL = try #require(wrong.string)
        let result = try folder.errors(url: wrongURL)
        #expect(result.status == 66)
        #expect(
            result.errors.contains {
                $0.code == "cannot-connect" && $0.message.hasSuffix("cannot connect to 127.0.0.1:\(socket) (connection refused)")
            },
            "\(result.text)")
    }

    @Test func aQueryOverItsTimeoutIsCancelled() throws {
        let folder = try Folder(
            datasets: Self.dataset(
                query: "SELECT 1 AS n FROM pg_sleep(30)", fields: "[{name: n, type: integer}]", extra: "\n      timeoutSeconds: 1"))
        let result = try folder.errors()
        #expect(result.status == 66)
        #expect(
            result.errors.contains {
                $0.code == "query-timeout" && $0.message.contains("the query ran longer than timeoutSeconds (1 s) and the server cancelled it")
            }, "\(result.text)")
    }

    @Test func theTransactionIsReadOnly() throws {
        let folder = try Folder(
            datasets: Self.dataset(
                query: "WITH gone AS (DELETE FROM procedures RETURNING level) SELECT count(*) AS n FROM gone", fields: "[{name: n, type: integer}]"))
        let result = try folder.errors()
        #expect(result.status == 65)
        #expect(
            result.errors.contains { $0.code == "query-failed" && $0.message.contains("(25006): cannot execute SELECT in a read-only transaction") },
            "\(result.text)")
        // Nothing was deleted.
        let count = try Folder(datasets: Self.dataset(query: "SELECT count(*) AS n FROM procedures", fields: "[{name: n, type: integer}]"))
        #expect(try count.run().status == 0)
        #expect(parseCSV(try count.read("Output/current/pg/data/table.csv")) == [["n"], ["1883"]])
    }

    @Test func aGroupByPushedDownPublishesWhatAnAggregateStepComputesFromTheRows() throws {
        let pushed = Self.dataset(
            id: "pushed", query: "SELECT level, count(*) AS procedures FROM procedures GROUP BY level ORDER BY level",
            fields: "[{name: level, type: integer}, {name: procedures, type: integer}]")
        let pulled = Self.dataset(
            id: "pulled", query: "SELECT code, level FROM procedures", fields: "[{name: code, type: string}, {name: level, type: integer}]",
            steps: "\n    steps:\n      - aggregate: {groupBy: [level], measures: [{name: procedures, count: all}]}")
        let folder = try Folder(datasets: pushed + "\n" + pulled)
        let result = try folder.run()
        #expect(result.status == 0, "\(result.stderr)")
        let pushedCSV = try folder.read("Output/current/pg/data/pushed.csv")
        #expect(parseCSV(pushedCSV) == [["level", "procedures"], ["2", "1327"], ["3", "386"], ["4", "170"]])
        #expect(try folder.read("Output/current/pg/data/pulled.csv") == pushedCSV)
    }

    @Test func anUnchangedChangeQuerySkipsThePipelineWithoutRunningTheQuery() throws {
        let url = try #require(postgresURL)
        func psql(_ sql: String) throws {
            let result = try run(
                URL(fileURLWithPath: "/usr/bin/env"), ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], in: repositoryRoot)
            #expect(result.status == 0, "\(result.stderr)")
        }
        try psql("DROP TABLE IF EXISTS watched; CREATE TABLE watched (value int4, version int4); INSERT INTO watched VALUES (1, 1)")
        let folder = try Folder(
            datasets: Self.dataset(
                query: "SELECT sum(value) AS total FROM watched", fields: "[{name: total, type: integer}]",
                extra: "\n      changeQuery: SELECT max(version) FROM watched"))
        let first = try folder.run()
        #expect(first.status == 0, "\(first.stderr)")
        // The data changes but the change query's result does not: the run is skipped, the old figure stays.
        try psql("INSERT INTO watched VALUES (41, 1)")
        let skipped = try folder.run()
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stdout.hasPrefix("unchanged"), "\(skipped.stdout)")
        #expect(parseCSV(try folder.read("Output/current/pg/data/table.csv")) == [["total"], ["1"]])
        // The change query's result changes: the query runs and the new figure is published.
        try psql("UPDATE watched SET version = 2")
        let published = try folder.run()
        #expect(published.status == 0, "\(published.stderr)")
        #expect(!published.stdout.hasPrefix("unchanged"))
        #expect(parseCSV(try folder.read("Output/current/pg/data/table.csv")) == [["total"], ["42"]])
    }

    @Test func theExampleCountsTheCatalogueByServiceLevelInSQL() throws {
        let url = try #require(postgresURL)
        let load = try run(
            repositoryRoot.appendingPathComponent("Examples/postgresql/load-procedures.sh"), [], in: repositoryRoot,
            environment: ["DATABASE_URL": url])
        #expect(load.status == 0, "\(load.stderr)")
        #expect(load.stdout.contains("loaded 1883 procedures into thu_tuc"))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-pg-example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try opendata(
            ["run", "--pipelines", "Examples/postgresql", "--output", output.path], in: repositoryRoot, environment: ["DATABASE_URL": url])
        #expect(result.status == 0, "\(result.stderr)")
        let table = parseCSV(
            try String(
                contentsOf: output.appendingPathComponent("current/procedures-by-level-sql/data/procedures-by-level.csv"), encoding: .utf8))
        #expect(table == [["service_level", "procedures"], ["1", "412"], ["2", "915"], ["3", "386"], ["4", "170"], ["", "1883"]])
    }

    @Test func aMillionRowsStreamInFlatMemory() throws {
        let folder = try Folder(
            datasets: Self.dataset(
                query: "SELECT n AS id, ((n % 100000) / 100.0)::numeric(12,2) AS amount, 'row ' || n AS label\nFROM generate_series(1, 1000000) AS n",
                fields: "[{name: id, type: integer}, {name: amount, type: number}, {name: label, type: string}]"))
        let url = try #require(postgresURL)
        let timed = try run(
            URL(fileURLWithPath: "/usr/bin/time"), ["-v", opendataExecutable.path, "run"], in: folder.url, environment: ["PG_URL": url])
        #expect(timed.status == 0, "\(timed.stderr.suffix(2000))")
        let line = try #require(timed.stderr.split(separator: "\n").first { $0.contains("Maximum resident set size (kbytes)") })
        let kilobytes = try #require(Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)))
        print("postgresql: 1,000,000 rows published with a peak RSS of \(kilobytes / 1024) MB")
        // Held in memory, a million rows of three values would take several hundred megabytes.
        #expect(kilobytes < 100 * 1024, "peak RSS \(kilobytes) kB")
        let csv = try folder.read("Output/current/pg/data/table.csv")
        let table = parseCSV(csv)
        #expect(table.count == 1_000_001)
        #expect(table.first == ["id", "amount", "label"])
        #expect(table.dropFirst().first == ["1", "0.01", "row 1"])
        #expect(table.last == ["1000000", "0.00", "row 1000000"])
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on (bound, then closed).
private func unusedPort() -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
