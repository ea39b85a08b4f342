import Foundation

/// Writes a dataset as one JSON object: `"records"`, an array of objects keyed
/// by field name in schema order (numbers as JSON numbers with their declared
/// precision, missing values as null), followed by the dataset's metadata
/// (sorted keys). Records are streamed one per line, so the file can be any
/// size; the metadata comes last because it carries the date the data last
/// changed, known only once every row has been seen: it is handed to `finish`.
final class JSONWriter: DatasetWriter {
    private let file: BufferedFileWriter
    private let keys: EncodedKeys
    /// The largest batch written so far, to size the next one's buffer.
    private var batchBytes = 1 << 16
    private var first = true

    init(schema: TableSchema, path: String) throws(PipelineFailure) {
        file = try BufferedFileWriter(path: path)
        keys = EncodedKeys(schema)
        try file.write("{\"records\":[")
    }

    /// Each field's `"name":`, one after another in one buffer, so that writing a key copies bytes without touching an array of its own.
    struct EncodedKeys {
        let bytes: [UInt8]
        let ends: [Int]

        init(_ schema: TableSchema) {
            var bytes: [UInt8] = []
            var ends: [Int] = []
            for field in schema.fields {
                JSONText.appendString(field.name, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                ends.append(bytes.count)
            }
            self.bytes = bytes
            self.ends = ends
        }
    }

    static func serialize(_ object: Any, path: String, pretty: Bool = false) throws(PipelineFailure) -> [UInt8] {
        do {
            var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            if pretty { options.insert(.prettyPrinted) }
            return [UInt8](try JSONSerialization.data(withJSONObject: object, options: options))
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot encode as JSON: \(error)")
        }
    }

    /// Appends the row's fields as one JSON object.
    @inline(__always)
    static func appendRecord(
        _ cells: UnsafeBufferPointer<Value>, spans: UnsafeBufferPointer<Batch.TextSpan>, text: UnsafeBufferPointer<UInt8>, row: Int,
        width: Int, keys: UnsafeBufferPointer<UInt8>, keyEnds: UnsafeBufferPointer<Int>, to out: inout OutputBuffer
    ) {
        out.append(UInt8(ascii: "{"))
        for column in 0..<width {
            if column > 0 { out.append(UInt8(ascii: ",")) }
            let keyStart = column == 0 ? 0 : keyEnds[column - 1]
            out.append(bytes: UnsafeBufferPointer(rebasing: keys[keyStart..<keyEnds[column]]))
            let cell = row * width + column
            // Text and numbers from the batch's bytes: the cell's `String` is not touched, a number not formatted again.
            let span = spans[cell]
            switch span.kind {
            case .plainText:
                out.append(UInt8(ascii: "\""))
                out.append(bytes: text.cell(span))
                out.append(UInt8(ascii: "\""))
            case .text: JSONText.appendString(bytes: text.cell(span), to: &out)
            case .digits: out.append(bytes: text.cell(span))  // a JSON number, as every format writes it
            case .none: JSONText.appendValue(cells[cell], to: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        // The whole batch goes into one buffer and then to the file in one call.
        var out = OutputBuffer(capacity: batchBytes)
        let width = batch.width
        let keys = self.keys
        var first = self.first
        batch.withCells { cells, spans, text in
            keys.bytes.withUnsafeBufferPointer { keyBytes in
                keys.ends.withUnsafeBufferPointer { keyEnds in
                    for row in 0..<batch.rowCount {
                        if !first { out.append(UInt8(ascii: ",")) }
                        out.append(0x0A)
                        first = false
                        Self.appendRecord(
                            cells, spans: spans, text: text, row: row, width: width, keys: keyBytes, keyEnds: keyEnds, to: &out)
                    }
                }
            }
        }
        self.first = first
        batchBytes = max(batchBytes, out.count)
        try file.write(out.bytes)
    }

    func finish(_ metadata: DatasetMetadata) throws(PipelineFailure) -> Int {
        try finish(
            appending: MetadataDocument.dataset(
                metadata.dataset, pipeline: metadata.pipeline, release: metadata.dataRelease, dates: metadata.dates,
                figureNote: metadata.figureNote))
    }

    /// Closes the records and the object with `metadata`'s keys after them.
    func finish(appending metadata: [String: Any]) throws(PipelineFailure) -> Int {
        var tail = Array((first ? "]" : "\n]").utf8)
        let encoded = try Self.serialize(metadata, path: file.path)
        // `{…}` without its opening brace continues the object after the records.
        if encoded.count > 2 {
            tail.append(UInt8(ascii: ","))
            tail.append(contentsOf: encoded.dropFirst())
        } else {
            tail.append(UInt8(ascii: "}"))
        }
        tail.append(0x0A)
        try file.write(tail)
        try file.close()
        return file.byteCount
    }
}

/// Writes newline-delimited JSON: one record object a line, nothing else.
final class NDJSONWriter: DatasetWriter {
    private let file: BufferedFileWriter
    private let keys: JSONWriter.EncodedKeys
    private var batchBytes = 1 << 16

    init(schema: TableSchema, path: String) throws(PipelineFailure) {
        file = try BufferedFileWriter(path: path)
        keys = JSONWriter.EncodedKeys(schema)
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        var out = OutputBuffer(capacity: batchBytes)
        let width = batch.width
        let keys = self.keys
        batch.withCells { cells, spans, text in
            keys.bytes.withUnsafeBufferPointer { keyBytes in
                keys.ends.withUnsafeBufferPointer { keyEnds in
                    for row in 0..<batch.rowCount {
                        JSONWriter.appendRecord(
                            cells, spans: spans, text: text, row: row, width: width, keys: keyBytes, keyEnds: keyEnds, to: &out)
                        out.append(0x0A)
                    }
                }
            }
        }
        batchBytes = max(batchBytes, out.count)
        try file.write(out.bytes)
    }

    func finish(_ metadata: DatasetMetadata) throws(PipelineFailure) -> Int {
        try file.close()
        return file.byteCount
    }
}
