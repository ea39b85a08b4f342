import Foundation
@testable import OpenDataPipeline
import Testing

/// The CSV extractor reuses the value of a cell whose bytes it has just decoded (``DecodeCache``):
/// every value must be the one decoding that cell on its own gives.
@Suite("Decode cache")
struct DecodeCacheTests {
    static let fields = [
        SourceField(field: Field(name: "code", type: .string), numberFormat: .vi),
        SourceField(field: Field(name: "name", type: .string), numberFormat: .vi),
        SourceField(field: Field(name: "level", type: .integer), numberFormat: .vi),
        SourceField(field: Field(name: "value", type: .number), numberFormat: .vi),
        SourceField(field: Field(name: "year", type: .year), numberFormat: .vi),
    ]

    /// (as written in the file, the cell's text): more codes than the cache has slots, leading zeros,
    /// Vietnamese names in NFC and NFD, a quoted name with the delimiter and quotes, empty cells.
    static let codes: [(String, String)] =
        (0..<100).map { (String(format: "%02d", $0), String(format: "%02d", $0)) } + [
            ("1", "1"), ("001", "001"), ("", ""),
        ]
    static let names: [(String, String)] = [
        ("Hà Nội", "Hà Nội"), ("Ha\u{0300} No\u{0323}\u{0302}i", "Ha\u{0300} No\u{0323}\u{0302}i"),
        ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("\"Dân số; \"\"ước tính\"\"\"", "Dân số; \"ước tính\""), ("", ""), ("Cần Thơ", "Cần Thơ"),
        // Longer than the 48 bytes the cache once kept, and in NFD (longer as written than as kept).
        (
            "Tỷ lệ hộ gia đình sử dụng nước sạch theo tiêu chuẩn quốc gia",
            "Tỷ lệ hộ gia đình sử dụng nước sạch theo tiêu chuẩn quốc gia"
        ),
        (
            "Ty\u{0309} le\u{0323}\u{0302} ngu\u{031B}o\u{031B}\u{0300}i da\u{0302}n du\u{0300}ng đie\u{0323}\u{0302}n thoa\u{0323}i thông minh",
            "Ty\u{0309} le\u{0323}\u{0302} ngu\u{031B}o\u{031B}\u{0300}i da\u{0302}n du\u{0300}ng đie\u{0323}\u{0302}n thoa\u{0323}i thông minh"
        ),
    ]
    static let levels: [(String, String)] = [("1", "1"), ("01", "01"), ("1.234", "1.234"), ("", ""), ("007", "007")]

    static func row(_ index: Int) -> [(String, String)] {
        let value = index % 7 == 0 ? "1.234,5" : "\(index % 5000),\(index % 10)"
        return [
            codes[index % codes.count], names[(index / 3) % names.count], levels[(index / 2) % levels.count], (value, value),
            (String(1990 + index % 35), String(1990 + index % 35)),
        ]
    }

