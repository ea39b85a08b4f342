import SystemPackage

/// The shape of a CSV file.
public struct CSVDialect: Sendable, Hashable {
    public var delimiter: UInt8
    /// nil: no quoting, every byte but the delimiter and line breaks is text (TSV).
    public var quote: UInt8?
    /// The file's declared encoding; text is read as UTF-8 after decoding.
    public var encoding: TextEncoding

    public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8? = UInt8(ascii: "\""), encoding: TextEncoding = .utf8) {
        self.delimiter = delimiter
        self.quote = quote
        self.encoding = encoding
    }
}

/// A streaming RFC 4180 reader over raw bytes.
///
/// Reads the file in fixed chunks and copies each record's unescaped field
/// bytes into one reused buffer, so memory stays at a chunk plus the longest
/// record whatever the file's size. Handles CRLF and LF, quoted fields with
/// delimiters, doubled quotes and line breaks inside them, a UTF-8 byte order
/// mark, and a last record without a line break. Blank lines are skipped.
///
/// UTF-8 is validated in place as each chunk is read (a word-at-a-time ASCII
/// scan); other encodings are decoded to UTF-8 by a ``Transcoder`` first. An
/// invalid byte stops the read when the tokenizer reaches it, so the error
/// names its line as well as its byte offset.
final class CSVReader {
    private let descriptor: FileDescriptor
    private let dialect: CSVDialect
    /// The file as messages name it.
    private let path: String
    /// The file as opened (read again only to say what a binary file is).
    private let filePath: String
    private var chunk: [UInt8]
    private var position = 0
    private var available = 0
    private var atEndOfFile = false
    private var startOfFile = true
    private var skipLineFeed = false
    /// Bytes read after `available` that end in an incomplete UTF-8 character.
    private var filled = 0
    /// The file offset of `chunk[0]` (UTF-8 only).
    private var chunkOffset = 0
    /// Decodes other encodings than UTF-8 (nil for UTF-8).
    private var transcoder: Transcoder?
    private var raw: [UInt8] = []
    /// Whether text read so far may not be in NFC (a scalar from U+0300 on,
    /// outside the precomposed Vietnamese letters, or any transcoded encoding).
    /// While false, values need no normalization.
    @exclusivity(unchecked) private(set) var mayNeedNormalization = false
    /// An invalid byte found at `available`: thrown when the tokenizer gets there.
    private var pendingFailure: EncodingFailure?

    /// The unescaped bytes of the current record's fields, back to back. Read for every cell
    /// (unchecked: only `nextRecord` writes them, on the reader's one thread).
    @exclusivity(unchecked) private var recordBytes: RecordRun<UInt8>
    /// Where each field of the current record ends in ``recordBytes``.
    @exclusivity(unchecked) private var recordEnds: RecordRun<Int>

    /// The current record's field bytes, back to back (a copy, for records held back).
    var fieldBytes: [UInt8] { Array(recordBytes.elements) }
    /// Where each field of the current record ends in ``fieldBytes`` (a copy).
    var fieldEnds: [Int] { Array(recordEnds.elements) }
    /// Whether a field of the current record was quoted (else the record holds no line break).
    private(set) var recordHasQuotedField = false
    /// The line on which the current record starts (1-based).
    private(set) var recordLine = 0
    private var line = 1
    private let maximumFieldBytes: Int
    private let stopFieldBytes: Int

