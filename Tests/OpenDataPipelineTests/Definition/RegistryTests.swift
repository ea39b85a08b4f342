import Foundation
@testable import OpenDataPipeline
import Testing

/// The source-type and step registries: unknown names and keys are errors that list the
/// known ones, and the documentation names every option a type reads.
@Suite("Source type and step registries")
struct RegistryTests {
    private static func definitionError(_ yaml: String) -> (line: Int?, column: Int?, problem: String, code: PipelineFailure.Code)? {
        guard case let PipelineFailure.invalidDefinition(location, problem, code)? = failure(of: { try SourceLoaderTests.load(yaml) })
        else { return nil }
        return (location.line, location.column, problem, code)
    }

    @Test func anUnknownSourceTypeListsTheKnownOnesAtItsPosition() throws {
        let error = try #require(Self.definitionError(SourceLoaderTests.pipeline(source: "{type: parquet, path: d.parquet}")))
        #expect(
            error.problem == "expected a source type of csv, tsv, xml, json, ndjson, json-stat, sdmx, html, sqlite, xlsx, postgresql, found 'parquet'"
        )
        #expect(error.code == .unknownName)
        // `    source: {type: parquet`: the value starts in column 20.
        #expect(error.line == 12)
        #expect(error.column == 20)
    }

    @Test func anUnknownOptionNamesTheKeyAndTheKeysOfThatType() throws {
        let error = try #require(Self.definitionError(SourceLoaderTests.pipeline(source: "{type: csv, path: d.csv, rows: /a}")))
        #expect(
            error.problem
                == "unknown key 'rows' for a csv source; expected one of: type, path, numberFormat, delimiter, quote, encoding, headerLine, footerRows, commentPrefix"
        )
        #expect(error.code == .unknownKey)
        #expect(error.line == 12)
        #expect(error.column == 38)
        // A key no type reads is named with the keys of the type too.
        let tsv = try #require(Self.definitionError(SourceLoaderTests.pipeline(source: "{type: tsv, path: d.tsv, delimter: ';'}")))
        #expect(tsv.problem == "unknown key 'delimter' for a tsv source; expected one of: type, path, numberFormat, encoding")
    }

    @Test func anOptionOfTheWrongKindSaysWhatItExpected() throws {
        let error = try #require(
            Self.definitionError(SourceLoaderTests.pipeline(source: "{type: json, path: d.json, maximumDepth: deep}")))
        #expect(error.problem == "expected a whole number, found 'deep'")
        #expect(error.line == 12)
        #expect(error.column == 54)
        let stream = try #require(
            Self.definitionError(SourceLoaderTests.pipeline(source: "{type: xml, path: d.xml, rows: /a, stream: sometimes}")))
        #expect(stream.problem == "expected true or false, found 'sometimes'")
    }

    @Test func anUnknownStepListsTheKnownStepsAtItsPosition() throws {
        let yaml = SourceLoaderTests.pipeline(source: "{type: csv, path: d.csv}").replacingOccurrences(
            of: "    publish: [csv, json]\n", with: "    steps:\n      - shuffle: [ten]\n    publish: [csv, json]\n")
        let error = try #require(Self.definitionError(yaml))
        #expect(
            error.problem
                == "unknown step 'shuffle'; expected one of: select, rename, filter, derive, aggregate, lookup, unpivot, pivot, sort, deduplicate, scale, fillDown, fill"
        )
        #expect(error.code == .unknownName)
        #expect(error.line == 15)
        #expect(error.column == 9)
    }

    @Test func namesAreRegisteredOnce() {
        let sources = SourceType.registry.map(\.name)
        #expect(Set(sources).count == sources.count)
        let steps = StepType.registry.map(\.name)
        #expect(Set(steps).count == steps.count)
        for type in SourceType.registry {
            #expect(Set(type.keys).count == type.keys.count, "\(type.name) declares a key twice")
        }
    }

    /// Each type's section of docs/pipeline-format.md (the `###` section whose example says
    /// `type: <name>`) names every option the type reads, as `key:` or `` `key` ``.
    @Test func theDocumentationNamesEveryOptionOfEveryType() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/pipeline-format.md"), encoding: .utf8)
        let chapter = try #require(text.components(separatedBy: "\n## Sources\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        let sections = chapter.components(separatedBy: "\n### ")
        for type in SourceType.registry {
            let matching = sections.filter { section in
                section.range(of: "type: \(NSRegularExpression.escapedPattern(for: type.name))(\\s|$)", options: .regularExpression) != nil
            }
            #expect(matching.count == 1, "docs/pipeline-format.md: expected one section with 'type: \(type.name)', found \(matching.count)")
            guard let section = matching.first else { continue }
            for option in type.options where !section.contains("\(option.key):") && !section.contains("`\(option.key)`") {
                Issue.record("docs/pipeline-format.md: the \(type.name) section does not name its option '\(option.key)'")
            }
        }
        for option in SourceType.commonOptions where !chapter.contains("\(option.key):") {
            Issue.record("docs/pipeline-format.md: the Sources chapter does not name '\(option.key)'")
        }
    }
}
