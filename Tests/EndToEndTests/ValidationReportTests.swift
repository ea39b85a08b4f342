import Foundation
import Testing

/// `opendata validate --report json`, data tests that block a release, and
/// the example's unpivoted, looked-up table, through the built binary.
@Suite("Validation report and data tests, end to end")
struct ValidationReportEndToEndTests {
    private static let byYear = "Pipelines/vietnam-digital-government/online-services-by-year.csv"
    private static let folder = "Output/current/vietnam-digital-government"

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theExampleValidatesWithAJSONReportListingEveryDataset() throws {
        let workspace = try Workspace()
        let result = try opendata(["validate", "--report", "json", "--quiet"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["valid"] as? Bool == true)
        #expect(report["errors"] as? Int == 0)
        let datasets = try #require(report["datasets"] as? [[String: Any]])
        // Six datasets of the Hanoi example, seven of the source-types example (vietnam-provinces).
        #expect(datasets.filter { $0["pipeline"] as? String == "vietnam-digital-government" }.count == 6)
        #expect(datasets.count == 13)
        #expect(datasets.allSatisfy { $0["valid"] as? Bool == true })
        let again = try opendata(["validate", "--report", "json", "--quiet"], in: workspace.url)
        #expect(again.stdout == result.stdout, "the report is stable from run to run")
    }

    @Test func aFailingDataTestPublishesNothingAndNamesTheTestAndTheValues() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "--quiet"], in: workspace.url).status == 0)
        let before = workspace.snapshotOfOutput()
        try workspace.edit(Self.byYear, replacing: "HN,level_3,,386", with: "HN,level_3,,385")
        let run = try opendata(["run", "--quiet"], in: workspace.url)
        #expect(run.status == 65)
        for text in ["levels-3-and-4-match-the-catalogue", "555", "556", "test-error", "nothing was published"] {
            #expect(run.stderr.contains(text), "'\(text)' in \(run.stderr)")
        }
        #expect(workspace.snapshotOfOutput() == before, "Output/ changed after a failed data test")

        let validate = try opendata(["validate", "--report", "json", "--quiet"], in: workspace.url)
        #expect(validate.status == 65)
        let report = try json(validate.stdout)
        #expect(report["valid"] as? Bool == false)
        let issues = try #require(report["issues"] as? [[String: Any]])
        #expect(issues.count == 1)
        #expect(issues.first?["type"] as? String == "test-error")
        #expect(issues.first?["rule"] as? String == "levels-3-and-4-match-the-catalogue")
        #expect(issues.first?["dataset"] as? String == "hanoi-online-services-by-year")
    }

    @Test func everyBadRowIsListedWithItsPositionInTheJSONReport() throws {
        let workspace = try Workspace()
        try workspace.edit(
            "Pipelines/vietnam-digital-government/digital-indicators-2018.csv", replacing: ";55%;", with: ";abc;")
        try workspace.edit(Self.byYear, replacing: "HN,level_4,,170", with: "HN,level_4,,170,extra")
        let result = try opendata(["validate", "--report", "json", "--quiet"], in: workspace.url)
        #expect(result.status == 65)
        let issues = try #require(try json(result.stdout)["issues"] as? [[String: Any]])
        let found = issues.map { "\($0["type"] ?? "") \($0["line"] ?? "") \($0["fieldNumber"] ?? "")" }
        #expect(found == ["type-error 3 6", "extra-cell 3 5"])

        let capped = try opendata(["run", "--quiet", "--max-issues", "1"], in: workspace.url)
        #expect(capped.status == 65)
        #expect(capped.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }.count == 1)
        #expect(capped.stderr.contains("1 more issue not listed"))
        #expect(capped.stderr.contains("2 errors"))
    }

    /// `--log-format json`: each issue, then the failure, as one object a line with its reason code and position.
    @Test func aJSONLogGivesEveryIssueAndTheFailureWithTheirCodes() throws {
        let workspace = try Workspace()
        try workspace.edit(
            "Pipelines/vietnam-digital-government/digital-indicators-2018.csv", replacing: ";55%;", with: ";abc;")
        let result = try opendata(["run", "--quiet", "--log-format", "json"], in: workspace.url)
        #expect(result.status == 65)
        let objects = try result.stderr.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "\(line)")
        }
        #expect(objects.compactMap { $0["code"] } == ["type-error", "invalid-data"], "\(result.stderr)")
        let issue = try #require(objects.first { $0["code"] != nil })
        #expect(issue["file"] == "Pipelines/vietnam-digital-government/digital-indicators-2018.csv")
        #expect(issue["line"] == "3")
        #expect(issue["field"] == "gia_tri")
        #expect(issue["level"] == "error")
        #expect(objects.last?["message"] == "1 error in the data; nothing was published")
    }

    @Test func theWideTableIsPublishedLongWithAreaNamesAndObservationStatus() throws {
        let workspace = try Workspace()
        let result = try opendata(["run", "--quiet"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = parseCSV(try workspace.read("\(Self.folder)/data/hanoi-online-services-by-year.csv"))
        #expect(rows.first == ["area_code", "area_vi", "area_en", "indicator", "year", "procedures", "status"])
        #expect(rows.contains(["HN", "Hà Nội", "Hanoi", "level_3", "2018", "386", "final"]))
        #expect(rows.contains(["HN", "Hà Nội", "Hanoi", "level_4", "2018", "170", "final"]))
        #expect(rows.contains(["HN", "Hà Nội", "Hanoi", "all_procedures", "2018", "1883", "final"]))
        #expect(rows.contains(["HN", "Hà Nội", "Hanoi", "level_3", "2017", "", "missing"]))
        let package = try json(try workspace.read("\(Self.folder)/datapackage.json"))
        let resources = try #require(package["resources"] as? [[String: Any]])
        let table = try #require(resources.first { $0["name"] as? String == "hanoi-online-services-by-year" })
        let schema = try #require(table["schema"] as? [String: Any])
        #expect(schema["primaryKey"] as? [String] == ["area_code", "indicator", "year"])
        let foreignKeys = try #require(schema["foreignKeys"] as? [[String: Any]])
        #expect((foreignKeys.first?["reference"] as? [String: Any])?["resource"] as? String == "areas")
        let fields = try #require(schema["fields"] as? [[String: Any]])
        #expect(fields.first { $0["name"] as? String == "status" }?["role"] as? String == "observationStatus")
    }
}

@Suite("Data tests against the published release, end to end")
struct PublishedReleaseTestEndToEndTests {
    @Test func aJumpAgainstThePublishedReleaseIsAWarningThatDoesNotBlock() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "--quiet"], in: workspace.url).status == 0)
        try workspace.edit(
            "Pipelines/vietnam-digital-government/digital-indicators-2018.csv", replacing: ";52 triệu;", with: ";70 triệu;")
        let validate = try opendata(["validate", "--quiet"], in: workspace.url)
        #expect(validate.status == 0, "\(validate.stderr)")
        let warnings = validate.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
        #expect(warnings.count == 1, "\(validate.stderr)")
        for text in ["no-jump-against-the-published-release", "52000000", "70000000", "34.6%"] {
            #expect(warnings.first?.contains(text) == true, "'\(text)' in \(validate.stderr)")
        }
        let run = try opendata(["run", "--quiet"], in: workspace.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: "))
        let published = try workspace.read("Output/current/vietnam-digital-government/data/vietnam-internet-2018.csv")
        #expect(published.contains("70000000"))
    }
}
