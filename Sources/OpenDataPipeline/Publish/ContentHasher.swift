import Crypto

/// Hashes a dataset's rows in canonical form (a header of names and types,
/// then each row as CSV), so a run can tell whether the data changed whatever
/// formats are published. Streams: holds only the hash state.
final class ContentHasher: RowSink {
    private var hasher = SHA256()
    private var line: [UInt8] = []

    init(schema: TableSchema) {
        let header = schema.fields.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ",") + "\n"
        hasher.update(data: Array(header.utf8))
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        line.removeAll(keepingCapacity: true)
        for row in 0..<batch.rowCount {
            for column in 0..<batch.width {
                if column > 0 { line.append(UInt8(ascii: ",")) }
                switch batch[row, column] {
                case .null: break
                case let .string(text): CSVWriter.appendCell(text, to: &line)
                case let other: other.appendCanonicalText(to: &line)
                }
            }
            line.append(0x0A)
        }
        hasher.update(data: line)
    }

    /// The digest of everything written; call once, after the last batch.
    var digest: String { Digest.hex(hasher.finalize()) }
}
