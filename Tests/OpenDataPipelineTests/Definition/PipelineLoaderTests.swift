import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("PipelineLoader")
struct PipelineLoaderTests {
    static let minimal = """
        \(testPipelineHeader)
          - id: counts
            title: {vi: Số liệu, en: Counts}
            description: {vi: Mô tả, en: Description}
            source: {type: csv, path: data/counts.csv, numberFormat: vi}
            fields:
              - {name: level, type: integer, required: true, minimum: 1, maximum: 4}
              - {name: value, type: number}
            steps:
              - derive: {name: doubled, expression: value * 2}
            publish: [csv, json]

        """

    private func load(_ yaml: String) throws -> Pipeline {
        let directory = try TemporaryDirectory()
        let path = try directory.write(yaml, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    /// The definition error loading `yaml` gives; fails the test when there is none.
    private func definitionError(_ yaml: String) throws -> (
        location: OpenDataPipeline.SourceLocation, problem: String, code: PipelineFailure.Code
    ) {
        let error = failure(of: { try load(yaml) })
        guard case let PipelineFailure.invalidDefinition(location, problem, code)? = error else {
            throw ExpectedDefinitionError(found: error.map { "\($0)" } ?? "no error")
        }
        return (location, problem, code)
    }

    struct ExpectedDefinitionError: Error {
        var found: String
    }

    @Test func loadsAPipelineAndResolvesPathsBesideTheFile() throws {
        let pipeline = try load(Self.minimal)
        #expect(pipeline.id == "test-pipeline")
        #expect(pipeline.timeZone.identifier == "Asia/Ho_Chi_Minh")
        let dataset = try #require(pipeline.datasets.first)
        #expect(dataset.schema.fields.map(\.name) == ["level", "value", "doubled"])
        #expect(dataset.schema.fields[2].type == .number)
        #expect(dataset.formats == [.csv, .json])
        #expect(dataset.extractor.displayPath == "Pipelines/data/counts.csv")
    }

    @Test func namesTheLineAndKeyOfAnUnknownKey() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "publish: [csv, json]", with: "publsh: [csv, json]")
        let error = try (definitionError(yaml))
        #expect(error.location.file == "Pipelines/p.yml")
        #expect(error.location.line == 18)
        #expect(error.location.column == 5)
        #expect(error.location.field == "datasets[0].publsh")
        #expect(error.code == .unknownKey)
        // The line is the excerpt, with the caret under the key.
        #expect(error.location.excerpt == "    publsh: [csv, json]")
        #expect(error.location.snippet == "      publsh: [csv, json]\n      ^")
        // A message a user reads: it names the key and lists the valid ones.
        #expect(error.problem.hasPrefix("unknown key 'publsh'; expected one of: "))
    }

