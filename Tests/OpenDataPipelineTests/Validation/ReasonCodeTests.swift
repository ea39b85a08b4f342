import Foundation
@testable import OpenDataPipeline
import Testing

/// Reason codes, rows and excerpts: errors as data that tests and scripts can match.
@Suite("Reason codes and excerpts")
struct ReasonCodeTests {
    private func definitionFailure(_ yaml: String) throws -> PipelineFailure? {
        let directory = try TemporaryDirectory()
        let path = try directory.write(yaml, to: "p.yml")
        return failure(of: { try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml") }) as? PipelineFailure
    }

    /// It said "found text ''plain''": the kind quoted a value its caller had quoted already.
    @Test func aValueOfTheWrongKindIsQuotedOnce() throws {
        let yaml = PipelineLoaderTests.minimal.replacingOccurrences(
            of: "title: {vi: Số liệu, en: Counts}", with: "title: plain")
        let error = try #require(try definitionFailure(yaml))
        #expect(error.code == .typeMismatch)
        #expect(error.location == SourceLocation(file: "Pipelines/p.yml", line: 10, column: 12, field: "datasets[0].title"))
        // A message a user reads: the value is quoted once.
        #expect("\(error)".hasSuffix("expected a mapping of keys (vi, en), found text 'plain'"))
        #expect(!"\(error)".contains("''"))
    }

    @Test func everyWrongKindNamesTheValueQuotedOnce() throws {
        let cases = [
            ("publish: [csv, json]", "publish: csv"), ("numberFormat: vi", "numberFormat: {a: b}"),
            ("required: true", "required: [x]"),
        ]
        for (original, replacement) in cases {
            let error = try #require(try definitionFailure(PipelineLoaderTests.minimal.replacingOccurrences(of: original, with: replacement)))
            #expect(error.code == .typeMismatch, "\(error)")
            #expect(!"\(error)".contains("''"), "\(error)")
        }
    }

    @Test func aYAMLSyntaxErrorCarriesYamsLineAndColumnAndTheLine() throws {
        let yaml = PipelineLoaderTests.minimal.replacingOccurrences(of: "publish: [csv, json]", with: "publish: [csv, json")
        let error = try #require(try definitionFailure(yaml))
        #expect(error.code == .yamlSyntax)
        let location = try #require(error.location)
        #expect(location.file == "Pipelines/p.yml")
        #expect(location.line == 19)
        #expect(location.column == 1)
        #expect("\(error)" == "Pipelines/p.yml, line 19, column 1: not valid YAML: did not find expected ',' or ']'")
    }

    @Test func theSnippetPutsTheCaretUnderTheColumn() {
        let location = SourceLocation(file: "f", line: 3, column: 9, excerpt: "    key: value")
        #expect(location.snippet == "      key: value\n          ^")
        #expect(SourceLocation(file: "f", line: 3, excerpt: "x").snippet == "  x")
        #expect(SourceLocation(file: "f", line: 3).snippet == nil)
        // Columns count code points: a decomposed accent before the column takes no place under the caret.
        let decomposed = "Hue\u{0301}: x"
        #expect(SourceLocation(file: "f", line: 1, column: 7, excerpt: decomposed).snippet == "  \(decomposed)\n       ^")
    }

    @Test func aLongLineIsCutAroundTheColumnAndControlsAreHidden() {
        let line = String(repeating: "a", count: 100) + "X" + String(repeating: "b", count: 100)
        let shown = SourceLocation.shortened(line, around: 101)
        #expect(shown.hasPrefix("…"))
        #expect(shown.hasSuffix("…"))
        let location = SourceLocation(file: "f", line: 1, column: 101, excerpt: shown)
        let lines = (location.snippet ?? "").split(separator: "\n").map(Array.init)
        #expect(lines.count == 2)
        #expect(lines[0][lines[1].count - 1] == "X")
        // A control character or a bidirectional override cannot reach the terminal; a tab stays one column.
        #expect(SourceLocation.shortened("a\u{1B}[31m\u{202E}\tb", around: 1) == "a?[31m? b")
        #expect(SourceLocation.shortened("short", around: 3) == "short")
    }

    @Test func anExcerptIsReadFromTheFileOnlyWhenItIsText() throws {
        let directory = try TemporaryDirectory()
        let text = try directory.write("\u{FEFF}first\r\nsecond line\nlast", to: "t.csv")
        #expect(SourceLocation(file: text, line: 1).withExcerpt().excerpt == "first")
        #expect(SourceLocation(file: text, line: 2, column: 3).withExcerpt().excerpt == "second line")
        #expect(SourceLocation(file: text, line: 3).withExcerpt().excerpt == "last")
        #expect(SourceLocation(file: text, line: 4).withExcerpt().excerpt == nil)
        #expect(SourceLocation(file: text).withExcerpt().excerpt == nil)
        let binary = try directory.write(Data([0x61, 0xFF, 0x0A, 0x00, 0x0A]), to: "b.csv")
        #expect(SourceLocation(file: binary, line: 1).withExcerpt().excerpt == nil)
        #expect(SourceLocation(file: binary, line: 2).withExcerpt().excerpt == nil)
        #expect(SourceLocation(file: directory.url.appendingPathComponent("none").path, line: 1).withExcerpt().excerpt == nil)
        // The excerpt is presentation: it does not change what the location is.
        #expect(SourceLocation(file: text, line: 2).withExcerpt() == SourceLocation(file: text, line: 2))
    }

    @Test func aCSVRowIsTheRecordNotTheLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("ma,so\n\"01\nx\",1\n\n02,abc\n", to: "in.csv")
        let fields = [
            SourceField(field: Field(name: "ma", type: .string), numberFormat: .plain),
            SourceField(field: Field(name: "so", type: .integer), numberFormat: .plain),
        ]
        let error = failure { try CSVExtractor(path: path, displayPath: "in.csv", dialect: CSVDialect(), fields: fields).extract { _ in } }
        // Line 5 (a quoted line break and a blank line before it) is Frictionless' row 4.
        #expect(
            error as? PipelineFailure
                == .badValue(
                    SourceLocation(file: "in.csv", line: 5, row: 4, field: "so"), value: "abc",
                    expected: FieldType.integer.expectation(numberFormat: .plain), code: .typeError))
        #expect("\(error.map { "\($0)" } ?? "")".hasPrefix("in.csv, line 5, row 4, 'so': 'abc' is not valid"))
    }

