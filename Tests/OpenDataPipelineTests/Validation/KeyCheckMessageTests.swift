@testable import OpenDataPipeline
import Testing

/// What a key check reports now that it holds its keys as bytes: the key in key form, the
/// line a primary key was first seen on, and the references a self-referencing key misses.
@Suite("KeyCheck messages")
struct KeyCheckMessageTests {
    private let schema = TableSchema(fields: [
        Field(name: "code", type: .string), Field(name: "parent", type: .string), Field(name: "rate", type: .number),
    ])

    @Test func aRepeatedPrimaryKeyNamesItsKeyFormAndTheLineItWasFirstOn() throws {
        let check = KeyCheck(schema: schema, uniqueFields: [], primaryKey: [0, 2], foreignKeys: [])
        let collector = ValidationCollector()
        let rows: [[Value]] = [
            [.string("HN"), .null, decimal("1.50")], [.string("HN"), .null, decimal("2")], [.string("HN"), .null, decimal("1.5")],
            [.null, .null, decimal("1")], [.string("HN"), .null, decimal("2.000")],
        ]
        let kept = try runStep(check, [makeBatch(rows)], context: StepContext(sourceFile: "in.csv", collector: collector))
        #expect(kept.count == 2)
        let issues = collector.report.issues
        #expect(issues.map(\.type) == [.primaryKeyError, .primaryKeyError, .primaryKeyError])
        #expect(
            issues.map(\.message) == [
                "the primary key (code, rate) = (HN, 1.5) is repeated (first on line 2)",
                "the primary key (code, rate) has an empty part: (null, 1)",
                "the primary key (code, rate) = (HN, 2) is repeated (first on line 3)",
            ])
        #expect(issues.map(\.location.line) == [4, 5, 6])
        #expect(issues.map(\.cell) == ["HN, 1.5", "null, 1", "HN, 2"])
    }

    @Test func aSelfReferenceMissingAtTheEndIsReportedInRowOrderWithItsLine() throws {
        let key = KeyCheck.ForeignKeyCheck(fields: [1], names: ["parent"], dataset: "d", referencedFields: ["code"], ownFields: [0])
        let check = KeyCheck(schema: schema, uniqueFields: [], primaryKey: [], foreignKeys: [key])
        let collector = ValidationCollector()
        let rows: [[Value]] = [
            [.string("HN"), .string("VN"), .null], [.string("Q1"), .string("HCM"), .null], [.string("VN"), .null, .null],
            [.string("X"), .string("ZZ"), .null], [.string("Y"), .string("Q1"), .null], [.string("Z"), .string("ZZ"), .null],
            [.string("HCM"), .string("VN"), .null], [.string("W"), .string("Vn"), .null],
        ]
        let kept = try runStep(check, [makeBatch(rows)], context: StepContext(sourceFile: "in.csv", collector: collector))
        #expect(kept.count == rows.count)
        let issues = collector.report.issues
        #expect(issues.map { "\($0.location.line ?? 0) \($0.cell ?? "")" } == ["5 ZZ", "7 ZZ", "9 Vn"])
        #expect(issues.first?.message == "(ZZ) is not a (code) of any row of this dataset")
    }
}
