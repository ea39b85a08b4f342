import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// Data tests see the rows as they pass: what they hold does not grow with the rows.
@Suite("Streaming data tests")
struct StreamingDataTestTests {
    private let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    /// 2025-12-01T12:00:00Z, the same day in Asia/Ho_Chi_Minh.
    private let now: TimeInterval = 1_764_590_400

    private func runner() -> PipelineRunner {
        PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            now: { [now] in Date(timeIntervalSince1970: now) })
    }

    /// `areas` (code, population) and `figures` (area, year, value, share), with `tests` under `figures`.
    private func pipeline(tests: String) throws -> Pipeline {
        let yaml =
            testPipelineHeader + """

                  - id: areas
                    title: {vi: A, en: A}
                    description: {vi: A, en: A}
                    source: {type: csv, path: p/areas.csv}
                    fields:
                      - {name: code, type: string}
                      - {name: population, type: integer}
                    publish: [csv]
                  - id: figures
                    title: {vi: F, en: F}
                    description: {vi: F, en: F}
                    source: {type: csv, path: p/figures.csv}
                    fields:
                      - {name: area, type: string}
                      - {name: year, type: year}
                      - {name: value, type: integer}
                      - {name: share, type: integer}
                    publish: [csv, json]

                """ + tests
        return try PipelineLoader().load(path: directory.write(yaml, to: "Pipelines/p.yml"))
    }

    private let everyKind = """
            tests:
              - {name: positive, assert: "value >= 0"}
              - {name: no-future, notInFuture: year}
              - {name: matches-areas, total: {sum: value}, equals: {dataset: areas, sum: population}}
              - {name: self-total, total: {sum: value, where: "year >= 2018"}, equals: {sum: share}}
              - {name: yearly, noGaps: year}
              - {name: no-jump, maximumChange: {field: value, percent: 20, key: [area, year]}}
              - {name: small, assert: "value < 1000", severity: warning}
              - {name: uncomputable, total: {sum: value / share}, equals: {sum: share}}
              - {name: holds, assert: "share >= 0"}
              - {name: recent, noGaps: share}

        """

    /// The issues as "severity line: message".
    private func listed(_ report: ValidationReport) -> [String] {
        report.issues.map { "\($0.severity.rawValue) \($0.location.line.map(String.init) ?? "-"): \($0.message)" }
    }

    @Test func aTableWithFailuresOfEveryKindReportsWhatTheWholeTableCheckReported() throws {
        try directory.write("code,population\nHN,100\nHCM,200\n", to: "Pipelines/p/areas.csv")
        try directory.write(
            "area,year,value,share\nHN,2016,10,1\nHN,2017,20,2\nHN,2018,30,3\nHCM,2016,40,4\nHCM,2017,50,5\n", to: "Pipelines/p/figures.csv")
        #expect(try runner().run([pipeline(tests: "")]).releaseID != nil)
        try directory.write(
            "area,year,value,share\nHN,2016,10,1\nHN,2017,-25,2\nHN,2018,30,0\nHCM,2016,1040,4\nHCM,2017,50,5\nHCM,2999,-3,6\nDN,2015,7,8\nHCM,2018,,9\n",
            to: "Pipelines/p/figures.csv")
        let report = try #require(try runner().validate([pipeline(tests: everyKind)]).validation)
        // As the engine that held the table reported it (opendata validate before tests streamed), in this order.
        let fails = "the test"
        #expect(
            listed(report) == [
                "error 3: \(fails) 'positive' fails: value >= 0 does not hold for area=HN, year=2017, value=-25, share=2",
                "error 7: \(fails) 'positive' fails: value >= 0 does not hold for area=HCM, year=2999, value=-3, share=6",
                "error 9: \(fails) 'positive' fails: value >= 0 does not hold for area=HCM, year=2018, value=null, share=9",
                "error 7: \(fails) 'no-future' fails: 'year' is 2999 but the run is on 2025-12-01: area=HCM, year=2999, value=-3, share=6",
                "error -: \(fails) 'matches-areas' fails: sum(value) in 'figures' is 1109 but sum(population) in 'areas' is 300",
                "error -: \(fails) 'self-total' fails: sum(value) where year >= 2018 in 'figures' is 27 but sum(share) in 'figures' is 35",
                "error -: \(fails) 'yearly' fails: 'year' has no row for 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028 and 970 more (the series runs from 2015 to 2999)",
                "warning 3: \(fails) 'no-jump' fails: 'value' changes from 20 to -25 (-225.0%, more than 20%) for area=HN, year=2017, value=-25, share=2",
                "warning 5: \(fails) 'no-jump' fails: 'value' changes from 40 to 1040 (2500.0%, more than 20%) for area=HCM, year=2016, value=1040, share=4",
                "warning 5: \(fails) 'small' fails: value < 1000 does not hold for area=HCM, year=2016, value=1040, share=4",
                "warning 9: \(fails) 'small' fails: value < 1000 does not hold for area=HCM, year=2018, value=null, share=9",
                "error -: \(fails) 'uncomputable' fails: the totals cannot be computed (a dataset is missing or a value is not a number)",
                "error -: \(fails) 'recent' fails: 'share' has no row for 3, 7 (the series runs from 0 to 9)",
            ])
        #expect(report.issues.allSatisfy { $0.type == .testError && $0.dataset == "figures" && $0.location.file.hasSuffix("figures.csv") })
        #expect(report.errors == 9)
        #expect(report.warnings == 4)
        #expect(report.counts == [.testError: 13])
    }

    /// `rows` rows in years 1990…2019 with a negative value on every 1,000th row and the year 2999 on every 50,000th.
    private func writeLargeTable(rows: Int) throws -> (negative: [Int], future: [Int], total: Int, recent: Int) {
        var text = "area,year,value,share\n"
        var negative: [Int] = []
        var future: [Int] = []
        var total = 0
        var recent = 0
        for row in 0..<rows {
            let line = row + 2
            let year = Self.year(row)
            if year == 2999 { future.append(line) }
            let value = Self.value(row)
            if value < 0 { negative.append(line) }
            total += value
            if year >= 2018 { recent += value }
            text += "A\(row % 100),\(year),\(value),1\n"
        }
        try directory.write(text, to: "Pipelines/p/figures.csv")
        try directory.write("code,population\nHN,1\n", to: "Pipelines/p/areas.csv")
        return (negative, future, total, recent)
    }

    private static func year(_ row: Int) -> Int { row % 50_000 == 49_999 ? 2999 : 1990 + row % 30 }
    private static func value(_ row: Int) -> Int { row % 1000 == 999 ? -1 : row % 7 }

    @Test func aDatasetNobodyReadsIsNotHeldAndItsTestsHoldOnlyTheirFailuresSumsAndDistinctValues() throws {
        let rows = 300_000
        let (negative, future, total, recent) = try writeLargeTable(rows: rows)
        let pipeline = try pipeline(tests: everyKind)
        let figures = try #require(pipeline.datasets.last)
        let tables = PipelineTables(
            wanted: pipeline.referencedDatasets, today: CalendarDate(year: 2025, month: 12, day: 1))
        #expect(pipeline.referencedDatasets == ["areas"])
        let collector = ValidationCollector(maximumIssues: 20)
        collector.begin(pipeline: pipeline.id, dataset: "areas")
        let areas = DatasetFlow(dataset: pipeline.datasets[0], collector: collector, tables: tables)
        #expect(areas.keepsRows)
        #expect(try areas.run(into: []) == 1)
        collector.begin(pipeline: pipeline.id, dataset: figures.id)
        let flow = DatasetFlow(dataset: figures, collector: collector, tables: tables)
        #expect(!flow.keepsRows)
        #expect(try flow.run(into: []) == rows)
        #expect(tables.table("figures") == nil)
        #expect(tables.table("areas")?.rows.count == 1)

        let report = collector.report
        // Every failure is counted; the report lists the first 20, in test order then row order.
        // positive, no-future, then one issue each: matches-areas (the areas total 1), self-total and
        // uncomputable (against sum(share), one a row), yearly (2020…2998 are missing).
        let failing = negative.count + future.count + (total != 1 ? 1 : 0) + (recent != rows ? 1 : 0) + 1 + (total != rows ? 1 : 0)
        #expect(failing == 300 + 6 + 4)
        #expect(report.counts == [.testError: failing])
        #expect(report.errors == failing)
        #expect(report.omitted == failing - 20)
        #expect(report.issues.map(\.location.line) == negative.prefix(20).map { $0 })
        #expect(report.issues.allSatisfy { $0.rule == "positive" })

        // What each test holds after the rows have passed, fed batch by batch as the flow feeds it.
        let context = StepContext(sourceFile: "figures.csv", collector: ValidationCollector(maximumIssues: 20), tables: tables)
        var runs = figures.tests.map { DataTest.Run($0, schema: figures.schema, context: context) }
        var batch = Batch(width: 4, capacity: Batch.preferredRowCount)
        for row in 0..<rows {
            batch.append(
                row: [.string("A\(row % 100)"), .integer(Int64(Self.year(row))), .integer(Int64(Self.value(row))), .integer(1)], line: row + 2)
            if batch.rowCount == Batch.preferredRowCount || row == rows - 1 {
                for index in runs.indices { runs[index].add(batch) }
                batch = Batch(width: 4, capacity: Batch.preferredRowCount)
            }
        }
        // positive: 20 failures listed, no-future: 6, sums: nothing, yearly: 31 years, recent: 1 share, no previous release.
        #expect(runs.map(\.heldValues) == [20, future.count, 0, 0, 31, 0, 0, 0, 0, 1])
    }

    @Test func withoutACollectorTheFirstFailingTestInDeclarationOrderThrowsItsFirstFailingRow() throws {
        try directory.write("code,population\nHN,100\n", to: "Pipelines/p/areas.csv")
        // A warning fails first (line 2); 'no-future' fails on line 4 only, 'positive' (declared after it) on line 3.
        try directory.write("area,year,value,share\nHN,2016,1200,1\nHN,2017,-5,2\nHN,2999,7,3\nHN,3000,8,4\n", to: "Pipelines/p/figures.csv")
        let pipeline = try pipeline(
            tests: """
                    tests:
                      - {name: small, assert: "value < 1000", severity: warning}
                      - {name: no-future, notInFuture: year}
                      - {name: positive, assert: "value >= 0"}

                """)
        let tables = PipelineTables(wanted: pipeline.referencedDatasets, today: CalendarDate(year: 2025, month: 12, day: 1))
        let figures = pipeline.datasets[1]
        let thrown = failure { try DatasetFlow(dataset: figures, tables: tables).run(into: []) }
        #expect(
            thrown as? PipelineFailure
                == .badValue(
                    SourceLocation(file: figures.extractor.displayPath, line: 4), value: "no-future",
                    expected: "'year' is 2999 but the run is on 2025-12-01: area=HN, year=2999, value=7, share=3"))
    }
}
