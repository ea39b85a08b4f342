import Foundation
import GRDB
import Logging
@testable import OpenDataPipeline
import Testing

/// The pipeline's SQLite database, read by Python's `sqlite3` module and served by Datasette.
@Suite("SQLite output")
struct SQLiteOutputTests {
    static let python = validatorPython(with: ["datasette"])

    private func pipeline(_ directory: TemporaryDirectory) throws -> Pipeline {
        try directory.write("code,name\n01,Hà Nội\n79,\"Hồ Chí Minh, TP\"\n", to: "p/areas.csv")
        try directory.write(
            """
            area,year,people,share,day,flag,note
            01,2018,7500000,29.50,2018-09-18,true,"=1+1"
            79,2018,8900000,0.10,,false,
            01,2019,1234567890123456789,100.00,2019-01-01,,"two
            lines"

            """, to: "p/counts.csv")
        let path = try directory.write(
            testPipelineHeader + """

                  - id: areas
                    title: {vi: Địa bàn, en: Areas}
                    description: {vi: Mô tả, en: Description}
                    source: {type: csv, path: p/areas.csv}
                    fields:
                      - {name: code, type: string}
                      - {name: name, type: string}
                    primaryKey: [code]
                    publish: [csv]
                  - id: counts
                    title: {vi: Số liệu, en: Counts}
                    description: {vi: Mô tả, en: Description}
                    illustrative: {vi: Minh họa., en: Illustrative.}
                    source: {type: csv, path: p/counts.csv}
                    fields:
                      - {name: area, type: string}
                      - {name: year, type: year}
                      - {name: people, type: integer, title: {vi: Dân số, en: Population}, unit: người}
                      - {name: share, type: number, decimals: 2}
                      - {name: day, type: date}
                      - {name: flag, type: boolean}
                      - {name: note, type: string}
                    primaryKey: [area, year]
                    uniqueKeys: [[day]]
                    foreignKeys: [{fields: [area], reference: {resource: areas, fields: [code]}}]
                    publish: [csv]

                """, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    private func runner(_ directory: TemporaryDirectory) -> PipelineRunner {
        PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: 1_537_236_000) })
    }

    private static let folder = "Output/current/test-pipeline"

    /// `database: false` publishes no database: no file, no Data Package resource, no catalogue link.
    @Test func databaseFalsePublishesNone() throws {
        let directory = try TemporaryDirectory()
        try directory.write("code,name\n01,Hà Nội\n", to: "p/areas.csv")
        let yaml =
            testPipelineHeader.replacingOccurrences(of: "datasets:", with: "database: false\ndatasets:") + """

                  - id: areas
                    title: {vi: Địa bàn, en: Areas}
                    description: {vi: Mô tả, en: Description}
                    source: {type: csv, path: p/areas.csv}
                    fields:
                      - {name: code, type: string}
                      - {name: name, type: string}
                    publish: [csv]

                """
        let path = try directory.write(yaml, to: "p.yml")
        let pipeline = try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
        #expect(pipeline.publishesDatabase == false)
        _ = try runner(directory).run([pipeline])
        let folder = directory.url.appendingPathComponent(Self.folder)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/areas.csv").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("test-pipeline.sqlite").path))
        let package = try String(contentsOf: folder.appendingPathComponent("datapackage.json"), encoding: .utf8)
        #expect(!package.contains("sqlite"))
        let catalog = try String(contentsOf: directory.url.appendingPathComponent("Output/current/catalog.json"), encoding: .utf8)
        #expect(!catalog.contains("\"database\""))
        #expect(!catalog.contains(".sqlite"))

        // Anything but a boolean is refused at its position.
        let wrong = try directory.write(yaml.replacingOccurrences(of: "database: false", with: "database: sometimes"), to: "q.yml")
        #expect {
            try PipelineLoader().load(path: wrong, displayPath: "Pipelines/q.yml")
        } throws: { error in
            "\(error)".hasPrefix("Pipelines/q.yml, line 8, column 11, 'database': ") && "\(error)".contains("sometimes")
        }
    }

    @Test func everyDatasetIsATypedTableWithItsKeysAndTheMetadataTablesDescribeThem() throws {
        let directory = try TemporaryDirectory()
        let report = try runner(directory).run([pipeline(directory)])
        #expect(report.datasets.map(\.rows) == [2, 3])
        let path = directory.url.appendingPathComponent("\(Self.folder)/test-pipeline.sqlite").path
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.read { db in
            let columns = try Row.fetchAll(db, sql: "SELECT name, type, pk FROM pragma_table_info('counts') ORDER BY cid")
            #expect(
                columns.map { [$0["name"], $0["type"], String($0["pk"] as Int)] as [String] } == [
                    ["area", "TEXT", "1"], ["year", "INTEGER", "2"], ["people", "INTEGER", "0"], ["share", "REAL", "0"], ["day", "TEXT", "0"],
                    ["flag", "INTEGER", "0"], ["note", "TEXT", "0"],
                ])
            // The stored types, row by row: the codes stay text, the big integer exact, the empty cells NULL.
            let stored = try Row.fetchAll(
                db,
                sql: "SELECT typeof(area) || ' ' || area, typeof(people) || ' ' || people, typeof(share) || ' ' || share, "
                    + "typeof(day), typeof(flag) || ' ' || coalesce(flag, ''), typeof(note) FROM counts ORDER BY rowid")
            #expect(
                stored.map { row in (0..<6).map { row[$0] as String } } == [
                    ["text 01", "integer 7500000", "real 29.5", "text", "integer 1", "text"],
                    ["text 79", "integer 8900000", "real 0.1", "null", "integer 0", "null"],
                    ["text 01", "integer 1234567890123456789", "real 100.0", "text", "null ", "text"],
                ])
            #expect(try String.fetchOne(db, sql: "SELECT note FROM counts WHERE year = 2019") == "two\nlines")
            let indexes = try Row.fetchAll(db, sql: "SELECT name, \"unique\", origin FROM pragma_index_list('counts') ORDER BY name")
            #expect(
                indexes.map { "\($0["name"] as String) \($0["unique"] as Int) \($0["origin"] as String)" } == [
                    "counts_foreign_1 0 c", "counts_unique_1 1 c", "sqlite_autoindex_counts_1 1 pk",
                ])
            #expect(try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('counts_foreign_1')") == ["area"])
            let foreign = try Row.fetchOne(db, sql: "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('counts')")
            #expect(foreign.map { [$0[0], $0[1], $0[2]] as [String] } == ["areas", "area", "code"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            let datasets = try Row.fetchAll(
                db,
                sql: "SELECT dataset, title_vi, title_en, license, release, illustrative_en, rows, rounded_numbers FROM _datasets ORDER BY dataset")
            #expect(
                datasets.map { row in (0..<8).map { (row[$0] as DatabaseValue).description } } == [
                    ["\"areas\"", "\"Địa bàn\"", "\"Areas\"", "\"CC-BY-4.0\"", "\"20180918T020000Z\"", "NULL", "2", "0"],
                    ["\"counts\"", "\"Số liệu\"", "\"Counts\"", "\"CC-BY-4.0\"", "\"20180918T020000Z\"", "\"Illustrative.\"", "3", "0"],
                ])
            let fields = try Row.fetchAll(
                db, sql: "SELECT field, type, sqlite_type, title_vi, unit, decimals FROM _fields WHERE dataset = 'counts' ORDER BY position")
            #expect(
                fields.map { row in (0..<6).map { (row[$0] as DatabaseValue).description } }[2...3] == [
                    ["\"people\"", "\"integer\"", "\"INTEGER\"", "\"Dân số\"", "\"người\"", "NULL"],
                    ["\"share\"", "\"number\"", "\"REAL\"", "NULL", "NULL", "2"],
                ])
        }
        // The Data Package lists it as the pipeline's file.
        let package = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.url.appendingPathComponent("\(Self.folder)/datapackage.json")))
                as? [String: Any])
        let resource = try #require((package["resources"] as? [[String: Any]])?.first { $0["path"] as? String == "test-pipeline.sqlite" })
        #expect(resource["name"] as? String == "test-pipeline-sqlite")
        #expect(resource["mediatype"] as? String == "application/vnd.sqlite3")
        #expect(resource["format"] as? String == "sqlite")
        #expect(resource["type"] as? String == "file")
        #expect(resource["encoding"] == nil)
        #expect(resource["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
    }

    @Test func theDatabaseIsTheSameBytesForTheSameRows() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        _ = try runner(first).run([pipeline(first)])
        _ = try runner(second).run([pipeline(second)])
        let path = "\(Self.folder)/test-pipeline.sqlite"
        #expect(try Data(contentsOf: first.url.appendingPathComponent(path)) == Data(contentsOf: second.url.appendingPathComponent(path)))
        // Nothing but the database is left beside it: no journal, no temporary copy.
        let names = try FileManager.default.contentsOfDirectory(atPath: first.url.appendingPathComponent(Self.folder).path)
        #expect(names.filter { $0.contains("sqlite") } == ["test-pipeline.sqlite"])
    }

    /// Serves the database with Datasette on a free loopback port and compares its JSON rows with the CSV.
    private static let datasetteCheck = #"""
        import csv, decimal, json, socket, subprocess, sys, time, urllib.request
        database, csv_path, package_path, table = sys.argv[1:5]
        schema = next(r for r in json.load(open(package_path, encoding='utf-8'))['resources']
                      if r['path'] == f'data/{table}.csv')['schema']
        fields, key = schema['fields'], schema['primaryKey']
        rows = list(csv.DictReader(open(csv_path, encoding='utf-8', newline='')))
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, '-m', 'datasette', 'serve', database, '--host', '127.0.0.1', '--port', str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            url = f'http://127.0.0.1:{port}/test-pipeline/{table}.json?_shape=array&_size=max'
            for attempt in range(300):
                try:
                    body = urllib.request.urlopen(url, timeout=60).read(); break
                except OSError:
                    if server.poll() is not None: sys.exit('datasette ended: ' + server.stderr.read().decode())
                    time.sleep(0.1)
            else:
                sys.exit('datasette did not answer')
        finally:
            # SIGKILL: a test runner may leave SIGTERM ignored, and its children inherit that.
            server.kill(); server.wait()
        records = json.loads(body)
        problems = []
        if len(records) != len(rows): problems.append(f'{len(records)} records for {len(rows)} rows')
        # Datasette orders a table by its primary key: each record is matched with the CSV row of its key.
        by_key = {tuple(row[k] for k in key): row for row in rows}
        for number, record in enumerate(records, start=1):
            row = by_key.get(tuple(str(record[k]) for k in key))
            if row is None:
                problems.append(f'record {number}: no CSV row has its key'); continue
            for field in fields:
                name, kind, text, value = field['name'], field['type'], row[field['name']], record.get(field['name'])
                if text == '': ok = value is None
                elif kind in ('integer', 'year'): ok = type(value) is int and value == int(text)
                elif kind == 'number': ok = type(value) is float and decimal.Decimal(repr(value)) == decimal.Decimal(text)
                elif kind == 'boolean': ok = value == (1 if text == 'true' else 0)
                else: ok = value == text
                if not ok: problems.append(f'row {number}, {name}: {text!r} served as {value!r}')
        print(json.dumps({'problems': problems, 'records': len(records), 'first': records[0]}, ensure_ascii=False))
        """#

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with datasette (.ci/run installs one)"))
    func datasetteServesEveryDatasetWithTheValuesOfItsCSV() throws {
        let directory = try TemporaryDirectory()
        _ = try runner(directory).run([pipeline(directory)])
        let base = directory.url.appendingPathComponent(Self.folder)
        for (table, count) in [("areas", 2), ("counts", 3)] {
            let result = try runTool(
                try #require(Self.python),
                [
                    "-c", Self.datasetteCheck, base.appendingPathComponent("test-pipeline.sqlite").path,
                    base.appendingPathComponent("data/\(table).csv").path, base.appendingPathComponent("datapackage.json").path, table,
                ])
            #expect(result.status == 0, "\(result.error)")
            struct Report: Decodable {
                var problems: [String]
                var records: Int
            }
            let report = try JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
            #expect(report.problems == [])
            #expect(report.records == count)
        }
    }
}
