import Foundation
@testable import OpenDataPipeline
import Testing

/// Table Schema keys, steps and tests are checked when the pipeline is loaded.
@Suite("Schema, step and test declarations")
struct SchemaAndStepLoaderTests {
    private func load(_ yaml: String) throws -> Pipeline {
        let directory = try TemporaryDirectory()
        let path = try directory.write(yaml, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    /// The minimal pipeline with its `steps:` list replaced.
    private func withSteps(_ steps: String, extraFields: String = "") -> String {
        PipelineLoaderTests.minimal
            .replacingOccurrences(
                of: "      - {name: value, type: number}\n",
                with: "      - {name: value, type: number}\n" + extraFields
            )
            .replacingOccurrences(of: "      - derive: {name: doubled, expression: value * 2}\n", with: steps)
    }

    private func problem(_ yaml: String) -> (line: Int?, field: String?, text: String, code: PipelineFailure.Code)? {
        guard case let PipelineFailure.invalidDefinition(location, problem, code)? = failure(of: { try load(yaml) }) else {
            return nil
        }
        return (location.line, location.field, problem, code)
    }

    @Test func readsEveryConstraintAndStatisticsKey() throws {
        let yaml = withSteps(
            "      - filter: level >= 2\n",
            extraFields: """
                      - {name: code, type: string, unique: true, pattern: "[A-Z]{2}", minLength: 2, maxLength: 2}
                      - {name: users, type: number, unitMultiplier: 6, decimals: 1, exclusiveMinimum: 0, severity: warning}
                      - {name: status, type: string, role: observationStatus}
                      - {name: kind, type: integer, enum: [1, 2], missingValues: [".."]}
                      - {name: at, type: datetime}

                """)
        let fields = try #require(load(yaml).datasets.first?.schema.fields)
        let code = try #require(fields.first { $0.name == "code" })
        #expect(code.constraints.unique && code.constraints.pattern?.text == "[A-Z]{2}" && code.constraints.maxLength == 2)
        let users = try #require(fields.first { $0.name == "users" })
        #expect(users.unitMultiplier == 6 && users.decimals == 1 && users.constraints.isWarning)
        #expect(users.constraints.exclusiveMinimum == DecimalNumber(0))
        let status = try #require(fields.first { $0.name == "status" })
        #expect(status.constraints.allowed?.compactMap(\.text) == FieldRole.observationStatusCodes)
        let kind = try #require(fields.first { $0.name == "kind" })
        #expect(kind.constraints.allowed == [.integer(1), .integer(2)] && kind.missingValues == [".."])
        #expect(fields.first { $0.name == "at" }?.type == .datetime)
    }

    @Test func theDatasetsMissingValuesApplyToFieldsThatDeclareNone() throws {
        let yaml = withSteps("      - filter: level >= 1\n", extraFields: "      - {name: note, type: string, missingValues: [\"-\"]}\n")
            .replacingOccurrences(of: "    publish: [csv, json]", with: "    missingValues: [\"\", \"..\"]\n    publish: [csv, json]")
        let fields = try #require(try load(yaml).datasets.first?.extractor.schema.fields)
        #expect(fields.first { $0.name == "level" }?.missingValues == ["", ".."])
        #expect(fields.first { $0.name == "note" }?.missingValues == ["-"])
    }

    @Test func refusesConstraintsThatCannotApply() {
        // The field is the key the constraint is given with (or the field, for one that applies to no such type).
        let cases = [
            "  - {name: code, type: string, minimum: 1}\n": "datasets[0].fields[2]",
            "  - {name: code, type: string, pattern: \"([\"}\n": "datasets[0].fields[2].pattern",
            "  - {name: code, type: integer, enum: [a]}\n": "datasets[0].fields[2].enum[0]",
            "  - {name: code, type: integer, maxLength: 2}\n": "datasets[0].fields[2].maxLength",
            "  - {name: code, type: number, unitMultiplier: 4}\n": "datasets[0].fields[2].unitMultiplier",
        ]
        for (field, expected) in cases {
            let yaml = withSteps("      - filter: level >= 1\n", extraFields: "    " + field)
            let found = problem(yaml)
            #expect(found?.code == .invalidValue, "\(field): \(found?.text ?? "loaded")")
            #expect(found?.field == expected, "\(field): \(found?.text ?? "loaded")")
            #expect(found?.line == 16)
        }
    }

    @Test func loadsEveryStepKind() throws {
        let steps = """
                  - rename: {value: amount}
                  - fillDown: [level]
                  - fill: {field: amount, value: "0"}
                  - scale: {field: amount, from: 3, to: 0}
                  - deduplicate: [level]
                  - sort: [-level]
                  - aggregate:
                      groupBy: [level]
                      measures:
                        - {name: low, min: amount}
                        - {name: high, max: amount}
                        - {name: mean, mean: amount, decimals: 2}
                        - {name: share, share: amount}
                  - select: [level, share, {mean: average}]

            """
        let dataset = try #require(try load(withSteps(steps)).datasets.first)
        #expect(dataset.schema.fields.map(\.name) == ["level", "share", "average"])
        #expect(dataset.schema.fields[1].type == .number)
    }

    @Test func aStepErrorPointsAtTheStepAndNamesTheFields() {
        let yaml = withSteps("      - sort: [nope]\n")
        let unknown = problem(yaml)
        #expect(unknown?.code == .unknownField)
        // A message a user reads: the unknown name and the fields to choose from.
        #expect(unknown?.text == "sort: no field named 'nope'; the fields here are level, value")
        let stepLine = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("sort: [nope]") }
        #expect(unknown?.line == stepLine.map { $0 + 1 })
        let shuffle = problem(withSteps("      - shuffle: [level]\n"))
        #expect(shuffle?.code == .unknownName)
        #expect(shuffle?.field == "datasets[0].steps[0].shuffle")
        let filter = problem(withSteps("      - filter: value + 1\n"))
        #expect(filter?.code == .invalidValue)
        #expect(filter?.field == "datasets[0].steps[0].filter")
        #expect(shuffle?.text.hasPrefix("unknown step 'shuffle'; expected one of: select, ") == true)
        let lookup = problem(withSteps("      - lookup: {dataset: later, on: {level: code}, fields: [name]}\n"))
        #expect(lookup?.code == .invalidValue)
        #expect(lookup?.field == "datasets[0].steps[0].lookup.dataset")
    }

    @Test func keysAndTestsReferOnlyToKnownFieldsAndEarlierDatasets() {
        let base = withSteps("      - filter: level >= 1\n")
        let foreign = base.replacingOccurrences(
            of: "    publish: [csv, json]",
            with: "    foreignKeys: [{fields: [level], reference: {resource: levels, fields: [code]}}]\n    publish: [csv, json]")
        #expect(problem(foreign)?.code == .invalidValue, "\(String(describing: problem(foreign)))")
        #expect(problem(foreign)?.field == "datasets[0].foreignKeys[0].reference.resource")
        let unknownKey = problem(base.replacingOccurrences(of: "    publish: [csv, json]", with: "    primaryKey: [nope]\n    publish: [csv, json]"))
        #expect(unknownKey?.code == .unknownField)
        #expect(unknownKey?.field == "datasets[0].primaryKey[0]")
        let test = base.replacingOccurrences(
            of: "    publish: [csv, json]", with: "    tests: [{name: t, assert: level + 1}]\n    publish: [csv, json]")
        #expect(problem(test)?.code == .invalidValue)
        #expect(problem(test)?.field == "datasets[0].tests[0].assert")
        let column = base.replacingOccurrences(
            of: "    publish: [csv, json]", with: "    tests: [{name: t, assert: levle > 1}]\n    publish: [csv, json]")
        #expect(problem(column)?.code == .invalidExpression)
        #expect(problem(column)?.field == "datasets[0].tests[0].assert")
    }
}
