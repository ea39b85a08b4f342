import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// A dataset that ends with no rows, and a feed sentence with nothing to state, are errors.
@Suite("Empty results")
struct EmptyResultTests {
    private static let csv = "area,year,population\nCẢ NƯỚC,2019,96484\nHÀ NỘI,2019,8053\n"

    private func pipeline(filter: String, extra: String = "", csv: String = csv) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        try directory.write(csv, to: "Pipelines/p/population.csv")
        try directory.write(
            testPipelineHeader + """

                  - id: population
                    title: {vi: Dân số, en: Population}
                    description: {vi: Dân số, en: Population}
                    source: {type: csv, path: p/population.csv}
                    fields:
                      - {name: area, type: string}
                      - {name: year, type: year}
                      - {name: population, type: integer}
                    steps:
                      - filter: "\(filter)"
                    feed: {vi: "Dân số {area} năm {year}: {population}", en: "Population of {area} in {year}: {population}"}
                \(extra)
                """, to: "Pipelines/p.yml")
        return (directory, directory.url.appendingPathComponent("Pipelines/p.yml").path)
    }

    private func runner(_ directory: TemporaryDirectory) -> PipelineRunner {
        PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: 1_537_236_000) })
    }

    @Test func aFilterThatKeepsNothingIsAnErrorInValidateAndRun() throws {
        let (directory, path) = try pipeline(filter: "area = 'Cả nước'")
        let report = try runner(directory).validate([PipelineLoader().load(path: path)])
        let issues = report.validation?.issues ?? []
        #expect(issues.count == 1)
        #expect(issues.first?.type == .sourceError)
        #expect(issues.first?.code == .noRows)
        #expect(issues.first?.location.file.hasSuffix("Pipelines/p/population.csv") == true)
        // A message a user reads: what happened and how to allow it.
        #expect(issues.first?.message.contains("the source gave 2 rows and the steps kept none") == true)
        #expect(issues.first?.message.contains("allowEmpty: true") == true)
        let failure = failure { try runner(directory).run([PipelineLoader().load(path: path)]) }
        guard case let .invalidData(runReport)? = failure as? PipelineFailure else {
            Issue.record("expected invalidData, got \(String(describing: failure))")
            return
        }
        #expect(runReport.errors == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("Output/current").path))
    }

    @Test func withoutACollectorTheFlowThrows() throws {
        let (directory, path) = try pipeline(filter: "area = 'Cả nước'")
        defer { withExtendedLifetime(directory) {} }
        let dataset = try PipelineLoader().load(path: path).datasets[0]
        let failure = failure { try DatasetFlow(dataset: dataset).run(into: []) }
        guard case let .malformedSource(location, _, code)? = failure as? PipelineFailure else {
            Issue.record("expected malformedSource, got \(String(describing: failure))")
            return
        }
        #expect(location == OpenDataPipeline.SourceLocation(file: path.replacingOccurrences(of: "p.yml", with: "p/population.csv")))
        #expect(code == .noRows)
    }

    @Test func aDatasetDeclaredMayBeEmptyPublishesNoFeedItem() throws {
        let (directory, path) = try pipeline(filter: "area = 'Cả nước'", extra: "    allowEmpty: true\n")
        let report = try runner(directory).run([PipelineLoader().load(path: path)])
        #expect(report.validation?.errors == 0)
        #expect(report.feedEntries.isEmpty)
        #expect(try directory.read("Output/current/test-pipeline/data/population.csv") == "area,year,population\r\n")
        let history = try directory.read("Output/current/test-pipeline/history.json")
        #expect(!history.contains("Population of"))
    }

    @Test func aFeedSentenceWithAnEmptyPlaceholderIsAnError() throws {
        // The second row has no year: its sentence would read "in : 8,053".
        let (directory, path) = try pipeline(
            filter: "population > 0", csv: "area,year,population\nCẢ NƯỚC,2019,96484\nHÀ NỘI,,8053\n")
        let issues = try runner(directory).validate([PipelineLoader().load(path: path)]).validation?.issues ?? []
        #expect(issues.count == 1)
        #expect(issues.first?.type == .stepError)
        #expect(issues.first?.location.line == 3)
        #expect(issues.first?.location.field == "year")
        #expect(issues.first?.message.contains("{year} would be empty in published row 2") == true)
    }

    @Test func aColumnEmptyInEveryPublishedRowIsAWarningNamingIt() throws {
        let (directory, path) = try pipeline(filter: "population > 0", csv: "area,year,population\n,2019,96484\n,2019,8053\n")
        let validation = try runner(directory).validate([PipelineLoader().load(path: path)]).validation
        #expect(validation?.errors == 0)
        // The feed's {area} is a missing text: "no data", so only the warning about the column.
        let issues = validation?.issues ?? []
        #expect(issues.map(\.severity) == [.warning])
        #expect(issues.first?.type == .missingCell)
        #expect(issues.first?.location.field == "area")
        #expect(issues.first?.message == "the field 'area' is empty in all 2 published rows: check where it is read from")
    }

    @Test func theMatchingFilterPublishesTheRow() throws {
        let (directory, path) = try pipeline(filter: "area = 'CẢ NƯỚC'")
        let report = try runner(directory).run([PipelineLoader().load(path: path)])
        #expect(report.feedEntries.first?.summary["en"] == "Population of CẢ NƯỚC in 2019: 96,484.")
        #expect(try directory.read("Output/current/test-pipeline/data/population.csv") == "area,year,population\r\nCẢ NƯỚC,2019,96484\r\n")
    }
}
