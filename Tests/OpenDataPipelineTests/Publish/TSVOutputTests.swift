import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// The TSV output, the worked example of an output format added in one file and one registry line.
@Suite("TSV output")
struct TSVOutputTests {
    /// A pipeline of one dataset read from `csv`, published as `publish`.
    private func pipeline(_ directory: TemporaryDirectory, csv: String, publish: String = "[csv, tsv]") throws -> Pipeline {
        try directory.write(csv, to: "p/notes.csv")
        let path = try directory.write(
            testPipelineHeader + """

                  - id: notes
                    title: {vi: Ghi chú, en: Notes}
                    description: {vi: Mô tả, en: Description}
                    source: {type: csv, path: p/notes.csv}
                    fields:
                      - {name: code, type: string}
                      - {name: note, type: string}
                      - {name: amount, type: number}
                      - {name: day, type: date}
                    publish: \(publish)

                """, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    private func runner(_ directory: TemporaryDirectory) -> PipelineRunner {
        PipelineRunner(
            output: directory.url.appendingPathComponent("Output"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: 1_537_236_000) })
    }

    private var folder: String { "Output/current/test-pipeline" }

    /// Values a TSV reader must get back exactly: commas, inner quotes, backslashes, Vietnamese, empty cells.
    private static let csv = """
        code,note,amount,day
        01,"Hà Nội, ""thủ đô"" of 7,5 triệu",1.883,2018-09-18
        02,C:\\new\\table and 'single',,
        03,,-7,2018-01-02

        """

    @Test func pythonsCSVModuleWithoutQuotingReadsBackTheExactValues() throws {
        let directory = try TemporaryDirectory()
        _ = try runner(directory).run([pipeline(directory, csv: Self.csv)])
        let bytes = try Data(contentsOf: directory.url.appendingPathComponent("\(folder)/data/notes.tsv"))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "code\tnote\tamount\tday\n01\tHà Nội, \"thủ đô\" of 7,5 triệu\t1.883\t2018-09-18\n"
                + "02\tC:\\new\\table and 'single'\t\t\n03\t\t-7\t2018-01-02\n")
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile) else {
            withKnownIssue("python3 is not installed: the independent read of the TSV is skipped") { throw CancellationError() }
            return
        }
        let script = """
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8', newline='') as f:
                print(json.dumps(list(csv.reader(f, delimiter='\\t', quoting=csv.QUOTE_NONE))))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, directory.url.appendingPathComponent("\(folder)/data/notes.tsv").path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(
            try JSONDecoder().decode([[String]].self, from: data) == [
                ["code", "note", "amount", "day"],
                ["01", "Hà Nội, \"thủ đô\" of 7,5 triệu", "1.883", "2018-09-18"],
                ["02", "C:\\new\\table and 'single'", "", ""],
                ["03", "", "-7", "2018-01-02"],
            ])
    }

    @Test func itsDataPackageResourceIsATabSeparatedTable() throws {
        let directory = try TemporaryDirectory()
        let report = try runner(directory).run([pipeline(directory, csv: Self.csv)])
        #expect(report.datasets.first?.files.map(\.path) == ["data/notes.csv", "data/notes.tsv"])
        let package = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.url.appendingPathComponent("\(folder)/datapackage.json")))
                as? [String: Any])
        let resources = try #require(package["resources"] as? [[String: Any]])
        let tsv = try #require(resources.first { $0["path"] as? String == "data/notes.tsv" })
        #expect(tsv["name"] as? String == "notes-tsv")
        #expect(tsv["format"] as? String == "tsv")
        #expect(tsv["mediatype"] as? String == "text/tab-separated-values")
        #expect(tsv["encoding"] as? String == "utf-8")
        #expect(tsv["type"] as? String == "table")
        let dialect = try #require(tsv["dialect"] as? [String: Any])
        #expect(dialect["delimiter"] as? String == "\t")
        #expect(dialect["lineTerminator"] as? String == "\n")
        #expect(dialect["header"] as? Bool == true)
        #expect(
            ((tsv["schema"] as? [String: Any])?["fields"] as? [[String: Any]])?.map { $0["name"] as? String } == ["code", "note", "amount", "day"])
        let size = try FileManager.default.attributesOfItem(atPath: directory.url.appendingPathComponent("\(folder)/data/notes.tsv").path)[.size]
        #expect(tsv["bytes"] as? Int == size as? Int)
        // The CSV stays the main table: the page is built from it, and the TSV is one of its downloads.
        #expect(resources.filter { $0["name"] as? String == "notes" }.map { $0["path"] as? String } == ["data/notes.csv"])
        let page = try String(contentsOf: directory.url.appendingPathComponent("\(folder)/notes.en.html"), encoding: .utf8)
        #expect(page.contains("<a href=\"data/notes.tsv\" type=\"text/tab-separated-values\">TSV (tab-separated values)</a>"))
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("\(folder)/notes-tsv.html").path))
    }

    @Test(arguments: [
        (
            "code,note,amount,day\n01,ok,1,2018-01-01\n02,\"a\tb\",2,2018-01-02\n", 3, "note", "a\\u{9}b",
            "text without a tab, line feed or carriage return in data/notes.tsv (dataset 'notes', row 2); "
                + "TSV has no quoting: publish csv instead, or correct the value"
        ),
        (
            "code,note,amount,day\n01,\"two\nlines\",1,2018-01-01\n", 2, "note", "two\\u{a}lines",
            "text without a tab, line feed or carriage return in data/notes.tsv (dataset 'notes', row 1); "
                + "TSV has no quoting: publish csv instead, or correct the value"
        ),
        (
            "code,note,amount,day\n01,ok,1,2018-01-01\n02,ok,2,2018-01-02\n\"\"\"x\"\" y\",ok,3,2018-01-03\n", 4, "code", "\"x\" y",
            "text that does not start with a double quote in data/notes.tsv (dataset 'notes', row 3); readers that apply "
                + "CSV quoting to TSV (Frictionless, pandas, spreadsheets) would take it for a quoted cell: publish csv instead, or correct the value"
        ),
    ])
    func aValueTheTSVCannotHoldIsAnErrorThatPublishesNothing(
        csv: String, line: Int, field: String, shown: String, expected: String
    ) throws {
        let directory = try TemporaryDirectory()
        let loaded = try pipeline(directory, csv: csv)
        // validate finds it, without writing anything…
        let issues = try runner(directory).validate([loaded]).validation?.issues ?? []
        #expect(issues.map(\.type) == [.typeError])
        #expect(issues.first?.rule == "tsv")
        #expect(issues.first?.dataset == "notes")
        #expect(
            issues.first?.description
                == "Pipelines/p/notes.csv, line \(line), '\(field)': '\(shown)' is not valid: expected \(expected) [type-error, tsv]")
        // …and run publishes nothing: exit 65, no release.
        let failure = failure { try runner(directory).run([loaded]) }
        guard case let PipelineFailure.invalidData(report)? = failure else {
            Issue.record("expected invalidData, got \(String(describing: failure))")
            return
        }
        #expect(report.issues.map(\.description) == issues.map(\.description))
        #expect(PipelineFailure.invalidData(report).exitStatus == 65)
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("Output/current").path))
    }

    @Test func theSameValuesArePublishedAsCSVWhenTSVIsNotChosen() throws {
        let directory = try TemporaryDirectory()
        let report = try runner(directory).run([pipeline(directory, csv: "code,note,amount,day\n01,\"a\tb\",1,\n", publish: "[csv]")])
        #expect(report.datasets.first?.files.map(\.path) == ["data/notes.csv"])
    }

    @Test func aOneFieldTSVRefusesAnEmptyCellThatWouldBeABlankLine() throws {
        let directory = try TemporaryDirectory()
        try directory.write("code,other\n01,x\n,y\n", to: "p/one.csv")
        let path = try directory.write(
            testPipelineHeader + """

                  - id: one
                    title: {vi: T, en: T}
                    description: {vi: T, en: T}
                    source: {type: csv, path: p/one.csv}
                    fields: [{name: code, type: string}, {name: other, type: string}]
                    steps: [{select: [code]}]
                    publish: [tsv]

                """, to: "p.yml")
        let issues = try runner(directory).validate([PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")]).validation?.issues ?? []
        #expect(
            issues.map(\.description) == [
                "Pipelines/p/one.csv, line 3, 'code': '' is not valid: expected a value in data/one.tsv (dataset 'one', row 2); "
                    + "an empty cell of a one-field TSV is a blank line, which readers skip: publish csv instead, or fill the value [type-error, tsv]"
            ])
    }
}