    @Test func namesAMissingRequiredKey() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "timeZone: Asia/Ho_Chi_Minh\n", with: "")
        let error = try (definitionError(yaml))
        #expect(error.code == .missingKey)
        #expect(error.location == OpenDataPipeline.SourceLocation(file: "Pipelines/p.yml", line: 1, column: 1, field: ""))
        #expect(error.problem == "missing required key 'timeZone'")
    }

    @Test(arguments: [
        ("minimum: 1,", "minimum: one,", PipelineFailure.Code.typeMismatch, 14, 63, "datasets[0].fields[0].minimum"),
        ("type: integer", "type: int", .invalidValue, 14, 29, "datasets[0].fields[0].type"),
        ("numberFormat: vi", "numberFormat: fr", .invalidValue, 12, 62, "datasets[0].source.numberFormat"),
        ("id: counts", "id: Counts Table", .invalidValue, 9, 9, "datasets[0].id"),
        ("timeZone: Asia/Ho_Chi_Minh", "timeZone: Mars/Base", .invalidValue, 7, 11, "timeZone"),
        ("baseURL: https://data.example.vn", "baseURL: data.example.vn", .invalidValue, 6, 10, "baseURL"),
        ("required: true", "required: maybe", .typeMismatch, 14, 48, "datasets[0].fields[0].required"),
        ("publish: [csv, json]", "publish: [csv, xls]", .unknownName, 18, 20, "datasets[0].publish[1]"),
        ("path: data/counts.csv", "path: /etc/passwd", .invalidValue, 12, 31, "datasets[0].source.path"),
    ])
    func refusesAWrongValueWithItsKey(
        original: String, replacement: String, code: PipelineFailure.Code, line: Int, column: Int, field: String
    ) throws {
        let error = try (definitionError(Self.minimal.replacingOccurrences(of: original, with: replacement)))
        #expect(error.code == code, Comment(rawValue: error.problem))
        #expect(error.location == OpenDataPipeline.SourceLocation(file: "Pipelines/p.yml", line: line, column: column, field: field))
    }

    /// Pages and feeds make links of these: a script or data URL from the pipeline file would run in a reader's browser.
    @Test(arguments: [
        ("license: {name: CC-BY-4.0}", "license: {name: CC-BY-4.0, path: \"javascript:alert(1)\"}", 5, "license.path", "javascript:alert(1)"),
        ("publisher: {name: Sở TT&TT}", "publisher: {name: Sở TT&TT, url: \"JavaScript:alert(1)\"}", 4, "publisher.url", "JavaScript:alert(1)"),
        ("publisher: {name: Sở TT&TT}", "publisher: {name: Sở TT&TT, url: \"java\\tscript:alert(1)\"}", 4, "publisher.url", "java\tscript:alert(1)"),
        (
            "source: {type: csv", "sources: [{title: T, path: \"data:text/html,<script>alert(1)</script>\"}]\n    source: {type: csv", 12,
            "datasets[0].sources[0].path", "data:text/html,<script>alert(1)</script>"
        ),
    ])
    func refusesALinkThatIsNotHTTPOrRelative(original: String, replacement: String, line: Int, field: String, value: String) throws {
        let error = try definitionError(Self.minimal.replacingOccurrences(of: original, with: replacement))
        #expect(error.location.line == line)
        #expect(error.location.field == field)
        #expect(
            error.problem == "expected an http or https URL (or a relative path) without spaces, found '\(value)'; pages and feeds make a link of it")
    }

    @Test func acceptsHTTPSAndRelativeLinks() throws {
        let yaml = Self.minimal
            .replacingOccurrences(of: "license: {name: CC-BY-4.0}", with: "license: {name: CC-BY-4.0, path: LICENSE.txt}")
            .replacingOccurrences(of: "publisher: {name: Sở TT&TT}", with: "publisher: {name: Sở TT&TT, url: \"HTTPS://so.example.vn/a:b\"}")
        let pipeline = try load(yaml)
        #expect(pipeline.license.path == "LICENSE.txt")
        #expect(pipeline.publisher.url == "HTTPS://so.example.vn/a:b")
    }

    /// A key given twice is placed at its second occurrence, and the file is not printed.
    @Test(arguments: [
        // Block style at the top: `title:` again on line 9.
        ("title: {vi: Thử nghiệm, en: Test}\n", "title: {vi: Thử nghiệm, en: Test}\ntitle: {vi: Lại, en: Again}\n", "title", 3, 1, 2, 1),
        // Flow style: `vi:` twice on one line.
        ("title: {vi: Số liệu, en: Counts}", "title: {vi: Số liệu, vi: Counts}", "vi", 10, 26, 10, 13),
        // Nested block mapping inside a sequence item, with a deeper mapping between.
        ("    publish: [csv, json]\n", "    publish: [csv, json]\n    title: {vi: Lại, en: Again}\n", "title", 19, 5, 10, 5),
    ])
    func placesARepeatedKeyAtItsSecondOccurrence(
        original: String, replacement: String, key: String, line: Int, column: Int, firstLine: Int, firstColumn: Int
    ) throws {
        let error = try definitionError(Self.minimal.replacingOccurrences(of: original, with: replacement))
        #expect(error.location.line == line)
        #expect(error.location.column == column)
        #expect(error.location.field == key)
        #expect(error.code == .yamlDuplicateKey)
        #expect(
            error.problem
                == "the key '\(key)' is given twice in the same mapping (first on line \(firstLine), column \(firstColumn)); keep one of them")
        #expect(!error.problem.contains("timeZone"), "the file is not dumped")
    }

    @Test func placesAnExpressionErrorAtItsColumn() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "expression: value * 2", with: "expression: value * levl")
        let error = try (definitionError(yaml))
        #expect(error.location.line == 17)
        // "      - derive: {name: doubled, expression: value * levl}": 'levl' starts at column 53.
        #expect(error.location.column == 53)
        #expect(error.code == .invalidExpression)
        #expect(error.location.snippet == "        - derive: {name: doubled, expression: value * levl}\n" + String(repeating: " ", count: 54) + "^")
    }

    @Test func refusesAYAMLAliasBombAtOnce() throws {
        var yaml = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1...9 {
            let previous = level == 1 ? "a" : "l\(level - 1)"
            yaml += "l\(level): &l\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        let started = ContinuousClock.now
        let error = try (definitionError(yaml))
        // Yams keeps no anchors on composed nodes, so the node limit is what stops the walk
        // through the shared (never expanded) nodes.
        #expect(error.code == .definitionTooLarge)
        // The shared nodes keep their anchor's position: the first line.
        #expect(error.location.line == 1)
        // A guard that nothing was expanded, not a timing test of the code.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func refusesAHugeFileBeforeReadingIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("huge.yml").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 100 << 20)  // a sparse 100 MB file
        try handle.close()
        let error = failure(of: { try PipelineLoader().load(path: path) }) as? PipelineFailure
        #expect(error?.code == .definitionTooLarge)
        #expect(error?.location == OpenDataPipeline.SourceLocation(file: path))
    }

    @Test func refusesDeepNesting() throws {
        let yaml = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let error = try (definitionError(yaml))
        #expect(error.code == .definitionTooLarge)
        #expect(error.location == OpenDataPipeline.SourceLocation(file: "Pipelines/p.yml", line: 1, column: 34))
    }

    /// libyaml stops at 1,000 levels, before Yams' recursive composer could overflow the stack.
    @Test(arguments: ["flow", "block"])
    func refusesNestingBeyondLibYAMLsLimitWithThePosition(style: String) throws {
        let yaml = style == "flow" ? String(repeating: "[", count: 200_000) : "a:\n" + String(repeating: "- ", count: 200_000) + "x"
        let error = try definitionError(yaml)
        // Yams' mark is the location's line and column.
        #expect(error.location.line == (style == "flow" ? 1 : 2))
        #expect(error.location.column == (style == "flow" ? 1 : 1999))
        #expect(error.code == .yamlSyntax)
        #expect(error.problem == "not valid YAML: nested more than 1000 levels deep; pipeline files are limited to 32")
    }

    @Test func loadsTheShippedExamplePipeline() throws {
        let path = repositoryRoot.appendingPathComponent("Pipelines/vietnam-digital-government.yml").path
        let pipeline = try PipelineLoader().load(path: path)
        #expect(
            pipeline.datasets.map(\.id) == [
                "vietnam-internet-2018", "hanoi-population-database", "hanoi-procedures-by-level",
                "hanoi-online-public-services", "areas", "hanoi-online-services-by-year",
            ])
    }

    // MARK: headline, titles and illustrative selectors

    @Test func titlesSetAFieldsTitleAfterTheSteps() throws {
        let yaml = Self.minimal.replacingOccurrences(
            of: "publish: [csv, json]",
            with: "publish: [csv, json]\n    titles: {doubled: {vi: Gấp đôi, en: Doubled, description: {vi: Hai lần, en: Twice}}}")
        let field = try #require(try load(yaml).datasets.first?.schema["doubled"])
        #expect(field.title == LocalizedText(vi: "Gấp đôi", en: "Doubled"))
        #expect(field.description == LocalizedText(vi: "Hai lần", en: "Twice"))
    }

    @Test(arguments: [
        (
            "headline: {by: nope}", PipelineFailure.Code.unknownField, 19, "datasets[0].headline.by",
            "no field named 'nope'; the fields here are level, value, doubled"
        ),
        ("headline: {count: 0}", .invalidValue, 19, "datasets[0].headline.count", "expected a number of rows from 1 to 20, found 0"),
        (
            "titles: {tripled: {vi: Ba, en: Three}}", .unknownKey, 19, "datasets[0].titles.tripled",
            "unknown key 'tripled'; expected one of: level, value, doubled"
        ),
        (
            "illustrative: {vi: Minh họa, en: Sample, rows: [{level: one}]}", .invalidValue, 19,
            "datasets[0].illustrative.rows[0].level", "'one' is not a value of 'level': expected a whole number (e.g. 1883)"
        ),
    ])
    func refusesABadHeadlineTitleOrSelector(added: String, code: PipelineFailure.Code, line: Int, field: String, problem: String) throws {
        let error = try definitionError(Self.minimal.replacingOccurrences(of: "publish: [csv, json]", with: "publish: [csv, json]\n    \(added)"))
        #expect(error.code == code, Comment(rawValue: error.problem))
        #expect(error.location.line == line)
        #expect(error.location.field == field)
        #expect(error.problem.hasPrefix(problem), Comment(rawValue: error.problem))
    }
}
