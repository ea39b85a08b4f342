import Foundation
import GRDB
import Testing

/// Hostile and careless input, end to end: the whole publish (data, feeds,
/// pages, charts) runs over it without a crash, or it is refused with a
/// message naming the file, the position, the value and what was expected,
/// and `Output/` stays byte-identical.
@Suite("Hostile input, end to end")
struct HostileInputTests {
    /// The pipeline-level keys of the test pipelines, ending with `datasets:` (8 lines).
    static let header = """
        id: hostile
        title: {vi: Thử nghiệm, en: Test}
        description: {vi: Mô tả, en: Description}
        publisher: {name: Sở TT&TT}
        license: {name: CC-BY-4.0}
        baseURL: https://data.example.vn
        timeZone: Asia/Ho_Chi_Minh
        datasets:
        """

    /// A workspace with the shipped example published once, and `files` written under `Pipelines/`.
    static func published(_ files: [String: String] = [:]) throws -> Workspace {
        let workspace = try Workspace()
        let first = try opendata(["run", "--quiet", "vietnam-digital-government"], in: workspace.url)
        #expect(first.status == 0, "\(first.stderr)")
        for (name, text) in files { try write(text, to: name, in: workspace) }
        return workspace
    }

    static func write(_ text: String, to name: String, in workspace: Workspace) throws {
        let url = workspace.file("Pipelines/\(name)")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Runs `hostile.yml` and expects it refused with `status` and exactly these `error:` lines.
    static func expectRefusal(_ workspace: Workspace, status: Int32, messages: [String]) throws {
        let before = workspace.snapshotOfOutput()
        let result = try opendata(["run", "--quiet", "hostile"], in: workspace.url)
        #expect(result.status == status, "stderr: \(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.map(String.init) == messages.map { "error: \($0)" }, "stderr: \(result.stderr)")
        #expect(workspace.snapshotOfOutput() == before, "Output/ changed after a refused run")
    }

    // MARK: - Extreme numbers

    static let extremesCSV = """
        year,whole,fraction
        2001,9223372036854775807,9.223372036854775807
        2002,-9223372036854775807,-9.223372036854775807
        2003,1000000000000000000,0.000000000000000001
        2004,0,-0.000000000000000001

        """

    static let extremesJSON = """
        {"rows": [{"year": 2001, "value": 1e18}, {"year": 2002, "value": -9223372036854775807},
                  {"year": 2003, "value": 9223372036854775807}, {"year": 2004, "value": 0.000000000000000001}]}
        """

    /// The CSV source of the extremes, as a dataset's `source` and `fields`.
    static let extremesSource = """
        source: {type: csv, path: hostile/extremes.csv}
            fields: [{name: year, type: year}, {name: whole, type: integer}, {name: fraction, type: number}]
        """

    static let extremesPipeline =
        header + """

              - id: extremes
                title: {vi: Cực trị, en: Extremes}
                description: {vi: Mô tả, en: Description}
                \(extremesSource)
                steps:
                  - derive: {name: negated, expression: "-whole"}
                  - derive: {name: magnitude, expression: "abs(fraction)"}
                  - derive: {name: halved, expression: "fraction / 2"}
                  - derive: {name: billions, expression: "whole / 1000000000"}
                primaryKey: [year]
                feed: {vi: "{year}: {whole}, {fraction}", en: "{year}: {whole}, {fraction}"}
                headline: {rows: [{year: 2002}]}
              - id: extreme-totals
                title: {vi: Tổng, en: Totals}
                description: {vi: Mô tả, en: Description}
                \(extremesSource)
                steps:
                  - aggregate:
                      groupBy: [year]
                      measures:
                        - {name: total, sum: whole}
                        - {name: average, mean: whole}
                        - {name: part, share: whole}
                        - {name: smallest, min: fraction}
                        - {name: rows, count: true}
                primaryKey: [year]
                feed: {vi: "{year}: {total}", en: "{year}: {total}"}
              - id: extremes-json
                title: {vi: JSON, en: JSON}
                description: {vi: Mô tả, en: Description}
                source: {type: json, path: hostile/extremes.json, records: /rows}
                fields:
                  - {name: year, type: year}
                  - {name: value, type: number}
                primaryKey: [year]
                feed: {vi: "{year}: {value}", en: "{year}: {value}"}
              - id: one-extreme
                title: {vi: Một dòng, en: One row}
                description: {vi: Mô tả, en: Description}
                \(extremesSource)
                steps:
                  - filter: "year = 2002"
                publish: [csv, excel, json, ndjson]

            """

    @Test func theWholePublishRunsOverTheExtremesOfEveryNumericType() throws {
        let workspace = try Self.published([
            "hostile.yml": Self.extremesPipeline, "hostile/extremes.csv": Self.extremesCSV,
            "hostile/extremes.json": Self.extremesJSON,
        ])
        let result = try opendata(["run", "--quiet", "hostile"], in: workspace.url)
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let data = "Output/current/hostile/data"
        #expect(
            parseCSV(try workspace.read("\(data)/extremes.csv")) == [
                ["year", "whole", "fraction", "negated", "magnitude", "halved", "billions"],
                [
                    "2001", "9223372036854775807", "9.223372036854775807", "-9223372036854775807", "9.223372036854775807",
                    "4.611686018427387904", "9223372036.854775807",
                ],
                [
                    "2002", "-9223372036854775807", "-9.223372036854775807", "9223372036854775807", "9.223372036854775807",
                    "-4.611686018427387904", "-9223372036.854775807",
                ],
                [
                    "2003", "1000000000000000000", "0.000000000000000001", "-1000000000000000000", "0.000000000000000001",
                    "0.000000000000000001", "1000000000",
                ],
                ["2004", "0", "-0.000000000000000001", "0", "0.000000000000000001", "-0.000000000000000001", "0"],
            ])
        // The grand total is 10^18: 2001's share is 922.3…%, computed without overflowing.
        #expect(
            parseCSV(try workspace.read("\(data)/extreme-totals.csv")) == [
                ["year", "total", "average", "part", "smallest", "rows"],
                ["2001", "9223372036854775807", "9223372036854775807", "922.3", "9.223372036854775807", "1"],
                ["2002", "-9223372036854775807", "-9223372036854775807", "-922.3", "-9.223372036854775807", "1"],
                ["2003", "1000000000000000000", "1000000000000000000", "100.0", "0.000000000000000001", "1"],
                ["2004", "0", "0", "0.0", "-0.000000000000000001", "1"],
            ])
        #expect(
            parseCSV(try workspace.read("\(data)/extremes-json.csv")).dropFirst().map { $0[1] } == [
                "1000000000000000000", "-9223372036854775807", "9223372036854775807", "0.000000000000000001",
            ])
        // Every page has its chart; the value axis of the line chart reaches ±10^19, beyond 64 bits.
        for dataset in ["extremes", "extreme-totals", "extremes-json", "one-extreme"] {
            for suffix in ["", ".en"] {
                let page = try workspace.read("Output/current/hostile/\(dataset)\(suffix).html")
                #expect(page.contains("<svg "), "\(dataset)\(suffix).html has a chart")
            }
        }
        let english = try workspace.read("Output/current/hostile/extremes.en.html")
        #expect(english.contains(">10,000,000,000,000,000,000</text>"))
        #expect(english.contains(">-10,000,000,000,000,000,000</text>"))
        let vietnamese = try workspace.read("Output/current/hostile/extremes.html")
        #expect(vietnamese.contains(">-10.000.000.000.000.000.000</text>"))
        let feed = try workspace.read("Output/current/hostile/feed.en.rss")
        #expect(feed.contains("2002: -9,223,372,036,854,775,807, -9.223372036854775807 … and 3 more rows; all in the table."))
    }

    @Test func aShareWhoseGrandTotalOverflowsIsAStepErrorNotAWrongValue() throws {
        let csv = "year,whole\n2001,9223372036854775807\n2002,9223372036854775807\n"
        let pipeline =
            Self.header + """

                  - id: totals
                    title: {vi: Tổng, en: Totals}
                    description: {vi: Mô tả, en: Description}
                    source: {type: csv, path: hostile/big.csv}
                    fields: [{name: year, type: year}, {name: whole, type: integer}]
                    steps:
                      - aggregate: {groupBy: [year], measures: [{name: part, share: whole}]}
                    publish: [csv]

                """
        let workspace = try Self.published(["hostile.yml": pipeline, "hostile/big.csv": csv])
        try Self.expectRefusal(
            workspace, status: 65,
            messages: ["2001", "2002"].map { year in
                "Pipelines/hostile/big.csv, 'part' of group 'year=\(year)': part cannot be computed: "
                    + "expected a total of all groups that fits in 64 bits (the share's arithmetic overflowed) [step-error, aggregate]"
            })
    }

    // MARK: - Paths, text, sizes, nesting

    /// One dataset named `text` with one string field `name` read from `source`; `extra` adds dataset keys.
    static func textPipeline(source: String, extra: String = "") -> String {
        header + """

              - id: text
                title: {vi: Văn bản, en: Text}
                description: {vi: Mô tả, en: Description}
                source: \(source)
                fields: [{name: name, type: string}]
                feed: {vi: "{name}", en: "{name}"}
            \(extra)
            """
    }

    @Test func aSourcePathOutsideThePipelinesFolderIsRefusedWithoutReadingIt() throws {
        let workspace = try Self.published([
            "hostile.yml": Self.textPipeline(source: "{type: csv, path: ../../../../../../../../../../etc/passwd}")
        ])
        let folder = workspace.file("Pipelines").resolvingSymlinksInPath().path
        try Self.expectRefusal(
            workspace, status: 78,
            messages: [
                "Pipelines/hostile.yml, line 12, column 31, 'datasets[0].source.path': the path "
                    + "'../../../../../../../../../../etc/passwd' resolves to '/etc/passwd', outside the pipeline's folder "
                    + "\(folder): expected a file inside it (other folders are read only when named with --allow-root)"
            ])
    }

    @Test(arguments: ["style.css", "index.mustache"])
    func aPageTemplateLinkedOutsideThePipelinesFolderIsRefusedWithoutReadingIt(name: String) throws {
        let workspace = try Self.published()
        let templates = workspace.file("Pipelines/templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: templates.appendingPathComponent(name).path, withDestinationPath: "/etc/passwd")
        let before = workspace.snapshotOfOutput()
        for command in [["run", "--quiet"], ["run", "--quiet", "vietnam-digital-government"]] {
            let result = try opendata(command, in: workspace.url)
            #expect(result.status == 78, "stderr: \(result.stderr)")
            let folder = workspace.file("Pipelines").resolvingSymlinksInPath().path
            #expect(
                result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }.map(String.init) == [
                    "error: \(templates.path)/\(name): the template resolves to '/etc/passwd', outside the pipelines "
                        + "folder \(folder): expected a file inside it"
                ], "stderr: \(result.stderr)")
            #expect(!result.stderr.contains("root:"), "the file's contents were printed")
        }
        #expect(workspace.snapshotOfOutput() == before, "Output/ changed after a refused run")
        let published = try FileManager.default.subpathsOfDirectory(atPath: workspace.file("Output").path)
        for path in published where path.hasSuffix(".css") || path.hasSuffix(".html") {
            #expect(!(try workspace.read("Output/\(path)")).contains("root:x:0:0"), "\(path)")
        }
    }

    @Test func aPageTemplateLinkedToNothingIsRefusedNotIgnored() throws {
        let workspace = try Self.published()
        let templates = workspace.file("Pipelines/templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: templates.appendingPathComponent("style.css").path, withDestinationPath: "missing/style.css")
        let result = try opendata(["run", "--quiet"], in: workspace.url)
        #expect(result.status == 78, "stderr: \(result.stderr)")
        #expect(
            result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }.map(String.init) == [
                "error: \(templates.path)/style.css: expected a regular file"
            ], "stderr: \(result.stderr)")
    }

    @Test func aControlCharacterInATextCellIsATypeErrorAndNeverReachesTheTerminalRaw() throws {
        let workspace = try Self.published([
            "hostile.yml": Self.textPipeline(source: "{type: csv, path: hostile/text.csv}"),
            "hostile/text.csv": "name\nHà Nội\nx\u{1B}]0;owned\u{7}\u{1B}[2J\n",
        ])
        try Self.expectRefusal(
            workspace, status: 65,
            messages: [
                "Pipelines/hostile/text.csv, line 3, 'name': 'x\\u{1b}]0;owned\\u{7}\\u{1b}[2J' is not valid: expected text "
                    + "without control characters: U+001B at byte 2 of the cell (a dataset that means to keep them declares "
                    + "controlCharacters: keep) [type-error, row 3, field 1]"
            ])
        let result = try opendata(["validate", "hostile"], in: workspace.url)
        #expect(result.status == 65)
        #expect(!result.stderr.utf8.contains(0x1B) && !result.stdout.utf8.contains(0x1B))
        // A header is not a typed cell; the message that lists it is made safe for the terminal.
        try Self.write("na\u{1B}]0;owned\u{7}me\nHà Nội\n", to: "hostile/text.csv", in: workspace)
        let header = try opendata(["run", "--quiet", "hostile"], in: workspace.url)
        #expect(header.status == 65)
        #expect(!header.stderr.utf8.contains(0x1B) && !header.stderr.utf8.contains(0x07), "\(header.stderr)")
        #expect(header.stderr.contains("na\\u{1b}]0;owned\\u{7}me"), "\(header.stderr)")
    }

    @Test func aDatasetThatKeepsControlCharactersPublishesThemAsInertPictures() throws {
        let workspace = try Self.published([
            "hostile.yml": Self.textPipeline(source: "{type: csv, path: hostile/text.csv}", extra: "    controlCharacters: keep"),
            "hostile/text.csv": "name\nx\u{1B}[2J\u{0}y\n",
        ])
        let result = try opendata(["run", "--quiet", "hostile"], in: workspace.url)
        try #require(result.status == 0, "stderr: \(result.stderr)")
        #expect(parseCSV(try workspace.read("Output/current/hostile/data/text.csv")) == [["name"], ["x\u{241B}[2J\u{2400}y"]])
        let release = workspace.file("Output/current/hostile").resolvingSymlinksInPath()
        // The workbook and the database are binary (ZIP, SQLite pages): their writers refuse a raw control
        // character in a text, and the database's value is read back below.
        for file in try FileManager.default.subpathsOfDirectory(atPath: release.path) where !file.hasSuffix(".xlsx") && !file.hasSuffix(".sqlite") {
            let bytes = FileManager.default.contents(atPath: release.appendingPathComponent(file).path) ?? Data()
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x00), "\(file) holds a raw control character")
        }
        let database = try DatabaseQueue(path: release.appendingPathComponent("hostile.sqlite").path)
        #expect(try database.read { try String.fetchAll($0, sql: "SELECT name FROM text") } == ["x\u{241B}[2J\u{2400}y"])
    }

    @Test func aCellLargerThanTheLimitIsRefusedAndARaisedLimitKeepsPagesAndFeedsSmall() throws {
        let big = String(repeating: "ă", count: 1 << 20)  // 2 MiB of UTF-8
        let workspace = try Self.published([
            "hostile.yml": Self.textPipeline(source: "{type: csv, path: hostile/text.csv}"),
            "hostile/text.csv": "name\nHà Nội\n\(big)\n",
        ])
        let shown = String(repeating: "ă", count: 81) + "…"  // the first 81 characters
        try Self.expectRefusal(
            workspace, status: 65,
            messages: [
                "Pipelines/hostile/text.csv, line 3, 'name': '\(shown)' is not valid: expected a cell of at most 1048576 bytes; "
                    + "this one has 2097152 (a dataset can raise the limit with maximumCellBytes) [type-error, row 3, field 1]"
            ])
        try Self.write(
            Self.textPipeline(source: "{type: csv, path: hostile/text.csv}", extra: "    maximumCellBytes: 4194304"),
            to: "hostile.yml", in: workspace)
        let result = try opendata(["run", "--quiet", "hostile"], in: workspace.url)
        try #require(result.status == 0, "stderr: \(result.stderr)")
        #expect(try workspace.read("Output/current/hostile/data/text.csv").contains(big))
        for page in ["text.html", "text.en.html", "feed.rss", "feed.en.rss", "feed.atom", "feed.json"] {
            let bytes = (try? Data(contentsOf: workspace.file("Output/current/hostile/\(page)")))?.count
            #expect(bytes.map { $0 < 64 << 10 } ?? true, "\(page) is \(bytes ?? 0) bytes")
        }
        #expect(try workspace.read("Output/current/hostile/text.html").contains(String(repeating: "ă", count: 148) + "…<"))
    }

    @Test func aCellFarLargerThanTheLimitStopsTheReaderEarly() throws {
        // 12 MiB in one field: the reader stops at four times the limit instead of holding it all.
        let workspace = try Self.published([
            "hostile.yml": Self.textPipeline(source: "{type: csv, path: hostile/text.csv}"),
            "hostile/text.csv": "name\nHà Nội\n\"" + String(repeating: "x", count: 12 << 20) + "\"\n",
        ])
        try Self.expectRefusal(
            workspace, status: 65,
            messages: [
                "Pipelines/hostile/text.csv, line 3, 'field 1': the field holds more than 4194304 bytes (reading stopped "
                    + "there): expected a cell of at most 1048576 bytes (a dataset can raise the limit with maximumCellBytes) "
                    + "[source-error]"
            ])
    }

    @Test func aDeeplyNestedExpressionIsRefusedWithAShortExcerpt() throws {
        let expression = String(repeating: "not ", count: 1_000) + "true"
        let workspace = try Self.published([
            "hostile.yml": Self.textPipeline(
                source: "{type: csv, path: hostile/text.csv}", extra: "    steps: [{filter: \"\(expression)\"}]"),
            "hostile/text.csv": "name\nHà Nội\n",
        ])
        try Self.expectRefusal(
            workspace, status: 78,
            messages: [
                "Pipelines/hostile.yml, line 15, column 419, 'datasets[0].steps[0].filter': in the expression "
                    + "'…\(expression.dropFirst(396 - 30).prefix(60))…' at character 397: the expression nests more than 100 levels "
                    + "deep (parentheses, operators, 'not', '-'); split it into several derived fields"
            ])
    }

    @Test func anHTMLTableWhoseSpansExpandBeyondTheLimitIsRefusedNamingTheCell() throws {
        let cells = String(repeating: "<td colspan=1000 rowspan=65534>x</td>", count: 500)
        let page =
            "<html><body><table id=\"t\">\n<tr><th>name</th></tr>\n<tr>\(cells)</tr>\n"
            + String(repeating: "<tr></tr>\n", count: 200) + "</table></body></html>\n"
        let workspace = try Self.published([
            "hostile.yml": Self.textPipeline(source: "{type: html, path: hostile/t.html, table: {id: t}}"),
            "hostile/t.html": page,
        ])
        try Self.expectRefusal(
            workspace, status: 65,
            messages: [
                "Pipelines/hostile/t.html, line 3, '//table[@id='t']': the table (id(\"t\")) expands to more than 1000000 "
                    + "cells at its row 3, column 500000: expected at most 1000000 cells once colspan and rowspan are expanded "
                    + "(maximumCells) [source-error]"
            ])
    }
}