    @Test func everyValueIsTheOneItsCellDecodesToAlone() throws {
        let directory = try TemporaryDirectory()
        let count = 6000  // past the trial after which the cache stops looking up the all-different values
        var csv = "code;name;level;value;year\r\n"
        for index in 0..<count { csv += Self.row(index).map(\.0).joined(separator: ";") + "\r\n" }
        let path = try directory.write(csv, to: "in.csv")
        let extractor = CSVExtractor(
            path: path, displayPath: "in.csv", dialect: CSVDialect(delimiter: UInt8(ascii: ";")), fields: Self.fields)
        var rows: [[Value]] = []
        // Writers copy a text cell's UTF-8 from the batch's text bytes: for a cached cell they come from the cache's copy.
        var wrongTexts: [String] = []
        try extractor.extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
            let text = batch.text
            for (cell, span) in zip(batch.cells, batch.spans) {
                // Bytes, not `String`s: `==` on strings would take NFD for NFC.
                let laidOut = span.kind == .none ? nil : Array(text[span.start..<span.start + span.count])
                // Text as its UTF-8, numbers as their canonical text (which every writer prints), nothing for the rest.
                let (expected, kind): ([UInt8]?, Batch.TextSpan.Kind) =
                    switch cell {
                    case let .string(string):
                        (
                            Array(string.utf8),
                            string.utf8.contains { $0 < 0x20 || $0 == 0x7F || Array(",\"\\".utf8).contains($0) } ? .text : .plainText
                        )
                    case .integer, .number: (Array((cell.text ?? "").utf8), .digits)
                    default: (nil, .none)
                    }
                if span.kind != kind { wrongTexts.append("\(cell) laid out as \(span.kind)") }
                if laidOut != expected {
                    wrongTexts.append("\(cell) laid out as \(laidOut.map { String(decoding: $0, as: UTF8.self) } ?? "no text")")
                }
            }
        }
        #expect(rows.count == count)
        #expect(wrongTexts.prefix(3) == [])
        let decoders = Self.fields.map { $0.decoder(missingValues: [""]) }
        var mismatches = 0
        for (index, row) in rows.enumerated() {
            let expected = try zip(decoders, Self.row(index)).map { decoder, cell in UnicodeText.nfc(try decoder.decode(cell.1)) }
            if row != expected {
                mismatches += 1
                Issue.record("row \(index + 2): \(row) is not \(expected)")
            }
            if mismatches > 5 { break }
        }
        // NFD input comes out in NFC; leading zeros and the group separator stay as decoded.
        #expect(rows[3][1] == .string("Hà Nội"))
        #expect(rows[4][2] == .integer(1234))
        #expect(rows[0][0] == .string("00"))
    }

    @Test func aBadCellIsReportedEachTimeItRecurs() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("code;level\nA;x\nB;2\nC;x\nD;2\nE;x\n", to: "in.csv")
        let extractor = CSVExtractor(
            path: path, displayPath: "in.csv", dialect: CSVDialect(delimiter: UInt8(ascii: ";")),
            fields: [Self.fields[0], Self.fields[2]])
        let collector = ValidationCollector()
        var codes: [String] = []
        try extractor.extract(collecting: collector) { batch in
            for row in 0..<batch.rowCount { codes.append(batch[row, 0].text ?? "") }
        }
        #expect(
            collector.report.issues.map(\.location.description) == [
                "in.csv, line 2, row 2, 'level'", "in.csv, line 4, row 4, 'level'", "in.csv, line 6, row 6, 'level'",
            ])
        #expect(collector.report.issues.map { $0.cell ?? "" } == ["x", "x", "x"])
        #expect(codes == ["B", "D"])
    }

    @Test func invalidUTF8IsStillRefusedWithItsOffsetAfterRepeatedCells() throws {
        let directory = try TemporaryDirectory()
        var bytes = Array("code;level\nHà;1\nHà;1\nH".utf8)
        bytes += [0xC3, 0x28]  // a lead byte followed by '(', not a continuation
        bytes += Array(";1\n".utf8)
        let path = try directory.write(Data(bytes), to: "bad.csv")
        let extractor = CSVExtractor(
            path: path, displayPath: "bad.csv", dialect: CSVDialect(delimiter: UInt8(ascii: ";")),
            fields: [Self.fields[0], Self.fields[2]])
        let error = failure { try extractor.extract { _ in } }
        guard case let PipelineFailure.malformedSource(location, problem, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(code == .encodingError)
        #expect(location == OpenDataPipeline.SourceLocation(file: "bad.csv", line: 4))
        #expect(problem.hasPrefix("byte offset 24"))
    }

    /// A formula-like text repeated down a column comes from the cache as plain text: the Excel-style CSV
    /// still writes each one after a `'`, and the plain CSV as it is.
    @Test func aCachedFormulaIsNeutralizedEachTimeInTheExcelCSV() throws {
        let directory = try TemporaryDirectory()
        var csv = "code;name\r\n"
        for index in 0..<(Batch.preferredRowCount + 10) { csv += "\(index % 3);" + (index % 2 == 0 ? "=1+2" : "-3") + "\r\n" }
        let path = try directory.write(csv, to: "in.csv")
        let extractor = CSVExtractor(
            path: path, displayPath: "in.csv", dialect: CSVDialect(delimiter: UInt8(ascii: ";")), fields: [Self.fields[0], Self.fields[1]])
        let schema = TableSchema(fields: [Self.fields[0].field, Self.fields[1].field])
        let excel = try CSVWriter(schema: schema, path: directory.url.appendingPathComponent("excel.csv").path, style: .excel)
        let plain = try CSVWriter(schema: schema, path: directory.url.appendingPathComponent("plain.csv").path)
        try extractor.extract { batch throws(PipelineFailure) in
            try excel.write(batch)
            try plain.write(batch)
        }
        try excel.rowsEnded()
        try plain.rowsEnded()
        let excelRows = try directory.read("excel.csv").components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        let plainRows = try directory.read("plain.csv").components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        let expected = (0..<(Batch.preferredRowCount + 10)).map { "\($0 % 3)," + ($0 % 2 == 0 ? "=1+2" : "-3") }
        #expect(plainRows == expected)
        #expect(excelRows == expected.map { $0.replacingOccurrences(of: ",", with: ",'") })
    }
}
