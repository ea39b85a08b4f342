import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("JSON and NDJSON")
struct JSONExtractorTests {
    private static let fields = [
        SourceField(field: Field(name: "ma", type: .string, constraints: .init(required: true)), numberFormat: .plain),
        SourceField(field: Field(name: "ten", type: .string), from: "/ten/vi", numberFormat: .plain),
        SourceField(field: Field(name: "dan_so", type: .integer), numberFormat: .vi),
        SourceField(field: Field(name: "ty_le", type: .number), numberFormat: .vi),
    ]

    private func rows(json: String, records: String = "/data", fields: [SourceField] = fields) throws -> [[Value]] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(json, to: "in.json")
        var rows: [[Value]] = []
        try JSONExtractor(path: path, displayPath: "in.json", records: records, fields: fields).extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        return rows
    }

    private func ndjsonRows(_ text: String) throws -> [[Value]] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(text, to: "in.ndjson")
        var rows: [[Value]] = []
        try NDJSONExtractor(path: path, displayPath: "in.ndjson", fields: Self.fields).extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        return rows
    }

    @Test func readsRecordsAtAPointerWithNestedFieldsAndExactNumbers() throws {
        let json = """
            {"meta": {"nguon": "Sở TT&TT"},
             "data": [
               {"ma": "01", "ten": {"vi": "Hà Nội"}, "dan_so": 8435700, "ty_le": 0.295},
               {"ma": "048", "ten": {"vi": "Đà Nẵng"}, "dan_so": "1.220.200", "ty_le": 1.5e-3},
               {"ma": "79", "ten": null, "dan_so": null, "ty_le": 12345678901234.5}
             ]}
            """
        let rows = try rows(json: json)
        #expect(rows.count == 3)
        #expect(rows[0] == [.string("01"), .string("Hà Nội"), .integer(8_435_700), .number(DecimalNumber(units: 295, scale: 3))])
        #expect(rows[1][0] == .string("048"))
        #expect(rows[1][2] == .integer(1_220_200))  // a string cell follows the field's number format
        #expect(rows[1][3] == .number(DecimalNumber(units: 15, scale: 4)))
        #expect(rows[2][1] == .null)
        #expect(rows[2][3].text == "12345678901234.5")
    }

    @Test func refusesADuplicateKeyWithItsLineAndColumn() throws {
        let json = "{\"data\": [\n  {\"ma\": \"01\", \"dan_so\": 1, \"dan_so\": 2}\n]}"
        let error = failure { try rows(json: json) }
        guard case let PipelineFailure.malformedSource(location, problem, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(code == .malformedJSON)
        #expect(location == OpenDataPipeline.SourceLocation(file: location.file, line: 2, column: 29))
        #expect(problem.contains("'dan_so' appears twice"))
    }

    @Test func refusesANumberThatDoesNotFitTheTypeWithoutLoss() throws {
        let error = failure { try rows(json: "{\"data\": [{\"ma\": \"01\", \"dan_so\": 1.5}]}") }
        guard case let PipelineFailure.badValue(location, value, _, _)? = error else {
            Issue.record("expected a bad value, got \(String(describing: error))")
            return
        }
        #expect(location.field == "/data/0/dan_so")
        #expect(location.line == 1)
        #expect(value == "1.5")
        #expect(failure { try rows(json: "{\"data\": [{\"ma\": \"01\", \"dan_so\": 99999999999999999999}]}") } != nil)
        #expect(failure { try rows(json: "{\"data\": [{\"ma\": \"01\", \"ty_le\": 1e400}]}") } != nil)
    }

    @Test(arguments: [
        ("{\"data\": [1,]}", "unexpected ']'"),
        ("{\"data\": [{\"ma\": \"01\"}]} x", "unexpected text after"),
        ("{\"data\": [{\"ma\": \"a\u{01}b\"}]}", "control character"),
        ("{\"data\": [{\"ma\": 01}]}", "may not start with 0"),
        (String(repeating: "[", count: 300) + String(repeating: "]", count: 300), "nesting deeper than 256"),
    ])
    func refusesInvalidJSONWithItsPosition(json: String, problem: String) throws {
        let error = failure { try rows(json: json) }
        guard case let PipelineFailure.malformedSource(location, message, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(code == .malformedJSON)
        #expect(location.line == 1)
        #expect(location.column != nil)
        #expect(message.contains(problem))
    }

    @Test func saysWhatThePointerSelectsWhenItIsNotAnArrayOfRecords() throws {
        #expect("\(failure { try rows(json: "{\"data\": {}}") }!)".contains("expected an array of records"))
        #expect("\(failure { try rows(json: "{\"data\": []}") }!)".contains("empty"))
        #expect("\(failure { try rows(json: "{\"x\": []}") }!)".contains("selects nothing"))
        #expect("\(failure { try rows(json: "{\"data\": [3]}") }!)".contains("expected a record"))
    }

    @Test func readsNDJSONLineByLineSkippingBlankLines() throws {
        let text = "{\"ma\": \"01\", \"dan_so\": 1}\r\n\n{\"ma\": \"02\", \"ten\": {\"vi\": \"Huế\"}}\n"
        let rows = try ndjsonRows(text)
        #expect(rows.map { $0[0] } == [.string("01"), .string("02")])
        #expect(rows[1][1] == .string("Huế"))
    }

    @Test func namesTheLineOfABadNDJSONRecord() throws {
        let error = failure { try ndjsonRows("{\"ma\": \"01\"}\n{\"ma\": \"02\"}\n{\"ma\": \"03\", \"ma\": \"04\"}\n") }
        guard case let PipelineFailure.malformedSource(location, problem, _)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(location.line == 3)
        #expect(problem.contains("appears twice"))
        let missing = failure { try ndjsonRows("{\"ma\": \"01\"}\n{\"dan_so\": 2}\n") }
        #expect(
            missing as? PipelineFailure
                == .badValue(
                    SourceLocation(file: "in.ndjson", line: 2, column: 1, field: "/ma"), value: "", expected: "a value (the field is required)",
                    code: .constraintError))
    }
}
