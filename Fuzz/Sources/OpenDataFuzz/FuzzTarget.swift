import OpenDataPipeline

/// One fuzz target: a parser that reads outside input, driven through its public entry point.
///
/// A target never traps on bad input: every refusal is a thrown error, which is the expected
/// outcome and is discarded after its message is formatted (formatting is code too). Traps,
/// sanitizer reports, timeouts and memory over the limit are what libFuzzer reports.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

    static let all: [FuzzTarget] =
        TextEncoding.allCases.map(csv) + NumberFormat.allCases.map(number) + [
            FuzzTarget(name: "json", run: json),
            FuzzTarget(name: "ndjson", run: ndjson),
            FuzzTarget(name: "json-stat", run: jsonStat),
            FuzzTarget(name: "xml", run: xml),
            FuzzTarget(name: "sdmx", run: sdmx),
            FuzzTarget(name: "html", run: html),
            FuzzTarget(name: "xlsx", run: xlsx),
            FuzzTarget(name: "xlsx-parts", run: xlsxParts),
            FuzzTarget(name: "expression", run: expression),
            FuzzTarget(name: "pipeline", run: pipeline),
        ]
}

// MARK: - Fields the extracting targets declare

private func field(_ name: String, _ type: FieldType, from: String? = nil, _ format: NumberFormat = .plain) -> SourceField {
    SourceField(field: Field(name: name, type: type), from: from, numberFormat: format)
}

/// One field of each kind of decoding: text, number, integer, date, year, boolean, datetime.
private func tableFields(_ format: NumberFormat, from: (String) -> String? = { _ in nil }) -> [SourceField] {
    [
        field("a", .string, from: from("a"), format), field("b", .number, from: from("b"), format),
        field("c", .integer, from: from("c"), format), field("d", .date, from: from("d"), format),
        field("e", .year, from: from("e"), format), field("f", .boolean, from: from("f"), format),
        field("g", .datetime, from: from("g"), format),
    ]
}

/// Runs `extractor` to the end, keeping nothing; a refusal is formatted and dropped.
private func drain(_ extractor: some Extractor) {
    do {
        try extractor.extract { batch in _ = batch.rowCount }
    } catch {
        _ = error.description
    }
}

// MARK: - Targets

private func csv(_ encoding: TextEncoding) -> FuzzTarget {
    FuzzTarget(name: "csv-\(encoding.rawValue)") { bytes in
        let path = ScratchFile.write(bytes, name: "input.csv")
        let format: NumberFormat = encoding == .utf8 ? .plain : .vi
        // Both table paths: the checked one (header on line 1) and the one with a layout.
        drain(CSVExtractor(path: path, displayPath: "input.csv", dialect: CSVDialect(encoding: encoding), fields: tableFields(format)))
        drain(
            CSVExtractor(
                path: path, displayPath: "input.csv", dialect: CSVDialect(delimiter: UInt8(ascii: ";"), encoding: encoding),
                layout: CSVLayout(headerLine: 2, footerRows: 1, commentPrefix: "#"), fields: tableFields(format)))
    }
}

private func number(_ format: NumberFormat) -> FuzzTarget {
    FuzzTarget(name: "number-\(format.rawValue)") { bytes in
        if let parsed = NumberParser.parse(bytes, format: format) {
            // What is parsed prints as a plain number that parses back to the same value.
            let again = NumberParser.parse(parsed.description, format: .plain)
            precondition(again == parsed, "\(parsed) printed as \(parsed.description) reads back as \(String(describing: again))")
        }
        for type in [FieldType.integer, .number, .year, .date, .boolean, .datetime] {
            _ = try? ValueDecoder(field: Field(name: "x", type: type), numberFormat: format).decode(bytes)
        }
    }
}

private func json(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = ScratchFile.write(bytes, name: "input.json")
    drain(JSONExtractor(path: path, displayPath: "input.json", records: "/records", fields: tableFields(.plain, from: { "/\($0)" })))
    drain(JSONExtractor(path: path, displayPath: "input.json", records: "", fields: tableFields(.vi), maximumDepth: 32))
}

private func ndjson(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = ScratchFile.write(bytes, name: "input.ndjson")
    drain(NDJSONExtractor(path: path, displayPath: "input.ndjson", fields: tableFields(.plain), maximumLineBytes: 4096, maximumDepth: 32))
}

