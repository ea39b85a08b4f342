/// Reads a CSV file (RFC 4180, UTF-8 with or without a byte order mark, a
/// declared delimiter) whose first record is a header.
///
/// Columns are matched to fields by header name; columns the pipeline does not
/// declare are skipped. Cells are decoded straight from the file's bytes.
/// Streams: memory is one read chunk, one record and one batch.
public struct CSVExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let dialect: CSVDialect
    public let fields: [SourceField]

    public init(path: String, displayPath: String, dialect: CSVDialect, fields: [SourceField]) {
        self.path = path
        self.displayPath = displayPath
        self.dialect = dialect
        self.fields = fields
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public var inputFiles: [(path: String, shown: String)]? { [(path, displayPath)] }

    public func extract(_ emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure) {
        let reader = try CSVReader(path: path, displayPath: displayPath, dialect: dialect)
        guard try reader.nextRecord() else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: 1), problem: "the file is empty; expected a header row")
        }
        let header = (0..<reader.fieldCount).map { reader.fieldText($0) }
        let columns = try columnIndexes(header: header)
        let decoders = fields.map(\.decoder)
        let names = fields.map { $0.from ?? $0.field.name }
        var batch = Batch(width: fields.count, capacity: Batch.preferredRowCount)
        var row = [Value](repeating: .null, count: fields.count)
        var rows = 0
        while try reader.nextRecord() {
            guard reader.fieldCount == header.count else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: reader.recordLine),
                    problem: "the row has \(reader.fieldCount) fields but the header has \(header.count)")
            }
            for index in 0..<columns.count {
                do {
                    row[index] = try reader.decodeField(columns[index], with: decoders[index])
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
