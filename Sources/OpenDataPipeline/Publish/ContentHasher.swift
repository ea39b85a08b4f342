import Crypto

/// Hashes a dataset's rows in canonical form (a header of names and types,
/// then each row as CSV), so a run can tell whether the data changed whatever
/// formats are published. Streams: holds only the hash state.
///
/// The plain CSV writer feeds it the rows it has just formatted
/// (``update(rows:ranges:)``), which are those cells exactly. As a ``RowSink`` it
/// formats the rows itself: the reference that feed is tested against.
final class ContentHasher: RowSink {
    private var hasher = SHA256()
    /// The largest batch hashed so far, to size the next one's buffer.
    private var batchBytes = 1 << 16

    init(schema: TableSchema) {
        let header = schema.fields.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ",") + "\n"
        hasher.update(data: Array(header.utf8))
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        var line = OutputBuffer(capacity: batchBytes)
        let width = batch.width
        batch.withCells { cells, spans, text in
            for row in 0..<batch.rowCount {
                for column in 0..<width {
                    if column > 0 { line.append(UInt8(ascii: ",")) }
                    let cell = row * width + column
                    let span = spans[cell]
                    switch span.kind {
                    case .plainText: line.append(bytes: text.cell(span))
                    case .text: CSVWriter.appendCell(bytes: text.cell(span), to: &line)
                    case .digits: line.append(bytes: text.cell(span))
                    case .none: cells[cell].appendCanonicalText(to: &line)
                    }
                }
                line.append(0x0A)
            }
        }
        batchBytes = max(batchBytes, line.count)
        hasher.update(bufferPointer: UnsafeRawBufferPointer(line.bytes))
    }

    /// Hashes rows already formatted as CSV cells (`ranges` of `bytes`, without line ends), each closed by a line feed.
    func update(rows bytes: UnsafeBufferPointer<UInt8>, ranges: [Range<Int>]) {
        var line = OutputBuffer(capacity: bytes.count)
        for range in ranges {
            line.append(bytes: UnsafeBufferPointer(rebasing: bytes[range]))
            line.append(0x0A)
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(line.bytes))
    }

    /// The digest of everything written; call once, after the last batch.
    var digest: String { Digest.hex(hasher.finalize()) }
}
