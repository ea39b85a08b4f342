#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Refuses `--` inside an XML comment (XML 1.0 §2.5: "the string '--' must not occur within
/// comments") in one linear pass over the bytes before libxml2 sees them: libxml2 2.9.14 copies
/// the comment again for every such error it raises, so `<!--` followed by 150,000 `--` takes
/// seconds (quadratic in the comment's length).
///
/// Comments are found outside CDATA sections and processing instructions. UTF-16 documents
/// (a byte order mark, or `<` as the first code unit) are read by code unit; anything else by
/// byte, which covers UTF-8 and the single-byte encodings. Bytes that cannot change the state
/// (anything but `<!`/`<?` in text) are skipped with `memchr`; the failure's line and column
/// (1-based; a column counts characters) are counted afterwards, from the document's bytes.
struct CommentCheck {
    private enum State {
        case text
        case comment
        case cdata
        case processingInstruction
    }

    private static let commentOpener: [UInt32] = Array("<!--".unicodeScalars.map(\.value))
    private static let cdataOpener: [UInt32] = Array("<![CDATA[".unicodeScalars.map(\.value))

    private var state = State.text
    /// The start of an opener matched so far, in text.
    private var opener: [UInt32] = []
    /// Consecutive `-` in a comment, `]` in CDATA, a `?` in a processing instruction.
    private var run = 0
    /// The byte offset of the code unit being read, and of the first `-` of the current run.
    private var offset = 0
    private var dash = 0
    /// The last byte fed (text state, byte by byte): a `<` just before a chunk's first byte.
    private var previousByte: UInt8 = 0
    /// Bytes per code unit (1, or 2 for UTF-16), and whether UTF-16 is big-endian.
    private var unitWidth = 0
    private var bigEndian = false
    private var pendingByte: UInt8?
    /// The document's first byte while it is the only one read (the encoding needs two).
    private var firstByte: UInt8?
    /// The byte offset of the first `-` of the first `--` found.
    private(set) var failureOffset: Int?

    /// The error for a whole document, if it has a `--` inside a comment.
    static func error(in bytes: UnsafeRawBufferPointer, source: String) -> XMLError? {
        var check = CommentCheck()
        check.feed(bytes)
        return check.error(source: source, document: bytes)
    }

    /// The error for the first `--` found, if any; `document` is the document's bytes from its
    /// start (at least up to the failure), where the line and column are counted.
    func error(source: String, document: some Sequence<UInt8>) -> XMLError? {
        failureOffset.map {
            let position = position(ofByte: $0, in: document)
            return .malformed(
                source: source, line: position.line, column: position.column,
                message: "'--' inside a comment (XML 1.0 forbids it; a comment ends at the first '-->')")
        }
    }

    /// The 1-based line and column (in characters) of the code unit starting at byte `target`.
    private func position(ofByte target: Int, in document: some Sequence<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 0
        var index = 0
        var high: UInt8?
        for byte in document {
            defer { index += 1 }
            let unit: UInt32
            let start: Int
            if unitWidth == 2 {
                guard let first = high else {
                    high = byte
                    continue
                }
                high = nil
                unit = bigEndian ? UInt32(first) << 8 | UInt32(byte) : UInt32(byte) << 8 | UInt32(first)
                start = index - 1
                if !(0xDC00...0xDFFF).contains(unit) { column += 1 }
            } else {
                unit = UInt32(byte)
                start = index
                if byte & 0xC0 != 0x80 { column += 1 }
            }
            if start >= target { break }
            if unit == 0x0A {
                line += 1
                column = 0
            }
        }
        return (line, column)
    }

