import Foundation

/// Writes a dataset as one JSON object: its metadata (sorted keys) followed by
/// `"records"`, an array of objects keyed by field name in schema order.
/// Numbers are JSON numbers with their declared precision, missing values are
/// null. Records are streamed one per line, so the file can be any size.
final class JSONWriter: DatasetWriter {
    private let file: BufferedFileWriter
    private let relativePath: String
    private let keys: [[UInt8]]
    private var line: [UInt8] = []
    private var first = true

    init(schema: TableSchema, metadata: [String: Any], path: String, relativePath: String) throws(PipelineFailure) {
        file = try BufferedFileWriter(path: path)
        self.relativePath = relativePath
        keys = schema.fields.map { field in
            var key: [UInt8] = []
            JSONText.appendString(field.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        // The metadata object without its closing brace, then the records.
        var head = try Self.serialize(metadata, path: path)
        guard head.last == UInt8(ascii: "}") else { throw PipelineFailure.cannotPublish(path: path, reason: "metadata") }
        head.removeLast()
        head.append(contentsOf: (metadata.isEmpty ? "" : ",").utf8)
        head.append(contentsOf: "\"records\":[".utf8)
        try file.write(head)
    }

    static func serialize(_ object: Any, path: String, pretty: Bool = false) throws(PipelineFailure) -> [UInt8] {
        do {
            var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            if pretty { options.insert(.prettyPrinted) }
            return [UInt8](try JSONSerialization.data(withJSONObject: object, options: options))
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot encode the metadata as JSON: \(error)")
        }
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        // The whole batch goes into a local buffer and then to the file in one call.
        var out: [UInt8] = []
        swap(&out, &line)
        defer { swap(&out, &line) }
        out.removeAll(keepingCapacity: true)
        let width = batch.width
        let keys = self.keys
        var first = self.first
        batch.cells.withUnsafeBufferPointer { cells in
            for row in 0..<batch.rowCount {
                out.append(contentsOf: first ? [0x0A, UInt8(ascii: "{")] : [UInt8(ascii: ","), 0x0A, UInt8(ascii: "{")])
                first = false
                for column in 0..<width {
                    if column > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: keys[column])
                    JSONText.appendValue(cells[row * width + column], to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }
        self.first = first
        try file.write(out)
    }

    func finish() throws(PipelineFailure) -> PublishedFile {
        try file.write(first ? "]}\n" : "\n]}\n")
        try file.close()
        return PublishedFile(path: relativePath, format: .json, bytes: file.byteCount, mediaType: "application/json")
    }
}
