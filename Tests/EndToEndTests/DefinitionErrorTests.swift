import Foundation
import GRDB
import Testing

/// Mistakes in a pipeline's queries are definition errors (exit 78, naming the
/// YAML line) found when it is loaded, before any data is read; libxml2 and
/// SQLite print nothing of their own.
@Suite("Definition errors at load time")
struct DefinitionErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var source: String
        var fields: String
        /// The 1-based line of the pipeline the error names, and what it says.
        var line: Int
        var message: String
    }

    static let header = """
        id: t
        title: {vi: T, en: T}
        description: {vi: T, en: T}
        publisher: {name: Sở}
        license: {name: CC-BY-4.0}
        baseURL: https://data.example.vn
        timeZone: Asia/Ho_Chi_Minh
        datasets:
          - id: d
            title: {vi: T, en: T}
            description: {vi: T, en: T}
            publish: [csv]

        """

    static let cases = [
        Case(
            description: "a bad SQL query",
            source: "    source: {type: sqlite, path: t/db.sqlite,\n      query: SELEC code FROM t}\n",
            fields: "      - {name: code, type: string}\n", line: 14, message: "the query is not valid"),
        Case(
            description: "a query that writes",
            source: "    source: {type: sqlite, path: t/db.sqlite,\n      query: DELETE FROM t}\n",
            fields: "      - {name: code, type: string}\n", line: 14,
            message: "the query must be a single read-only SELECT; 'DELETE FROM t' is a DELETE statement that writes"),
        Case(
            description: "an XPath with an unknown function",
            source: "    source: {type: xml, path: t/t.xml, rows: /rows/row}\n",
            fields: "      - {name: code, type: string, from: code}\n      - {name: n, type: string, from: \"uppercase(name)\"}\n",
            line: 16, message: "unknown function 'uppercase()'"),
        Case(
            description: "an XPath row path with an unknown function",
            source: "    source: {type: xml, path: t/t.xml,\n      rows: \"/rows/row[matches(code, '0')]\"}\n",
            fields: "      - {name: code, type: string}\n", line: 14, message: "unknown function 'matches()'"),
        Case(
            description: "a JSON Pointer that cannot be valid",
            source: "    source: {type: json, path: t/t.json,\n      records: /data~2items}\n",
            fields: "      - {name: code, type: string}\n", line: 14, message: "'~' at character 6 must be '~0'"),
        Case(
            description: "a field's JSON Pointer that cannot be valid",
            source: "    source: {type: json, path: t/t.json, records: /data}\n",
            fields: "      - {name: code, type: string, from: \"/a~\"}\n", line: 15, message: "is not a JSON Pointer"),
    ]

    @Test(arguments: cases)
    func isExit78NamingTheLine(_ testCase: Case) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-definition-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("t"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("t/db.sqlite").path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (code TEXT); INSERT INTO t VALUES ('01')") }
        try queue.close()
        try "<rows><row><code>01</code><name>a</name></row></rows>".write(
            to: directory.appendingPathComponent("t/t.xml"), atomically: true, encoding: .utf8)
        try "{\"data\": [{\"code\": \"01\"}]}".write(to: directory.appendingPathComponent("t/t.json"), atomically: true, encoding: .utf8)
        let yaml = Self.header + testCase.source + "    fields:\n" + testCase.fields
        try yaml.write(to: directory.appendingPathComponent("t.yml"), atomically: true, encoding: .utf8)
        for command in ["validate", "run"] {
            let result = try opendata([command, "t.yml", "--quiet"], in: directory)
            #expect(result.status == 78, "\(command): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            // Our line, then the file's line with a caret under the column: nothing else on stderr.
            let sourceLine = yaml.split(separator: "\n", omittingEmptySubsequences: false)[testCase.line - 1]
            #expect(lines.count == 3, "only our lines on stderr: \(result.stderr)")
            #expect(lines.dropFirst().first.map(String.init) == "  " + sourceLine, "\(result.stderr)")
            #expect(lines.last?.hasSuffix("^") == true, "\(result.stderr)")
            #expect(lines.first?.contains("t.yml, line \(testCase.line)") == true, "\(result.stderr)")
            #expect(lines.first?.contains(testCase.message) == true, "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("Output/current").path))
        }
    }

    /// `--log-format json` writes the failure as one object with its reason code and position.
    @Test(arguments: ["run", "validate"])
    func aJSONLogGivesTheCodeAndThePosition(command: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-definition-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = Self.header + "    source: {type: csv, path: t.csv, delimter: \";\"}\n    fields:\n      - {name: code, type: string}\n"
        try yaml.write(to: directory.appendingPathComponent("t.yml"), atomically: true, encoding: .utf8)
        let result = try opendata([command, "t.yml", "--log-format", "json"], in: directory)
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: String])
        #expect(object["code"] == "unknown-key")
        #expect(object["level"] == "error")
        #expect(object["file"] == "t.yml")
        #expect(object["line"] == "13")
        #expect(object["column"] == "38")
        #expect(object["field"] == "datasets[0].source.delimter")
        #expect(object["excerpt"] == "    source: {type: csv, path: t.csv, delimter: \";\"}")
        #expect(object["message"]?.hasPrefix("t.yml, line 13, column 38, 'datasets[0].source.delimter': unknown key 'delimter'") == true)
    }
}
