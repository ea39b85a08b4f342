/// Where the table sits in a CSV file: government exports put a title above
/// the header and notes ("Nguồn: …") below the last row.
public struct CSVLayout: Sendable, Hashable {
    /// The line the header is on (1-based, as a text editor counts); records
    /// that start before it are skipped. Nil: the first non-blank line.
    public var headerLine: Int?
    /// Records at the end of the file that are not part of the table.
    public var footerRows: Int
    /// Records whose first field starts with this text are skipped (e.g. "#").
    public var commentPrefix: String?

    /// The most footer rows a pipeline may declare (they are held in memory).
    public static let maximumFooterRows = 1000

    public init(headerLine: Int? = nil, footerRows: Int = 0, commentPrefix: String? = nil) {
        self.headerLine = headerLine
        self.footerRows = footerRows
        self.commentPrefix = commentPrefix
    }
}

/// The records of a CSV table: ``CSVReader``'s records less the lines above
/// the header, comment lines and footer rows, with trailing empty columns
/// (Excel's "a;b;;;") dropped from the header.
///
/// With `footerRows`, the last records are not known to be footers until the
/// file ends, so that many records are held back (copied); otherwise the
/// current record is the reader's, not copied.
final class CSVTable {
    private let reader: CSVReader
    private let layout: CSVLayout
    private let comment: [UInt8]
    private let path: String
    /// The header's names, trailing empty ones removed.
    private(set) var header: [String] = []
    /// `header.count`, read for every row (unchecked: only this class writes it, once).
    @exclusivity(unchecked) private var width = 0

    /// Records held back while it is not known whether they are footers.
    private var held: [(bytes: [UInt8], ends: [Int], line: Int)] = []
    private var heldStart = 0
    /// The current record, when it is a held copy (footerRows > 0).
    private var current: (bytes: [UInt8], ends: [Int], line: Int) = ([], [], 0)

    init(reader: CSVReader, layout: CSVLayout, displayPath: String) {
        self.reader = reader
        self.layout = layout
        self.path = displayPath
        comment = Array((layout.commentPrefix ?? "").utf8)
    }

    /// Reads up to the header; false when the file has no header.
    func readHeader() throws(PipelineFailure) -> Bool {
        while try nextReaderRecord() {
            if let headerLine = layout.headerLine, reader.recordLine < headerLine { continue }
            var names = (0..<reader.fieldCount).map { UnicodeText.nfc(reader.fieldText($0)) }
            while let last = names.last, last.allSatisfy({ $0 == " " }), names.count > 1 { names.removeLast() }
            header = names
            width = names.count
            return true
        }
        return false
    }

    /// The next record of the reader that is not a comment.
    private func nextReaderRecord() throws(PipelineFailure) -> Bool {
        while try reader.nextRecord() {
            if !comment.isEmpty, reader.withField(0, { $0.starts(with: comment) }) { continue }
            return true
        }
        return false
    }

    /// Advances to the next row of the table, skipping rows of empty cells (Excel's
    /// closing ";;;"), which hold no value; false after the last one.
    func nextRow() throws(PipelineFailure) -> Bool {
        while try nextRecordOfTable() {
            let count = layout.footerRows == 0 ? reader.fieldCount : current.ends.count
            if !(0..<count).allSatisfy(isEmptyField) { return true }
        }
        return false
    }

    private func isEmptyField(_ index: Int) -> Bool {
        guard layout.footerRows > 0 else { return reader.withField(index) { $0.isEmpty } }
        return current.ends[index] == (index == 0 ? 0 : current.ends[index - 1])
    }

    private func nextRecordOfTable() throws(PipelineFailure) -> Bool {
        let footers = layout.footerRows
        if footers == 0 {
            guard try nextReaderRecord() else { return false }
            if reader.fieldCount != width {
                try checkWidth(fieldCount: reader.fieldCount, line: reader.recordLine) { index, body in reader.withField(index, body) }
            }
            return true
        }
        while held.count - heldStart <= footers {
            guard try nextReaderRecord() else { return false }
            held.append((reader.fieldBytes, reader.fieldEnds, reader.recordLine))
        }
        current = held[heldStart]
        heldStart += 1
        if heldStart > 1024 {
            held.removeFirst(heldStart)
            heldStart = 0
        }
        let record = current
        try checkWidth(fieldCount: record.ends.count, line: record.line) { index, body in
            let start = index == 0 ? 0 : record.ends[index - 1]
            return record.bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<record.ends[index]])) }
        }
        return true
    }

    /// A row may have more fields than the header only when the extra ones are empty.
    private func checkWidth(
        fieldCount: Int, line: Int, isEmpty field: (Int, (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool
    ) throws(PipelineFailure) {
        if fieldCount == header.count { return }
        if fieldCount > header.count, (header.count..<fieldCount).allSatisfy({ index in field(index) { $0.isEmpty } }) {
            return
        }
        throw PipelineFailure.malformedSource(
            SourceLocation(file: path, line: line),
            problem: "the row has \(fieldCount) fields but the header has \(header.count)", code: .rowWidth)
    }

    /// Whether the text read so far may need NFC normalization.
    var mayNeedNormalization: Bool { reader.mayNeedNormalization }

    var recordLine: Int { layout.footerRows == 0 ? reader.recordLine : current.line }

    @inline(__always)
    func decodeField(
        _ index: Int, with decoders: [FieldDecoder], field: Int, cache: inout DecodeCache, normalize: Bool
    ) throws(ValueDecoder.Failure) -> Value {
        guard layout.footerRows > 0 else {
            return try reader.decodeField(index, with: decoders, field: field, cache: &cache, normalize: normalize)
        }
        return try current.bytes.withUnsafeBufferPointer { all throws(ValueDecoder.Failure) in
            try current.ends.withUnsafeBufferPointer { ends throws(ValueDecoder.Failure) in
                try CSVReader.decode(CSVReader.field(index, bytes: all, ends: ends), decoders, field, &cache, normalize)
            }
        }
    }

    func fieldText(_ index: Int) -> String {
        guard layout.footerRows > 0 else { return reader.fieldText(index) }
        let start = index == 0 ? 0 : current.ends[index - 1]
        return current.bytes.withUnsafeBufferPointer { String(decoding: $0[start..<current.ends[index]], as: UTF8.self) }
    }
}
