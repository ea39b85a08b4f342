import Foundation
import Testing

/// The published files read by parsers this project did not write: Frictionless
/// (Data Package and CSV), Python's csv module, jsonschema, feedparser (RSS, Atom,
/// JSON Feed) and rdflib (DCAT-AP JSON-LD).
///
/// Needs a Python with `frictionless`, `feedparser`, `jsonschema` and `rdflib`, named by the
/// environment variable OPENDATA_VALIDATORS. `.ci/run` installs one and sets
/// it, so CI always runs this test.
@Suite("Independent validators")
struct IndependentValidatorTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"]

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with frictionless and feedparser"))
    func independentParsersAcceptThePublishedFiles() throws {
        let workspace = try Workspace()
        let published = try opendata(["run", "--quiet"], in: workspace.url)
        #expect(published.status == 0, "\(published.stderr)")
        let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_published.py").path
        let release = workspace.file("Output/current").path
        for pipeline in ["vietnam-digital-government", "vietnam-provinces"] {
            let result = try run(URL(fileURLWithPath: try #require(Self.python)), [script, release, pipeline], in: workspace.url)
            #expect(result.status == 0, "\(pipeline): \(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("ok   frictionless"))
        }
    }

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with frictionless and feedparser"))
    func frictionlessAndPythonsCSVReadTheTSVOutput() throws {
        let workspace = try Workspace()
        try workspace.edit("Pipelines/vietnam-provinces.yml", replacing: "publish: [csv, json, xlsx]", with: "publish: [csv, json, xlsx, tsv]")
        let published = try opendata(["run", "--quiet"], in: workspace.url)
        #expect(published.status == 0, "\(published.stderr)")
        let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_published.py").path
        let release = workspace.file("Output/current").path
        let result = try run(URL(fileURLWithPath: try #require(Self.python)), [script, release, "vietnam-provinces"], in: workspace.url)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("ok   frictionless"))
        #expect(result.stdout.contains("ok   csv: data/provinces-csv-tcvn3.tsv read without quoting holds the CSV's 5 rows"))
    }
}
