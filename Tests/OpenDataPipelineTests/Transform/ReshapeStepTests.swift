@testable import OpenDataPipeline
import Testing

@Suite("Unpivot, pivot, lookup, aggregate measures")
struct ReshapeStepTests {
    private let wide = TableSchema(fields: [
        Field(name: "indicator", type: .string),
        Field(name: "y2016", type: .integer),
        Field(name: "y2017", type: .integer),
    ])

    @Test func unpivotGivesOneRowPerYearColumn() throws {
        let step = try Unpivot(
            fields: ["y2016", "y2017"], key: Field(name: "year", type: .year), value: Field(name: "value", type: .number),
            stripPrefix: "y", input: wide)
        #expect(step.outputSchema.fields.map(\.name) == ["indicator", "year", "value"])
        #expect(step.outputSchema.fields[2].type == .integer)
        let rows = try runStep(step, [makeBatch([[.string("users"), .integer(50), .integer(52)]])])
        #expect(
            rows == [
                [.string("users"), .integer(2016), .integer(50)],
                [.string("users"), .integer(2017), .integer(52)],
            ])
    }

    @Test func pivotIsTheInverseOfUnpivot() throws {
        let unpivot = try Unpivot(
            fields: ["y2016", "y2017"], key: Field(name: "year", type: .year), value: Field(name: "value", type: .integer),
            stripPrefix: "y", input: wide)
        let pivot = try Pivot(
            key: "year", value: "value", columns: [("y2016", "2016"), ("y2017", "2017")], input: unpivot.outputSchema)
        #expect(pivot.outputSchema.fields.map(\.name) == wide.fields.map(\.name))
        #expect(pivot.outputSchema.fields.map(\.type) == wide.fields.map(\.type))
        let original: [[Value]] = [
            [.string("internet users"), .integer(50), .integer(52)],
            [.string("procedures online"), .null, .integer(1883)],
        ]
        let long = try runStep(unpivot, [makeBatch(original)])
        #expect(long.count == 4)
        // Rows in any order come back as the wide rows, groups in ascending order.
        #expect(try runStep(pivot, [makeBatch(long.reversed())]) == original)
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "in.csv", line: 2, field: "year"), value: "2019", expected: "one of 2016, 2017")
        ) {
            try runStep(pivot, [makeBatch([[.string("users"), .integer(2019), .integer(1)]])])
        }
    }

    @Test func lookupAddsNamesAndNamesAnUnmatchedKey() throws {
        let areas = TableSchema(fields: [Field(name: "code", type: .string), Field(name: "name", type: .string)])
        let tables = PipelineTables(wanted: ["areas"])
        tables.store(
            .init(schema: areas, rows: [[.string("HN"), .string("Hà Nội")]], lines: [2], file: "areas.csv"), for: "areas")
        let input = TableSchema(fields: [Field(name: "area_code", type: .string)])
        let step = try LookupValues(
            dataset: "areas", schema: areas, on: [("area_code", "code")], fields: [("area_name", "name")],
            keepUnmatched: false, input: input)
        let context = StepContext(sourceFile: "figures.csv", tables: tables)
        #expect(try runStep(step, [makeBatch([[.string("HN")]])], context: context) == [[.string("HN"), .string("Hà Nội")]])
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "figures.csv", line: 2, field: "area_code"), value: "DN",
                expected: "a key (code) of the dataset 'areas'")
        ) { try runStep(step, [makeBatch([[.string("DN")]])], context: context) }
        let collector = ValidationCollector()
        let collecting = StepContext(sourceFile: "figures.csv", collector: collector, tables: tables)
        #expect(try runStep(step, [makeBatch([[.string("DN")], [.string("HN")]])], context: collecting).count == 1)
        #expect(collector.report.issues.first?.type == .stepError)
    }

    @Test func aggregatesMinimumMaximumMeanAndShareOfTheTotal() throws {
        let schema = TableSchema(fields: [Field(name: "level", type: .integer), Field(name: "fee", type: .integer)])
        let fee = try Expression("fee", schema: schema)
        var share = Field(name: "share", type: .number)
        share.decimals = 1
        let step = try Aggregate(
            groupBy: ["level"],
            measures: [
                .init(field: Field(name: "low", type: .integer), measure: .minimum(fee)),
                .init(field: Field(name: "high", type: .integer), measure: .maximum(fee)),
                .init(field: Field(name: "mean", type: .number), measure: .mean(fee)),
                .init(field: share, measure: .share(fee)),
            ],
            input: schema)
        let rows = try runStep(
            step, [makeBatch([[.integer(3), .integer(386)], [.integer(4), .integer(170)], [.integer(4), .null], [.integer(1), .integer(1327)]])])
        #expect(rows.map { $0[1] } == [.integer(1327), .integer(386), .integer(170)])
        #expect(rows[2][3] == decimal("170"), "the mean skips nulls")
        #expect(rows.map { $0[4].text } == ["70.5", "20.5", "9.0"])
    }
}
