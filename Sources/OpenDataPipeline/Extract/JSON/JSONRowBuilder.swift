/// Builds batches of rows from JSON records, shared by JSON and NDJSON.
struct RowBuilder {
    let fields: [SourceField]
    let file: String
    let collector: ValidationCollector?
    private let decoders: [JSONCellDecoder]
    private var batch: Batch
    private var row: [Value]

    init(fields: [SourceField], file: String, collector: ValidationCollector?) {
        self.fields = fields
        self.file = file
        self.collector = collector
        decoders = fields.map(JSONCellDecoder.init)
        batch = Batch(width: fields.count, capacity: Batch.preferredRowCount)
        row = [Value](repeating: .null, count: fields.count)
    }

    /// Adds the record's row; returns a full batch to pass on.
    mutating func append(record: JSONNode, pointer: String) throws(PipelineFailure) -> Batch? {
        guard record.members != nil else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: file, line: record.line, column: record.column, field: pointer),
                problem: "expected a record (an object), found \(record.kindName)")
        }
        let decoders = decoders
        let file = file
        let valid = try decodeRow(&row, fields: fields, collector: collector) { [fields] index throws(CellFailure) in
            let from = fields[index].from ?? fields[index].field.name
            let cell = from.hasPrefix("/") ? record.at(pointer: from) : record[from]
            let cellPointer = from.hasPrefix("/") ? pointer + from : pointer + "/" + from
            return try decoders[index].decode(cell, owner: record, file: file, pointer: cellPointer)
        }
        guard valid else { return nil }
        batch.append(row: row, line: record.line)
        guard batch.rowCount == Batch.preferredRowCount else { return nil }
        defer { batch = Batch(width: fields.count, capacity: Batch.preferredRowCount) }
        return batch
    }

    /// The last, partly filled batch.
    func finish() -> Batch? {
        batch.isEmpty ? nil : batch
    }
}
