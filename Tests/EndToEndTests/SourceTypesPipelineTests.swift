import Foundation
import Testing

/// The vietnam-provinces example reads the same five provinces from every
/// other source type; each published table must agree with the others.
@Suite("Every source type, end to end")
struct SourceTypesPipelineTests {
    @Test func everySourceTypePublishesTheSameProvincesAndPopulations() throws {
        let workspace = try Workspace()
        let result = try opendata(["run", "vietnam-provinces"], in: workspace.url)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // The figures as the JSON source holds them, read with Foundation.
        let source =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: workspace.file("Pipelines/vietnam-provinces/dan-so.json"))) as? [String: Any]
        let records = try #require(source?["du_lieu"] as? [[String: Any]])
        let expected = records.map { ["\($0["ma"]!)", "\($0["dan_so"]!)"] }
        #expect(expected.count == 5)
        let datasets = ["csv-tcvn3", "xlsx", "html", "sdmx", "json-stat", "json", "ndjson"]
        for dataset in datasets {
            let table = parseCSV(try workspace.read("Output/current/vietnam-provinces/data/provinces-\(dataset).csv"))
            let code = try #require(table.first?.firstIndex(of: "code"), "\(dataset)")
            let population = try #require(table.first?.firstIndex(of: "population"), "\(dataset)")
            #expect(table.dropFirst().map { [$0[code], $0[population]] } == expected, "\(dataset)")
            if let province = table.first?.firstIndex(of: "province") {
                #expect(table[1][province] == "Hà Nội", "\(dataset)")
                #expect(table[3][province] == "Đà Nẵng", "\(dataset)")
            }
        }
    }
}

@Suite("opendata inspect, end to end")
struct InspectCommandTests {
    @Test func printsASnippetOnStdoutAndNotesOnStderr() throws {
        let workspace = try Workspace()
        let result = try opendata(["inspect", "Pipelines/vietnam-provinces/dan-so-tcvn3.csv"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("source:\n  type: csv\n"))
        #expect(result.stdout.contains("encoding: tcvn3"))
        #expect(result.stdout.contains("headerLine: 3"))
        #expect(result.stderr.contains("# encoding: tcvn3"))
        let missing = try opendata(["inspect", "no-such-file.csv"], in: workspace.url)
        #expect(missing.status == 66)
    }
}
