import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

@Suite("Keys and data tests")
struct KeyAndDataTestTests {
    private let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    /// Validates a pipeline file written in the temporary directory with its CSV files.
    private func validate(_ yaml: String, files: [String: String]) throws -> ValidationReport {
        for (name, text) in files { _ = try directory.write(text, to: name) }
        let path = try directory.write(yaml, to: "p.yml")
        let pipeline = try PipelineLoader().load(path: path)
        let runner = PipelineRunner(output: directory.url.appendingPathComponent("Output"), logger: .init(label: "test"))
        return try #require(try runner.validate([pipeline]).validation)
    }

    private func pipeline(_ datasets: String) -> String {
        """
        \(testPipelineHeader)
        \(datasets)
        """
    }

    private let areas = """
          - id: areas
            title: {vi: A, en: A}
            description: {vi: A, en: A}
            source: {type: csv, path: areas.csv}
            fields:
              - {name: code, type: string, required: true, unique: true}
              - {name: name, type: string}
            primaryKey: [code]
            publish: [csv]
        """

    @Test func uniquePrimaryAndForeignKeysReportEveryBrokenRow() throws {
        let yaml = pipeline(
            areas + "\n" + """
                  - id: figures
                    title: {vi: F, en: F}
                    description: {vi: F, en: F}
                    source: {type: csv, path: figures.csv}
                    fields:
                      - {name: area, type: string}
                      - {name: year, type: year}
                      - {name: value, type: integer}
                    primaryKey: [area, year]
                    foreignKeys:
                      - {fields: [area], reference: {resource: areas, fields: [code]}}
                    publish: [csv]
                """)
        let report = try validate(
            yaml,
            files: [
                "areas.csv": "code,name\nHN,Hà Nội\nHCM,TP HCM\nHN,again\n",
                "figures.csv": "area,year,value\nHN,2018,1\nHN,2018,2\nDN,2018,3\nHCM,2018,4\n",
            ])
        let found = report.issues.map { "\($0.dataset) \($0.type.rawValue) line \($0.location.line ?? 0)" }
        #expect(
            found == [
                "areas unique-error line 4",
                "figures primary-key-error line 3",
                "figures foreign-key-error line 4",
            ])
        #expect(report.issues.last?.message.contains("'areas'") == true)
    }

    @Test func aForeignKeyIntoTheDatasetItselfFindsKeysOnLaterRowsAndReportsTheMissing() throws {
        let yaml = pipeline(
            """
              - id: regions
                title: {vi: R, en: R}
                description: {vi: R, en: R}
                source: {type: csv, path: regions.csv}
                fields:
                  - {name: code, type: string, required: true}
                  - {name: parent, type: string}
                primaryKey: [code]
                foreignKeys:
                  - {fields: [parent], reference: {fields: [code]}}
                publish: [csv]
            """)
        let report = try validate(
            yaml,
            // Hà Nội names its parent before the country's row; XX names a parent that does not exist.
            files: ["regions.csv": "code,parent\nHN,VN\nVN,\nXX,ZZ\n"])
        let found = report.issues.map { "\($0.type.rawValue) line \($0.location.line ?? 0) \($0.cell ?? "")" }
        #expect(found == ["foreign-key-error line 4 ZZ"])
        #expect(report.issues.first?.message.contains("of any row of this dataset") == true)
    }

    @Test func aFailingDataTestNamesTheTestTheRowAndItsValues() throws {
        let yaml = pipeline(
            """
              - id: services
                title: {vi: S, en: S}
                description: {vi: S, en: S}
                source: {type: csv, path: services.csv}
                fields:
                  - {name: year, type: year}
                  - {name: level_3, type: integer}
                  - {name: level_4, type: integer}
                  - {name: online, type: integer}
                tests:
                  - {name: online-is-levels-3-and-4, assert: "online = level_3 + level_4"}
                  - {name: yearly, noGaps: year}
                  - {name: total-online, total: {sum: online}, equals: {sum: level_3 + level_4}}
                  - {name: at-most-500, assert: "online <= 500", severity: warning}
                  - {name: no-future, notInFuture: year}
                publish: [csv]
            """)
        let report = try validate(
            yaml, files: ["services.csv": "year,level_3,level_4,online\n2016,10,5,15\n2018,386,170,555\n2999,0,0,0\n"])
        #expect(!report.isValid)
        #expect(report.errors == 4)
        #expect(report.issues.contains { $0.rule == "no-future" && $0.location.line == 4 && $0.message.contains("2999") })
        #expect(report.warnings == 1)
        let first = try #require(report.issues.first)
        #expect(first.type == .testError)
        #expect(first.rule == "online-is-levels-3-and-4")
        #expect(first.location.line == 3)
        #expect(first.message.contains("year=2018, level_3=386, level_4=170, online=555"))
        #expect(report.issues.contains { $0.rule == "yearly" && $0.message.contains("2017, 2019, 2020") && $0.message.contains("and 971 more") })
        #expect(report.issues.contains { $0.rule == "total-online" && $0.message.contains("is 570 but") && $0.message.contains("is 571") })
        #expect(report.issues.contains { $0.rule == "at-most-500" && $0.severity == .warning })
    }
}

@Suite("KeyCheck")
struct KeyCheckTests {
    @Test func numericallyEqualValuesAreTheSameKeyAndNullsAreNotCompared() throws {
        let schema = TableSchema(fields: [Field(name: "rate", type: .number)])
        let check = KeyCheck(schema: schema, uniqueFields: [0], primaryKey: [], foreignKeys: [])
        let collector = ValidationCollector()
        let rows = try runStep(
            check, [makeBatch([[decimal("1.5")], [.null], [decimal("1.50")], [.null]])],
            context: StepContext(sourceFile: "in.csv", collector: collector))
        #expect(rows.count == 3)
        #expect(collector.report.issues.map(\.type) == [.uniqueError])
        #expect(collector.report.issues.first?.location.line == 4)
    }

    @Test func aUniqueKeyComparesFieldsTogetherAndSkipsKeysWithAnEmptyPart() throws {
        let schema = TableSchema(fields: [Field(name: "area", type: .string), Field(name: "year", type: .year)])
        var check = KeyCheck(schema: schema, uniqueFields: [], primaryKey: [], foreignKeys: [])
        check.uniqueKeys = [[0, 1]]
        let collector = ValidationCollector()
        let rows: [[Value]] = [
            [.string("HN"), .integer(2018)], [.string("HN"), .integer(2017)], [.null, .integer(2018)],
            [.null, .integer(2018)], [.string("HN"), .integer(2018)],
        ]
        let kept = try runStep(check, [makeBatch(rows)], context: StepContext(sourceFile: "in.csv", collector: collector))
        #expect(kept.count == 4)
        #expect(collector.report.issues.map { "\($0.rule ?? "") \($0.location.line ?? 0)" } == ["uniqueKeys 6"])
    }
}
