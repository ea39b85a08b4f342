import Foundation
@testable import OpenDataPipeline
import Testing

/// A dataset's `publish` list: names from the output format registry, each once; without it, the defaults.
@Suite("Publish list")
struct PublishListTests {
    private func load(publish: String?, extra: String = "") throws -> Pipeline {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            testPipelineHeader + """

                  - id: counts
                    title: {vi: Số liệu, en: Counts}
                    description: {vi: Mô tả, en: Description}
                    source: {type: csv, path: data/counts.csv}
                    fields:
                      - {name: level, type: integer}
                    feed: {vi: "Mức {level}", en: "Level {level}"}
                \(extra)\(publish.map { "    publish: \($0)\n" } ?? "")
                """, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    @Test func anUnknownFormatIsAnErrorAtItsPositionListingTheKnownOnes() throws {
        let error = failure { try load(publish: "[csv, parquet]") }
        #expect(
            error as? PipelineFailure
                == .invalidDefinition(
                    SourceLocation(file: "Pipelines/p.yml", line: 16, column: 20, field: "datasets[0].publish[1]"),
                    problem: "unknown format 'parquet'; expected one of: csv, excel, json, ndjson, jsonstat, rss, tsv, xlsx", code: .unknownName))
        #expect(
            error.map { "\($0)" }
                == "Pipelines/p.yml, line 16, column 20, 'datasets[0].publish[1]': unknown format 'parquet'; expected one of: csv, excel, json, ndjson, jsonstat, rss, tsv, xlsx"
        )
    }

    @Test func aFormatListedTwiceIsAnError() throws {
        let error = failure { try load(publish: "[csv, json, csv]") }
        #expect(
            error.map { "\($0)" } == "Pipelines/p.yml, line 16, column 26, 'datasets[0].publish[2]': the format 'csv' is listed twice")
    }

    @Test func withoutAListADatasetGetsTheFormatsOnByDefaultInRegistryOrder() throws {
        // No primary key: no JSON-stat; TSV is never on by default.
        #expect(try load(publish: nil).datasets[0].formats.map(\.id) == ["csv", "excel", "json", "ndjson", "rss", "xlsx"])
        let keyed = try load(publish: nil, extra: "    primaryKey: [level]\n")
        #expect(keyed.datasets[0].formats.map(\.id) == ["csv", "excel", "json", "ndjson", "jsonstat", "rss", "xlsx"])
        // A list keeps its own order.
        #expect(try load(publish: "[tsv, csv]").datasets[0].formats == [.tsv, .csv])
    }

    @Test func aFormatThatTheDatasetCannotHaveIsRefusedAtTheDataset() throws {
        let error = failure { try load(publish: "[csv, jsonstat]") }
        #expect(
            error.map { "\($0)" }
                == "Pipelines/p.yml, line 9, column 5, 'datasets[0]': JSON-stat needs a 'primaryKey': the fields that identify a row become its dimensions"
        )
    }
}