    /// - Parameters:
    ///   - path: The file to read.
    ///   - displayPath: How messages name the file (defaults to `path`).
    ///   - maximumFieldBytes: The dataset's cell limit. A field is checked against it when it is
    ///     decoded (a type-error showing the value); one four times as long is refused as soon as
    ///     a chunk ends inside it, so a hostile cell never costs more memory than that and a chunk.
    init(
        path: String, displayPath: String? = nil, dialect: CSVDialect, chunkSize: Int = 1 << 20,
        maximumFieldBytes: Int = .max
    ) throws(PipelineFailure) {
        self.path = displayPath ?? path
        self.maximumFieldBytes = maximumFieldBytes
        let (stop, overflow) = maximumFieldBytes.multipliedReportingOverflow(by: 4)
        stopFieldBytes = overflow ? .max : stop
        filePath = path
        self.dialect = dialect
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
        } catch {
            throw PipelineFailure.sourceUnreadable(
                SourceLocation(file: displayPath ?? path), reason: "cannot open the file (\(error))")
        }
        // Allocated once the file is open (a reader that fails to open is never deinitialized).
        recordBytes = RecordRun(capacity: 4096)
        recordEnds = RecordRun(capacity: 64)
        // At least the three bytes of a byte order mark.
        chunk = [UInt8](repeating: 0, count: max(chunkSize, 4))
        if dialect.encoding != .utf8 {
            transcoder = Transcoder(encoding: dialect.encoding)
            mayNeedNormalization = true
            raw = [UInt8](repeating: 0, count: max(chunkSize, 4))
        }
    }

    deinit {
        try? descriptor.close()
        recordBytes.free()
        recordEnds.free()
    }

    var fieldCount: Int { recordEnds.count }

    /// Calls `body` with the bytes of field `index` of the current record.
    @inline(__always)
    func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(Self.field(index, bytes: recordBytes.elements, ends: recordEnds.elements))
    }

    /// Field `index` of a record given as its field bytes back to back and where each field ends.
    @inline(__always)
    static func field(_ index: Int, bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]])
    }

    /// Calls `body` with the current record's field bytes and where each field ends, for a loop over its cells.
    @inline(__always)
    func withRecord<R, E: Error>(
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<Int>) throws(E) -> R
    ) throws(E) -> R {
        try body(recordBytes.elements, recordEnds.elements)
    }

    /// Decodes field `index` of the current record with `decoders[field]`, straight from the
    /// record's bytes (in NFC when `normalize`), or takes the value from `cache`.
    @inline(__always)
    func decodeField(
        _ index: Int, with decoders: [FieldDecoder], field: Int, cache: inout DecodeCache, normalize: Bool
    ) throws(ValueDecoder.Failure) -> Value {
        try CSVReader.decode(Self.field(index, bytes: recordBytes.elements, ends: recordEnds.elements), decoders, field, &cache, normalize)
    }

    @inline(__always)
    static func decode(
        _ cell: UnsafeBufferPointer<UInt8>, _ decoders: [FieldDecoder], _ field: Int, _ cache: inout DecodeCache, _ normalize: Bool
    ) throws(ValueDecoder.Failure) -> Value {
        let found = cache.lookUp(cell, field: field)
        if found.hit { return cache.value(at: found.slot) }
        return try decodeMissed(cell, decoders, field, &cache, normalize, slot: found.slot)
    }

    /// Decodes a cell that `cache` did not hold, and keeps its value in `slot` (from ``DecodeCache/lookUp(_:field:)``).
    @inline(__always)
    static func decodeMissed(
        _ cell: UnsafeBufferPointer<UInt8>, _ decoders: [FieldDecoder], _ field: Int, _ cache: inout DecodeCache, _ normalize: Bool,
        slot: Int
    ) throws(ValueDecoder.Failure) -> Value {
        let decoded = try decoders[field].decode(cell)
        let value = normalize ? UnicodeText.nfc(decoded) : decoded
        cache.remember(value, of: cell, in: slot)
        return value
    }

    /// The field's text, for headers and error messages (invalid UTF-8 is shown repaired).
    func fieldText(_ index: Int) -> String {
        withField(index) { String(decoding: $0, as: UTF8.self) }
    }

    private enum State {
        case fieldStart
        case unquoted
        case quoted
        case quoteInQuoted
    }

    /// What a scan of the current chunk ended on.
    private enum ScanOutcome {
        case endOfRecord
        case endOfChunk
        case unexpectedAfterQuote(UInt8)
    }

    /// The tokenizer's state between chunks of one record. Kept in locals while
    /// scanning, so the hot loop touches no class property (each such access
    /// costs an exclusivity check: about a third of the time, measured with perf).
    private struct Cursor {
        var state = State.fieldStart
        var started = false
        /// Whether the record has a quoted field (only those can hold line breaks).
        var quoted = false
        var quoteLine = 0
        var line: Int
        var recordLine: Int
        var skipLineFeed: Bool
    }

    /// Advances to the next record; false at the end of the file.
    func nextRecord() throws(PipelineFailure) -> Bool {
        // In locals while scanning (the runs grow in place; the properties get them back at the end).
        var bytes = recordBytes
        var ends = recordEnds
        bytes.count = 0
        ends.count = 0
        var cursor = Cursor(line: line, recordLine: recordLine, skipLineFeed: skipLineFeed)
        defer {
            recordBytes = bytes
            recordEnds = ends
            recordHasQuotedField = cursor.quoted
            line = cursor.line
            recordLine = cursor.recordLine
            skipLineFeed = cursor.skipLineFeed
        }
        let dialect = self.dialect
        while true {
            while position == available {
                line = cursor.line
                if let failure = pendingFailure {
                    // An invalid byte at the very start: a compressed file or an archive, say, rather than text.
                    if failure.offset < 16, let problem = FileSignature.problem(path: filePath, expected: "a CSV text file") {
                        throw PipelineFailure.malformedSource(SourceLocation(file: path), problem: problem, code: .wrongFileType)
                    }
                    let record = cursor.started ? " (in the record that starts on line \(cursor.recordLine))" : ""
                    throw PipelineFailure.malformedSource(
                        SourceLocation(file: path, line: cursor.line),
                        problem: "byte offset \(failure.offset)\(record): \(failure.problem)", code: .encodingError)
                }
                try refill()
                if available == 0, pendingFailure == nil {
                    if cursor.state == .quoted {
                        throw PipelineFailure.malformedSource(
                            SourceLocation(file: path, line: cursor.quoteLine),
                            problem: "a quoted field is never closed (the file ends inside it)", code: .unclosedQuote)
                    }
                    guard cursor.started else { return false }
                    ends.append(bytes.count)
                    return true
                }
            }
            var position = self.position
            let available = self.available
            let outcome = chunk.withUnsafeBufferPointer { buffer in
                Self.scan(buffer, from: &position, to: available, dialect: dialect, cursor: &cursor, bytes: &bytes, ends: &ends)
            }
            self.position = position
            switch outcome {
            case .endOfRecord:
                return true
            case .endOfChunk:
                let fieldSize = bytes.count - (ends.last ?? 0)
                if fieldSize > stopFieldBytes {
                    throw PipelineFailure.malformedSource(
                        SourceLocation(file: path, line: cursor.recordLine, field: "field \(ends.count + 1)"),
                        problem: "the field holds more than \(stopFieldBytes) bytes (reading stopped there): expected "
                            + "a cell of at most \(maximumFieldBytes) bytes (a dataset can raise the limit with maximumCellBytes)",
                        code: .cellTooLarge)
                }
                continue
            case let .unexpectedAfterQuote(byte):
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: path, line: cursor.line, field: "field \(ends.count + 1)"),
                    problem: "unexpected '\(Character(Unicode.Scalar(byte)))' after a closing quote "
                        + "(a quote inside a quoted field must be doubled: \"\")", code: .textAfterQuote)
            }
        }
    }

    /// Scans `buffer[position..<end]` until a record ends or the chunk does.
    private static func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, from position: inout Int, to end: Int, dialect: CSVDialect,
        cursor: inout Cursor, bytes: inout RecordRun<UInt8>, ends: inout RecordRun<Int>
    ) -> ScanOutcome {
        let delimiter = dialect.delimiter
        let quoting = dialect.quote != nil
        let quote = dialect.quote ?? 0
        var index = position
        defer { position = index }
        while index < end {
            let byte = buffer[index]
            index += 1
            if cursor.skipLineFeed {
                cursor.skipLineFeed = false
                if byte == 0x0A { continue }
            }
            if !cursor.started {
                if byte == 0x0A || byte == 0x0D {  // a blank line
                    cursor.line += 1
                    cursor.skipLineFeed = byte == 0x0D
                    continue
                }
                cursor.started = true
                cursor.recordLine = cursor.line
            }
            switch cursor.state {
            case .fieldStart, .unquoted:
                if byte == delimiter {
                    ends.append(bytes.count)
                    cursor.state = .fieldStart
                } else if byte == 0x0A || byte == 0x0D {
                    ends.append(bytes.count)
                    cursor.line += 1
                    cursor.skipLineFeed = byte == 0x0D
                    return .endOfRecord
                } else if quoting && byte == quote && cursor.state == .fieldStart {
                    cursor.state = .quoted
                    cursor.quoteLine = cursor.line
                    cursor.quoted = true
                } else {
                    // Copy the rest of an unquoted field in one go, found eight bytes at a time,
                    // and take the delimiter or line break that ends it in the same step.
                    let start = index - 1
                    index = Self.endOfUnquotedRun(buffer, from: index, to: end, delimiter: delimiter)
                    bytes.append(bytes: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                    guard index < end else {
                        cursor.state = .unquoted
                        return .endOfChunk
                    }
                    let stop = buffer[index]
                    index += 1
                    ends.append(bytes.count)
                    cursor.state = .fieldStart
                    if stop != delimiter {  // CR or LF
                        cursor.line += 1
                        cursor.skipLineFeed = stop == 0x0D
                        return .endOfRecord
                    }
                }
            case .quoted:
                if byte == quote {
                    cursor.state = .quoteInQuoted
                } else {
                    // Copy the run up to the next quote (or the chunk's end) in one go, counting its line feeds.
                    let start = index - 1
                    var lineFeeds = byte == 0x0A ? 1 : 0
                    while index < end {
                        let next = buffer[index]
                        if next == quote { break }
                        if next == 0x0A { lineFeeds += 1 }
                        index += 1
                    }
                    cursor.line += lineFeeds
                    bytes.append(bytes: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                }
            case .quoteInQuoted:
                if byte == quote {
                    bytes.append(quote)
                    cursor.state = .quoted
                } else if byte == delimiter {
                    ends.append(bytes.count)
                    cursor.state = .fieldStart
                } else if byte == 0x0A || byte == 0x0D {
                    ends.append(bytes.count)
                    cursor.line += 1
                    cursor.skipLineFeed = byte == 0x0D
                    return .endOfRecord
                } else {
                    return .unexpectedAfterQuote(byte)
                }
            }
        }
        return .endOfChunk
    }

    /// The index of the first delimiter, CR or LF at or after `start` (else `end`). Eight bytes at
    /// a time: a byte equal to one of the three is a zero byte of the word XORed with it, and the
    /// lowest byte that `(v - 0x01…) & ~v & 0x80…` flags is exactly the first zero byte.
    @inline(__always)
    static func endOfUnquotedRun(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8) -> Int {
        var index = start
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let delimiters = ones &* UInt64(delimiter)
            @inline(__always) func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highs }
            while index + 8 <= end {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let found = zeroBytes(word ^ delimiters) | zeroBytes(word ^ (ones &* 0x0A)) | zeroBytes(word ^ (ones &* 0x0D))
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < end {
            let next = buffer[index]
            if next == delimiter || next == 0x0A || next == 0x0D { break }
            index += 1
        }
        return index
    }

    private func refill() throws(PipelineFailure) {
        if transcoder != nil { return try refillTranscoded() }
        // Keep the start of a character cut off at the end of the last chunk.
        let carry = filled - available
        if carry > 0 {
            chunk.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<carry { buffer[index] = buffer[available + index] }
            }
        }
        chunkOffset += available
        filled = carry
        position = 0
        available = 0
        // At the start, read until the chunk could hold a whole byte order mark;
        // later, until at least one whole character is there.
        while !atEndOfFile {
            let wanted = startOfFile ? 3 : filled + 1
            while filled < wanted, !atEndOfFile {
                let count = try read(into: &chunk, at: filled)
                filled += count
                if count == 0 { atEndOfFile = true }
            }
            if startOfFile {
                startOfFile = false
                // A UTF-8 byte order mark is not part of the first header.
                if filled >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { position = 3 }
            }
            let start = position
            var mayNeedNFC = mayNeedNormalization
            let checked = chunk.withUnsafeBufferPointer { buffer in
                UTF8Validation.validPrefix(UnsafeBufferPointer(rebasing: buffer[0..<filled]), from: start, mayNeedNFC: &mayNeedNFC)
            }
            mayNeedNormalization = mayNeedNFC
            available = checked.end
            if checked.end < filled, !(checked.incomplete && !atEndOfFile) {
                pendingFailure = EncodingFailure(
                    offset: chunkOffset + checked.end, problem: Self.utf8Problem(chunk, at: checked.end, filled: filled))
                return
            }
            if available > position || filled == chunk.count { return }
        }
    }

    private static func utf8Problem(_ bytes: [UInt8], at index: Int, filled: Int) -> String {
        let shown = bytes[index..<min(filled, index + 4)].map { "0x\(Transcoder.hex($0))" }.joined(separator: " ")
        return "the bytes \(shown) are not valid UTF-8; declare the file's encoding (utf-16, windows-1258, tcvn3, vni)"
    }

    /// Reads the next raw chunk and decodes it into `chunk` as UTF-8.
    private func refillTranscoded() throws(PipelineFailure) {
        position = 0
        available = 0
        chunk.removeAll(keepingCapacity: true)
        while chunk.isEmpty, !atEndOfFile {
            let count = try read(into: &raw, at: 0)
            if count == 0 { atEndOfFile = true }
            do {
                try raw.withUnsafeBufferPointer { buffer throws(EncodingFailure) in
                    try transcoder!.transcode(
                        UnsafeBufferPointer(rebasing: buffer[0..<count]), final: count == 0, into: &chunk)
                }
            } catch {
                pendingFailure = error
                break
            }
        }
        available = chunk.count
    }

    private func read(into buffer: inout [UInt8], at start: Int) throws(PipelineFailure) -> Int {
        do {
            return try buffer.withUnsafeMutableBytes { bytes in
                try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[start...]), retryOnInterrupt: true)
            }
        } catch {
            throw PipelineFailure.sourceUnreadable(SourceLocation(file: path, line: line), reason: "read failed: \(error)")
        }
    }
}

