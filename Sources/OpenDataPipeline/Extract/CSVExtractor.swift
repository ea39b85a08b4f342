/// Reads a CSV file (RFC 4180 in a declared dialect and encoding) with a
/// header row, optionally below title lines and above footer rows
/// (``CSVLayout``).
///
/// Columns are matched to fields by header name; columns the pipeline does not
/// declare are skipped. Cells are decoded straight from the file's bytes (after
/// decoding the declared encoding to UTF-8); text comes out in NFC.
/// Streams: memory is one read chunk, one record and one batch (plus
/// `footerRows` records held back).
public struct CSVExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let dialect: CSVDialect
    public let layout: CSVLayout
    public let fields: [SourceField]

    public init(path: String, displayPath: String, dialect: CSVDialect, layout: CSVLayout = CSVLayout(), fields: [SourceField]) {
        self.path = path
        self.displayPath = displayPath
        self.dialect = dialect
        self.layout = layout
        self.fields = fields
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public func extract(_ emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure) {
        let reader = CSVTable(
            reader: try CSVReader(path: path, displayPath: displayPath, dialect: dialect), layout: layout,
            displayPath: displayPath)
        guard try reader.readHeader() else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: layout.headerLine ?? 1), problem: "the file is empty; expected a header row")
        }
        let header = reader.header
        let columns = try columnIndexes(header: header)
        let decoders = fields.map(\.decoder)
        let names = fields.map { $0.from ?? $0.field.name }
        var batch = Batch(width: fields.count, capacity: Batch.preferredRowCount)
        var row = [Value](repeating: .null, count: fields.count)
        var rows = 0
        while try reader.nextRow() {
            let normalize = reader.mayNeedNormalization
            for index in 0..<columns.count {
                do {
                    let value = try reader.decodeField(columns[index], with: decoders[index])
                    row[index] = normalize ? UnicodeText.nfc(value) : value
                } catch {
                    throw PipelineFailure.badValue(
                        SourceLocation(file: displayPath, line: reader.recordLine, field: names[index]),
                        value: reader.fieldText(columns[index]), expected: error.expected)
                }
            }
            batch.append(row: row, line: reader.recordLine)
            rows += 1
            if batch.rowCount == Batch.preferredRowCount {
                try emit(batch)
                batch = Batch(width: fields.count, capacity: Batch.preferredRowCount)
            }
        }
        guard rows > 0 else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: 2),
                problem: "the file has a header but no rows; an empty table is not published")
        }
        if !batch.isEmpty { try emit(batch) }
    }

    private func columnIndexes(header: [String]) throws(PipelineFailure) -> [Int] {
        var indexes: [Int] = []
        for field in fields {
            let name = field.from ?? field.field.name
            let matches = header.indices.filter { header[$0] == name }
            guard let index = matches.first else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: 1, field: name),
                    problem: "no column named '\(name)' in the header; the header has: \(header.joined(separator: ", "))")
            }
            guard matches.count == 1 else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: 1, field: name),
                    problem: "the header names '\(name)' \(matches.count) times (columns \(matches.map { $0 + 1 }))")
            }
            indexes.append(index)
        }
        return indexes
    }
}
