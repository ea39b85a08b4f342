import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("JSON-stat")
struct JSONStatExtractorTests {
    private static func field(_ name: String, _ type: FieldType = .string, from: String? = nil) -> SourceField {
        SourceField(field: Field(name: name, type: type), from: from, numberFormat: .plain)
    }

    private func rows(_ path: String, fields: [SourceField], dataset: Int = 0) throws -> [[Value]] {
        var rows: [[Value]] = []
        try JSONStatExtractor(path: path, displayPath: (path as NSString).lastPathComponent, dataset: dataset, fields: fields)
            .extract { batch in
                for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
            }
        return rows
    }

    /// The sample labels each value with its coordinates ("A2B1C3"): row-major, last dimension fastest.
    @Test(.needsSharedFixtures) func unrollsValuesInRowMajorOrderWithTheLastDimensionFastest() throws {
        let rows = try rows(
            sharedFixture("json-stat.org-samples/order.json"),
            fields: [Self.field("A"), Self.field("B"), Self.field("C"), Self.field("value")])
        #expect(rows.count == 3 * 2 * 4)
        let mismatches = rows.indices.filter { index in
            let row = rows[index].map { $0.text ?? "" }
            return row[3] != "A\(row[0])B\(row[1])C\(row[2])"
        }
        // The published sample itself repeats "A1B1C4" at position 11 (where "A2B1C4" belongs).
        #expect(mismatches == [11])
    }

    @Test(.needsSharedFixtures) func readsCanadaWithLabelOnlyCategoriesUnitsMultipliersAndOneStatusForAll() throws {
        let path = sharedFixture("json-stat.org-samples/canada.json")
        let rows = try rows(
            path,
            fields: [
                Self.field("country"), Self.field("year", .year), Self.field("age"), Self.field("concept"), Self.field("sex"),
                Self.field("value", .number), Self.field("status"), Self.field("unit", from: "concept@unit"),
                Self.field("multiplier", .integer, from: "concept@multiplier"), Self.field("age_label", from: "age@label"),
            ])
        // Expected values computed here with Foundation and a nested loop, independently of the extractor.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let sizes = try #require(json["size"] as? [Int])
        let values = try #require(json["value"] as? [Double])
        #expect(rows.count == sizes.reduce(1, *))
        #expect(rows.count == values.count)
        for (index, row) in rows.enumerated() {
            #expect(Double(row[5].text ?? "") == values[index])
            #expect(row[0] == .string("CA"))
            #expect(row[6] == .string("a"))
        }
        let population = try #require(rows.first { $0[3] == .string("POP") })
        #expect(population[7] == .string("thousands of persons"))
        #expect(population[8] == .integer(3))
        let share = try #require(rows.first { $0[3] == .string("PERCENT") })
        #expect(share[8] == .integer(0))
        #expect(rows[0][1] == .integer(2012))
        #expect(rows[0][9] != rows[0][2])  // a label, not the code
    }

    @Test(.needsSharedFixtures) func readsOECDWithASparseStatusObject() throws {
        let path = sharedFixture("json-stat.org-samples/oecd.json")
        let rows = try rows(path, fields: [Self.field("area"), Self.field("year"), Self.field("value", .number), Self.field("status")])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let status = try #require(json["status"] as? [String: String])
        #expect(rows.count == 432)
        for (index, row) in rows.enumerated() {
            #expect(row[3].text == status[String(index)])
        }
    }

    @Test(.needsSharedFixtures) func neverFetchesACollectionsLinkedDatasets() throws {
        let error = failure { try rows(sharedFixture("json-stat.org-samples/collection.json"), fields: [Self.field("value")]) }
        let message = "\(String(describing: error))"
        #expect((error as? PipelineFailure)?.code == .invalidJSONStat)
        #expect(message.contains("never fetched"))
        #expect(message.contains("http://json-stat.org/samples/oecd.json"))
    }

    /// A JSON-stat 1.x bundle as PxWeb v1 answers: regions × a metric × years, with labels and a unit.
    static let regions = [("01", "Hà Nội"), ("79", "TP. Hồ Chí Minh"), ("92", "Cần Thơ")]
    static let years = ["2019", "2020"]
    static func population(_ region: Int, _ year: Int) -> String { "\(1000 + region * 100 + year).\(region + 1)" }

    static var pxWebBundle: String {
        let regionIndex = regions.enumerated().map { "\"\($0.element.0)\": \($0.offset)" }.joined(separator: ", ")
        let regionLabels = regions.map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ")
        let values = regions.indices.flatMap { r in years.indices.map { y in population(r, y) } }
        return """
            {"dataset": {
              "dimension": {
                "Vung": {"label": "Vùng", "category": {"index": {\(regionIndex)}, "label": {\(regionLabels)}}},
                "ContentsCode": {"label": "Chỉ tiêu", "category": {"index": {"DS": 0}, "label": {"DS": "Dân số"},
                  "unit": {"DS": {"base": "nghìn người", "decimals": 1}}}},
                "Nam": {"label": "Năm", "category": {"index": {"2019": 0, "2020": 1}, "label": {"2019": "2019", "2020": "2020"}}},
                "id": ["Vung", "ContentsCode", "Nam"],
                "size": [\(regions.count), 1, \(years.count)],
                "role": {"time": ["Nam"], "metric": ["ContentsCode"]}
              },
              "label": "Dân số theo vùng và năm",
              "source": "Tổng cục Thống kê",
              "updated": "2021-06-30T10:00:00Z",
              "value": [\(values.joined(separator: ", "))]
            }}

            """
    }