/// A growable run of plain values in memory its owner frees (the reader's current record; a
/// batch's text, ``BatchText``; ``SDMXParsedRows``): appends are inlined copies, with none of an
/// `Array`'s uniqueness checks and calls (measured: a fifth of the tokenizer's time). A value
/// type of a pointer and two counts, copied into locals while a record is scanned and back;
/// only one copy is live, and its owner calls ``free()`` once.
struct RecordRun<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func free() {
        base.deallocate()
    }

    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    var last: Element? { count > 0 ? base[count - 1] : nil }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        base[count] = element
        count += 1
    }

    @inline(__always)
    mutating func append(_ elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress else { return }
        if count + elements.count > capacity { grow(to: count + elements.count) }
        (base + count).update(from: source, count: elements.count)
        count += elements.count
    }

    /// Appends bytes with a ``ShortCopy`` (fields and text cells are mostly a few bytes long).
    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) where Element == UInt8 {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        ShortCopy.copy(source, to: base + count, count: bytes.count)
        count += bytes.count
    }

    @inline(never)
    private mutating func grow(to minimum: Int) {
        let grown = max(capacity * 2, minimum)
        let moved = UnsafeMutablePointer<Element>.allocate(capacity: grown)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = grown
    }
}

extension RecordRun: ByteOutput where Element == UInt8 {}
