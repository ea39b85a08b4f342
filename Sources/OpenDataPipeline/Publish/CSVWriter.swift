/// Writes rows as RFC 4180 CSV: a header row of field names, CRLF line ends,
/// and quotes around any cell that contains a comma, a quote, CR or LF (quotes
/// inside are doubled). Numbers are written in their canonical form (`1883`,
/// `29.5`), null as an empty cell (`""` when it is the row's only cell, so the row is not a blank line).
///
/// Two styles: ``Style/plain`` (UTF-8 without a byte order mark, for
/// programs) and ``Style/excel`` (with a byte order mark, so Excel reads
/// Vietnamese text as UTF-8, and with text cells that begin with `=`, `+`, `-`,
/// `@`, tab, CR or LF prefixed by `'` so that no cell becomes a live formula;
/// numbers are never altered, and the JSON keeps the original text).
final class CSVWriter: DatasetWriter {
    enum Style {
        case plain
        case excel
    }

    private let file: BufferedFileWriter
    let style: Style
    /// Fed with the rows as this plain CSV writes them, so the dataset's content hash
    /// costs a copy and a hash, not a second formatting of every cell.
    var contentHasher: ContentHasher? {
        willSet { precondition(style == .plain, "the content hash is of the plain CSV's rows") }
    }
    private var line: [UInt8] = []
    /// The largest batch written so far, to size the next one's buffer.
    private var batchBytes = 1 << 16

    init(schema: TableSchema, path: String, style: Style = .plain) throws(PipelineFailure) {
        file = try BufferedFileWriter(path: path)
        self.style = style
        if style == .excel { line.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        for (index, field) in schema.fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            Self.appendCell(field.name, to: &line)
        }
        line.append(contentsOf: [0x0D, 0x0A])
        try file.write(line)
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        // The whole batch goes into one buffer and then to the file in one call.
        var out = OutputBuffer(capacity: batchBytes)
        let width = batch.width
        let neutralize = style == .excel
        let hashing = contentHasher != nil
        var rowRanges: [Range<Int>] = []
        if hashing { rowRanges.reserveCapacity(batch.rowCount) }
        batch.withCells { cells, spans, text in
            for row in 0..<batch.rowCount {
                let rowStart = out.count
                for column in 0..<width {
                    if column > 0 { out.append(UInt8(ascii: ",")) }
                    let cell = row * width + column
                    // Text and numbers from the batch's bytes: the cell's `String` is not touched, a number not formatted again.
                    let span = spans[cell]
                    switch span.kind {
                    case .plainText: Self.appendPlainCell(bytes: text.cell(span), to: &out, neutralizingFormulas: neutralize)
                    case .text: Self.appendCell(bytes: text.cell(span), to: &out, neutralizingFormulas: neutralize)
                    case .digits: out.append(bytes: text.cell(span))  // a number, never altered
                    case .none: cells[cell].appendCanonicalText(to: &out)
                    }
                }
                if hashing { rowRanges.append(rowStart..<out.count) }
                // A one-column row with an empty cell is `""`: a blank line is skipped by most readers.
                if out.count == rowStart {
                    out.append(UInt8(ascii: "\""))
                    out.append(UInt8(ascii: "\""))
                }
                out.append(0x0D)
                out.append(0x0A)
            }
        }
        batchBytes = max(batchBytes, out.count)
        contentHasher?.update(rows: out.bytes, ranges: rowRanges)
        try file.write(out.bytes)
    }

    /// The CSV needs no metadata: it is complete once the rows are.
    func rowsEnded() throws(PipelineFailure) {
        try file.close()
    }

    func finish(_ metadata: DatasetMetadata) throws(PipelineFailure) -> Int {
        try file.close()
        return file.byteCount
    }

    /// The first bytes that make a spreadsheet read a cell as a formula (OWASP CSV injection).
    @inline(__always)
    static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: true
        default: false
        }
    }

    @inline(__always)
    static func appendCell<Output: ByteOutput & ~Copyable>(
        _ text: String, to line: inout Output, neutralizingFormulas: Bool = false
    ) {
        var text = text
        text.withUTF8 { appendCell(bytes: $0, to: &line, neutralizingFormulas: neutralizingFormulas) }
    }

    /// Appends `bytes`, known to need no quotes (``ByteScan/isPlain(_:)``), as one cell.
    @inline(__always)
    static func appendPlainCell<Output: ByteOutput & ~Copyable>(
        bytes: UnsafeBufferPointer<UInt8>, to line: inout Output, neutralizingFormulas: Bool
    ) {
        if neutralizingFormulas, !bytes.isEmpty, startsFormula(bytes[0]) { line.append(UInt8(ascii: "'")) }
        line.append(bytes: bytes)
    }

    /// Appends `bytes` as one cell: copied whole unless a scan finds a byte that needs quotes.
    /// Neutralized, a cell that begins as a formula does is written after a `'`.
    @inline(__always)
    static func appendCell<Output: ByteOutput & ~Copyable>(
        bytes: UnsafeBufferPointer<UInt8>, to line: inout Output, neutralizingFormulas: Bool = false
    ) {
        guard ByteScan.firstCSVSpecial(bytes) != nil else {
            appendPlainCell(bytes: bytes, to: &line, neutralizingFormulas: neutralizingFormulas)
            return
        }
        let prefixed = neutralizingFormulas && !bytes.isEmpty && startsFormula(bytes[0])
        line.append(UInt8(ascii: "\""))
        if prefixed { line.append(UInt8(ascii: "'")) }
        var runStart = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\"") {
            // The run up to and including the quote, then the quote again.
            line.append(bytes: UnsafeBufferPointer(rebasing: bytes[runStart...index]))
            line.append(UInt8(ascii: "\""))
            runStart = index + 1
        }
        line.append(bytes: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        line.append(UInt8(ascii: "\""))
    }
}