    @Test func readsAJSONStat1BundleAsPxWebV1ServesIt() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Self.pxWebBundle, to: "px.json")
        let rows = try rows(
            path,
            fields: [
                Self.field("Vung"), Self.field("Vung@label"), Self.field("Nam"), Self.field("ContentsCode@unit"),
                Self.field("value", .number),
            ])
        // Row-major order, the last dimension fastest, from the table the file was written from.
        var expected: [[String]] = []
        for (r, region) in Self.regions.enumerated() {
            for (y, year) in Self.years.enumerated() {
                expected.append([region.0, region.1, year, "nghìn người", Self.population(r, y)])
            }
        }
        #expect(rows.map { $0.map { $0.text ?? "" } } == expected)
        let error = failure { try self.rows(path, fields: [Self.field("value")], dataset: 1) }
        #expect("\(String(describing: error))".contains("the JSON-stat 1.x bundle has 1 dataset(s) (dataset); dataset 1 does not exist"))
    }

    @Test(.needsSharedFixtures) func readsEveryDatasetOfTheOECDCanadaBundle() throws {
        let path = sharedFixture("badosa-JSON-stat/test/oecd-canada.json")
        let oecd = try rows(path, fields: [Self.field("value", .number)], dataset: 0)
        let canada = try rows(path, fields: [Self.field("value", .number)], dataset: 1)
        // The counts are the products of each dataset's 'size', read here with Foundation's parser.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        func cells(_ name: String) -> Int {
            let dimension = (object[name] as? [String: Any])?["dimension"] as? [String: Any]
            return ((dimension?["size"] as? [Int]) ?? []).reduce(1, *)
        }
        #expect(oecd.count == cells("oecd"))
        #expect(canada.count == cells("canada"))
    }

    /// The validator's corpus: valid cases are read, invalid ones are refused
    /// with an error that names the validator's code.
    @Test(.needsSharedFixtures) func agreesWithTheJSONStatValidatorCorpus() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: sharedFixture("jsonstat-validator/corpus/cases.json")))
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(cases.count == 20)
        let directory = try TemporaryDirectory()
        for testCase in cases {
            let id = try #require(testCase["id"] as? String)
            let expected = try #require(testCase["expected"] as? [String: Any])
            let input = try #require(testCase["input"])
            let path = try directory.write(try JSONSerialization.data(withJSONObject: input), to: "case.json")
            let error = failure { try rows(path, fields: [Self.field("value", .number)]) }
            if expected["valid"] as? Bool == true {
                #expect(error == nil, "\(id): \(String(describing: error))")
            } else {
                let codes = expected["codes"] as? [String] ?? []
                let message = "\(String(describing: error))"
                #expect((error as? PipelineFailure)?.code == .invalidJSONStat, "\(id): \(message)")
                // The JSON-stat validator's own error names lead the message.
                #expect(codes.contains { message.contains($0) }, "\(id): \(message)")
            }
        }
    }

    @Test func yieldsOnlyTheCellsASparseValueObjectLists() throws {
        let json = """
            {"version": "2.0", "class": "dataset", "id": ["geo", "nam"], "size": [2, 2],
             "dimension": {"geo": {"category": {"index": {"01": 0, "79": 1}, "label": {"01": "Hà Nội", "79": "TP. Hồ Chí Minh"}}},
                           "nam": {"category": {"index": ["2018", "2019"]}}},
             "value": {"3": 9.0, "1": 8.09}, "status": {"1": "p"}}
            """
        let directory = try TemporaryDirectory()
        let path = try directory.write(json, to: "s.json")
        let rows = try rows(
            path,
            fields: [
                Self.field("geo"), Self.field("ten", from: "geo@label"), Self.field("nam", .year), Self.field("value", .number),
                Self.field("status"),
            ])
        #expect(
            rows.map { $0.map { $0.text ?? "-" } } == [
                ["01", "Hà Nội", "2019", "8.09", "p"],
                ["79", "TP. Hồ Chí Minh", "2019", "9.0", "-"],
            ])
    }

    @Test(.needsSharedFixtures) func namesAnUnknownDimensionInAField() throws {
        let error = failure { try rows(sharedFixture("json-stat.org-samples/order.json"), fields: [Self.field("D")]) }
        #expect("\(String(describing: error))".contains("no dimension 'D'"))
    }
}
