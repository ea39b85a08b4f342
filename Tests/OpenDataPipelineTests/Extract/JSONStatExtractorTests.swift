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
    @Test func unrollsValuesInRowMajorOrderWithTheLastDimensionFastest() throws {
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

    @Test func readsCanadaWithLabelOnlyCategoriesUnitsMultipliersAndOneStatusForAll() throws {
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

    @Test func readsOECDWithASparseStatusObject() throws {
        let path = sharedFixture("json-stat.org-samples/oecd.json")
        let rows = try rows(path, fields: [Self.field("area"), Self.field("year"), Self.field("value", .number), Self.field("status")])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let status = try #require(json["status"] as? [String: String])
        #expect(rows.count == 432)
        for (index, row) in rows.enumerated() {
            #expect(row[3].text == status[String(index)])
        }
    }

    @Test func neverFetchesACollectionsLinkedDatasets() throws {
        let error = failure { try rows(sharedFixture("json-stat.org-samples/collection.json"), fields: [Self.field("value")]) }
        let message = "\(String(describing: error))"
        #expect(message.contains("never fetched"))
        #expect(message.contains("http://json-stat.org/samples/oecd.json"))
    }

    @Test func refusesAJSONStat1BundleClearly() throws {
        let error = failure { try rows(sharedFixture("badosa-JSON-stat/test/oecd-canada.json"), fields: [Self.field("value")]) }
        #expect("\(String(describing: error))".contains("JSON-stat 1.x bundle"))
    }

    /// The validator's corpus: valid cases are read, invalid ones are refused
    /// with an error that names the validator's code.
    @Test func agreesWithTheJSONStatValidatorCorpus() throws {
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
                #expect(error != nil, "\(id) was accepted")
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
            path, fields: [Self.field("geo"), Self.field("ten", from: "geo@label"), Self.field("nam", .year), Self.field("value", .number),
                           Self.field("status")])
        #expect(rows.map { $0.map { $0.text ?? "-" } } == [
            ["01", "Hà Nội", "2019", "8.09", "p"],
            ["79", "TP. Hồ Chí Minh", "2019", "9.0", "-"],
        ])
    }

    @Test func namesAnUnknownDimensionInAField() throws {
        let error = failure { try rows(sharedFixture("json-stat.org-samples/order.json"), fields: [Self.field("D")]) }
        #expect("\(String(describing: error))".contains("no dimension 'D'"))
    }
}
