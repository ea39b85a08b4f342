/// Writes rows as RFC 4180 CSV: UTF-8 without a byte order mark, a header row
/// of field names, CRLF line ends, and quotes around any cell that contains a
/// comma, a quote, CR or LF (quotes inside are doubled). Numbers are written
/// in their canonical form (`1883`, `29.5`), null as an empty cell.
final class CSVWriter: DatasetWriter {
    private let file: BufferedFileWriter
    private let relativePath: String
    private var line: [UInt8] = []

    init(schema: TableSchema, path: String, relativePath: String) throws(PipelineFailure) {
        file = try BufferedFileWriter(path: path)
        self.relativePath = relativePath
        for (index, field) in schema.fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            Self.appendCell(field.name, to: &line)
        }
        line.append(contentsOf: [0x0D, 0x0A])
        try file.write(line)
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        // The whole batch goes into a local buffer and then to the file in one call.
        var out: [UInt8] = []
        swap(&out, &line)
        defer { swap(&out, &line) }
        out.removeAll(keepingCapacity: true)
        let width = batch.width
        batch.cells.withUnsafeBufferPointer { cells in
            for row in 0..<batch.rowCount {
                for column in 0..<width {
                    if column > 0 { out.append(UInt8(ascii: ",")) }
                    switch cells[row * width + column] {
                    case .null: break
                    case let .string(text): Self.appendCell(text, to: &out)
                    case let other: other.appendCanonicalText(to: &out)
                    }
                }
                out.append(contentsOf: [0x0D, 0x0A])
            }
        }
        try file.write(out)
    }

    func finish() throws(PipelineFailure) -> PublishedFile {
        try file.close()
        return PublishedFile(path: relativePath, format: .csv, bytes: file.byteCount, mediaType: "text/csv")
    }

    static func appendCell(_ text: String, to line: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes else {
                line.append(contentsOf: bytes)
                return
            }
            line.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { line.append(byte) }
                line.append(byte)
            }
            line.append(UInt8(ascii: "\""))
        }
    }
}