    /// Reads the next bytes of the document; stops at the first `--` found.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard failureOffset == nil, !bytes.isEmpty else { return }
        if unitWidth == 0 {
            // The encoding is told by the first two bytes, which may come in two chunks.
            guard let first = firstByte ?? (bytes.count > 1 ? bytes[0] : nil) else {
                firstByte = bytes[0]
                return
            }
            let second = firstByte == nil ? bytes[1] : bytes[0]
            switch (first, second) {
            case (0xFF, 0xFE), (0x3C, 0x00): unitWidth = 2
            case (0xFE, 0xFF), (0x00, 0x3C):
                unitWidth = 2
                bigEndian = true
            default: unitWidth = 1
            }
            if firstByte != nil {
                firstByte = nil
                withUnsafeBytes(of: first) { feedUnits($0) }
            }
        }
        feedUnits(bytes)
    }

    private mutating func feedUnits(_ bytes: UnsafeRawBufferPointer) {
        guard failureOffset == nil else { return }
        let base = offset
        defer { offset = base + bytes.count }
        if unitWidth == 1 {
            feedBytes(bytes, base: base)
            return
        }
        var index = 0
        while index < bytes.count, failureOffset == nil {
            guard let high = pendingByte else {
                pendingByte = bytes[index]
                index += 1
                continue
            }
            pendingByte = nil
            let low = bytes[index]
            offset = base + index - 1
            index += 1
            step(bigEndian ? UInt32(high) << 8 | UInt32(low) : UInt32(low) << 8 | UInt32(high))
        }
    }

    /// Byte by byte, skipping to the next byte that can change the state.
    private mutating func feedBytes(_ bytes: UnsafeRawBufferPointer, base: Int) {
        let start = bytes.baseAddress!
        let count = bytes.count
        var index = 0
        // The next `!` and `?` at or after `index` (count: none), each searched again only once passed.
        var nextBang = -1
        var nextQuestion = -1
        func find(_ byte: UInt8, from: Int) -> Int {
            guard from < count, let found = memchr(start + from, Int32(byte), count - from) else { return count }
            return start.distance(to: UnsafeRawPointer(found))
        }
        while index < count, failureOffset == nil {
            switch state {
            case .text where opener.isEmpty:
                // Only `<!` and `<?` open anything: find the next `!` or `?` just after a `<`.
                if nextBang < index { nextBang = find(0x21, from: index) }
                if nextQuestion < index { nextQuestion = find(0x3F, from: index) }
                let next = min(nextBang, nextQuestion)
                guard next < count else {
                    index = count
                    continue
                }
                let before = next > 0 ? bytes[next - 1] : previousByte
                index = next + 1
                guard before == 0x3C else { continue }
                opener.append(0x3C)
                offset = base + next
                step(UInt32(bytes[next]))
                continue
            case .comment where run == 0:
                index = find(0x2D, from: index)  // -
            case .cdata where run == 0:
                index = find(0x5D, from: index)  // ]
            case .processingInstruction where run == 0:
                index = find(0x3F, from: index)  // ?
            default:
                break
            }
            guard index < count else { break }
            offset = base + index
            step(UInt32(bytes[index]))
            index += 1
        }
        previousByte = bytes[count - 1]
    }

    private static func state(opening opener: [UInt32]) -> State? {
        if opener == commentOpener { return .comment }
        if opener == cdataOpener { return .cdata }
        if opener == [0x3C, 0x3F] { return .processingInstruction }  // <?
        return nil
    }

    private mutating func step(_ unit: UInt32) {
        switch state {
        case .text:
            if opener.isEmpty {
                if unit == 0x3C { opener.append(unit) }  // <
            } else {
                opener.append(unit)
                if let entered = Self.state(opening: opener) {
                    state = entered
                    run = 0
                    opener.removeAll(keepingCapacity: true)
                } else if !Self.commentOpener.starts(with: opener), !Self.cdataOpener.starts(with: opener) {
                    opener.removeAll(keepingCapacity: true)
                    if unit == 0x3C { opener.append(unit) }
                }
            }
        case .comment:
            if run == 2 {
                // "--" ends the comment only as "-->".
                if unit == 0x3E {
                    state = .text
                    run = 0
                } else {
                    failureOffset = dash
                }
            } else if unit == 0x2D {
                if run == 0 { dash = offset }
                run += 1
            } else {
                run = 0
            }
        case .cdata:
            if unit == 0x5D {
                run += 1
            } else {
                if unit == 0x3E, run >= 2 { state = .text }
                run = 0
            }
        case .processingInstruction:
            if unit == 0x3E, run == 1 { state = .text }
            run = unit == 0x3F ? 1 : 0
        }
    }
}