    @Test func theJSONReportGivesEachIssuesCode() throws {
        var report = ValidationCollector().report
        report.issues = [
            ValidationIssue(.sourceError, location: SourceLocation(file: "a.csv", line: 2), message: "m", code: .unclosedQuote),
            ValidationIssue(.typeError, location: SourceLocation(file: "a.csv", line: 3), cell: "x", message: "a number"),
        ]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let issues = try #require(object["issues"] as? [[String: Any]])
        #expect(issues.map { $0["code"] as? String } == ["unclosed-quote", "type-error"])
        #expect(object["reportVersion"] as? Int == 1)
    }

    @Test func everyIssueTypeIsACode() {
        for kind in ValidationIssue.Kind.allCases {
            #expect(PipelineFailure.Code(kind).rawValue == kind.rawValue)
        }
    }

    /// docs/pipeline-format.md lists every code, and nothing else, in its table of reason codes.
    @Test func theDocumentationListsEveryCode() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/pipeline-format.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "### Errors and reason codes").dropFirst().first)
        let table = section.components(separatedBy: "\n## ")[0]
        var listed: [String] = []
        for line in table.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.split(separator: "|")[0].trimmingCharacters(in: .whitespaces)
            listed += cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
                String($0.element)
            }
        }
        let kinds = ValidationIssue.Kind.allCases.map(\.rawValue)
        // The issue types are one row, `blank-label` … `source-error`, in the order of the list above it.
        let expected = PipelineFailure.Code.allCases.map(\.rawValue).filter { !kinds.contains($0) }
        #expect(listed.filter { !kinds.contains($0) } == expected)
        #expect(listed.filter(kinds.contains) == [kinds.first!, kinds.last!])
    }

    @Test func everyFailureHasACodeAndTheInputFailuresALocation() {
        let location = SourceLocation(file: "f", line: 1)
        let failures: [(PipelineFailure, PipelineFailure.Code, Bool)] = [
            (.invalidDefinition(location, problem: "p"), .invalidDefinition, true),
            (.sourceUnreadable(location, reason: "r"), .sourceUnreadable, true),
            (.malformedSource(location, problem: "p", code: .rowWidth), .rowWidth, true),
            (.badValue(location, value: "v", expected: "e"), .typeError, true),
            (.cannotPublish(path: "o", reason: "r"), .cannotPublish, false),
            (.anotherRunInProgress(lockFile: "l"), .runInProgress, false),
            (.unknownRelease("x", reason: "r", valid: []), .unknownRelease, false),
            (.damagedRelease("x", problems: []), .damagedRelease, false),
            (.earlierReleaseTime("t", current: "c", currentTime: "ct"), .earlierReleaseTime, false),
            (.interrupted(signal: 15), .interrupted, false),
        ]
        for (failure, code, located) in failures {
            #expect(failure.code == code)
            #expect((failure.location == location) == located)
            #expect(failure.relocated { $0.withExcerpt() }.code == code)
        }
    }
}
