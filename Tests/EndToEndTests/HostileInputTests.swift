import Foundation
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

    static let extremesPipeline = header + """

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
                ["2001", "9223372036854775807", "9.223372036854775807", "-9223372036854775807", "9.223372036854775807",
                    "4.611686018427387904", "9223372036.854775807"],
                ["2002", "-9223372036854775807", "-9.223372036854775807", "9223372036854775807", "9.223372036854775807",
                    "-4.611686018427387904", "-9223372036.854775807"],
                ["2003", "1000000000000000000", "0.000000000000000001", "-1000000000000000000", "0.000000000000000001",
                    "0.000000000000000001", "1000000000"],
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
        #expect(feed.contains("2002: -9,223,372,036,854,775,807, -9.223372036854775807"))
    }

    @Test func aShareWhoseGrandTotalOverflowsIsAStepErrorNotAWrongValue() throws {
        let csv = "year,whole\n2001,9223372036854775807\n2002,9223372036854775807\n"
        let pipeline = Self.header + """

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
}