private func jsonStat(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = ScratchFile.write(bytes, name: "input.json")
    let fields = [
        field("geo", .string), field("geo_label", .string, from: "geo@label"), field("year", .year, from: "time"),
        field("value", .number), field("status", .string), field("unit", .string, from: "concept@unit"),
        field("decimals", .integer, from: "concept@decimals"), field("multiplier", .integer, from: "concept@multiplier"),
    ]
    drain(JSONStatExtractor(path: path, displayPath: "input.json", fields: fields, maximumCells: 10_000))
    drain(JSONStatExtractor(path: path, displayPath: "input.json", dataset: 1, fields: fields, maximumCells: 10_000))
}

private func xml(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = ScratchFile.write(bytes, name: "input.xml")
    let namespaces = ["d": "urn:fuzz"]
    func from(_ name: String) -> String { ["a", "b"].contains(name) ? "@\(name)" : "d:\(name)" }
    drain(XMLExtractor(path: path, displayPath: "input.xml", rows: "/d:t/d:r", namespaces: namespaces, fields: tableFields(.vi, from: from)))
    drain(
        StreamingXMLExtractor(
            path: path, displayPath: "input.xml", rows: "/d:t/d:r", namespaces: namespaces, fields: tableFields(.vi, from: from),
            maximumRowBytes: 4096))
}

private func sdmx(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = ScratchFile.write(bytes, name: "input.xml")
    let fields = [
        field("freq", .string, from: "FREQ"), field("area", .string, from: "REF_AREA"), field("period", .string, from: "TIME_PERIOD"),
        field("value", .number, from: "OBS_VALUE"), field("status", .string, from: "OBS_STATUS"),
        field("multiplier", .integer, from: "UNIT_MULT"),
    ]
    drain(SDMXExtractor(path: path, displayPath: "input.xml", fields: fields))
}

private func html(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = ScratchFile.write(bytes, name: "input.html")
    drain(HTMLTableExtractor(path: path, displayPath: "input.html", table: .id("t"), fields: tableFields(.vi)))
    drain(HTMLTableExtractor(path: path, displayPath: "input.html", table: .caption("Dân số"), headerRows: 2, fields: tableFields(.vi)))
}

private func xlsx(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = ScratchFile.write(bytes, name: "input.xlsx")
    drain(XLSXExtractor(path: path, displayPath: "input.xlsx", fields: tableFields(.vi), maximumPartBytes: 1 << 20))
}

/// The parts of a workbook, in the order `xlsx-parts` inputs hold them, separated by 0x1E.
private let workbookParts = [
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
]

private func xlsxParts(_ bytes: UnsafeBufferPointer<UInt8>) {
    let parts = bytes.split(separator: 0x1E, maxSplits: workbookParts.count - 1, omittingEmptySubsequences: false)
    let entries = zip(workbookParts, parts).filter { !$0.1.isEmpty }.map { (name: $0.0, bytes: Array($0.1)) }
    let path = ScratchFile.write(StoredZip.archive(entries), name: "input.xlsx")
    drain(XLSXExtractor(path: path, displayPath: "input.xlsx", fields: tableFields(.plain), maximumPartBytes: 1 << 20))
    drain(
        XLSXExtractor(
            path: path, displayPath: "input.xlsx", sheet: "S", range: CellRange("B2:H9"), headerRows: 2, fields: tableFields(.vi),
            maximumPartBytes: 1 << 20))
}

private let expressionSchema = TableSchema(fields: [
    Field(name: "a", type: .integer), Field(name: "b", type: .number), Field(name: "c", type: .string),
    Field(name: "d", type: .date), Field(name: "e", type: .boolean), Field(name: "t", type: .datetime),
])

/// Rows with extreme values, so arithmetic meets every edge.
private let expressionRows: [[Value]] = [
    [.integer(.min), .number(DecimalNumber(units: .min, scale: 0)), .string(""), .null, .boolean(true), .string("2024-02-29T23:59:59")],
    [.integer(.max), .number(DecimalNumber(units: .max, scale: 18)), .string("Hà Nội"), .null, .boolean(false), .null],
    [.integer(-1), .number(DecimalNumber(units: -1, scale: 18)), .string("x\u{0301}"), .null, .null, .string("1900")],
    [.null, .null, .null, .null, .null, .null],
]

private func expression(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let text = String(validating: bytes, as: UTF8.self) else { return }
    do {
        let parsed = try Expression(text, schema: expressionSchema)
        for row in expressionRows { _ = try? parsed.evaluate(row[...]) }
    } catch {
        _ = error.message
    }
}

private func pipeline(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = ScratchFile.write(bytes, name: "pipeline.yml")
    do {
        _ = try PipelineLoader().load(path: path, displayPath: "pipeline.yml")
    } catch {
        _ = error.description
    }
}
