@testable import OpenDataPipeline
import Testing

@Suite("Select, rename, filter, sort, deduplicate, fill, scale")
struct ShapeStepTests {
    private let schema = TableSchema(fields: [
        Field(name: "province", type: .string),
        Field(name: "year", type: .year),
        Field(name: "users", type: .number),
    ])
    private let rows: [[Value]] = [
        [.string("Hà Nội"), .integer(2018), decimal("7.5")],
        [.null, .integer(2017), decimal("7")],
        [.string("Huế"), .integer(2018), .null],
        [.string("Hà Nội"), .integer(2018), decimal("8")],
    ]

    @Test func selectKeepsReordersAndRenamesFields() throws {
        let step = try SelectFields([("users", "internet_users"), ("province", "province")], input: schema)
        #expect(step.outputSchema.fields.map(\.name) == ["internet_users", "province"])
        #expect(try runStep(step, [makeBatch(rows)]).first == [decimal("7.5"), .string("Hà Nội")])
        #expect(throws: TransformError(message: "select: no field named 'nope'; the fields here are province, year, users", code: .unknownField)) {
            try SelectFields([("nope", "nope")], input: schema)
        }
    }

    @Test func renameKeepsEveryFieldInPlace() throws {
        let step = try SelectFields.renaming(["year": "nam"], input: schema)
        #expect(step.outputSchema.fields.map(\.name) == ["province", "nam", "users"])
    }

    @Test func filterKeepsRowsWhereTheConditionIsTrueAndDropsNull() throws {
        let step = try FilterRows(try Expression("users >= 7.5", schema: schema), input: schema)
        #expect(try runStep(step, [makeBatch(rows)]).map { $0[2] } == [decimal("7.5"), decimal("8")])
        #expect(throws: TransformError(message: "a filter is a true/false expression; 'users' gives number")) {
            try FilterRows(try Expression("users", schema: schema), input: schema)
        }
    }

    @Test func sortOrdersByFieldsDescendingWithAMinusAndIsStable() throws {
        let step = try SortRows(by: ["-year", "province"], input: schema)
        let sorted = try runStep(step, [makeBatch(Array(rows[0...1])), makeBatch(Array(rows[2...3]))])
        // Text sorts by Unicode code points: "Hu" before "Hà".
        #expect(sorted.map { $0[0] } == [.string("Huế"), .string("Hà Nội"), .string("Hà Nội"), .null])
        #expect(sorted[1][2] == decimal("7.5"), "equal keys keep their order")
    }

    @Test func deduplicateKeepsTheFirstRowOfEachKey() throws {
        let step = try Deduplicate(by: ["province", "year"], input: schema)
        #expect(try runStep(step, [makeBatch(rows)]).count == 3)
    }

    @Test func fillDownRepeatsTheLastValueAndFillSetsAConstant() throws {
        let down = try FillValues([("province", .previousRow)], input: schema)
        #expect(try runStep(down, [makeBatch(rows)])[1][0] == .string("Hà Nội"))
        let constant = try FillValues([("users", .constant(decimal("0")))], input: schema)
        #expect(try runStep(constant, [makeBatch(rows)])[2][2] == decimal("0"))
    }

    @Test func scaleConvertsMillionsToUnitsAndBackExactly() throws {
        let up = try ScaleUnits(field: "users", from: 6, to: 0, input: schema)
        #expect(try runStep(up, [makeBatch(rows)]).first?[2].text == "7500000")
        let integers = TableSchema(fields: [Field(name: "residents", type: .integer)])
        let down = try ScaleUnits(field: "residents", from: 0, to: 3, input: integers)
        #expect(down.outputSchema.fields[0].unitMultiplier == 3)
        #expect(try runStep(down, [makeBatch([[.integer(7_500_000)]])]) == [[.number(DecimalNumber(7500))]])
        #expect(try runStep(down, [makeBatch([[.integer(500)]])]).first?[0].text == "0.5")
    }
}
