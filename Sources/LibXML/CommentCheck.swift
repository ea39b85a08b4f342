/// Refuses `--` inside an XML comment (XML 1.0 §2.5: "the string '--' must not occur within
/// comments") in one linear pass, before libxml2 sees the document: libxml2 2.9.14 copies the
/// comment again for every such error it raises, so `<!--` followed by 150,000 `--` takes
/// seconds (quadratic in the comment's length).
///
/// Comments are found outside CDATA sections and processing instructions. UTF-16 documents
/// (a byte order mark, or `<` as the first code unit) are read by code unit; anything else by
/// byte, which covers UTF-8 and the single-byte encodings. Lines and columns are 1-based;
/// a column counts characters.
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
    private var line = 1
    private var column = 0
    private var dash = (line: 0, column: 0)
    /// Bytes per code unit (1, or 2 for UTF-16), and whether UTF-16 is big-endian.
    private var unitWidth = 0
    private var bigEndian = false
    private var pendingByte: UInt8?
    private(set) var failure: (line: Int, column: Int)?

    /// The error for a whole document, if it has a `--` inside a comment.
    static func error(in bytes: UnsafeRawBufferPointer, source: String) -> XMLError? {
        var check = CommentCheck()
        check.feed(bytes)
        return check.error(source: source)
    }

    /// The error for the first `--` found, if any.
    func error(source: String) -> XMLError? {
        failure.map {
            .malformed(
                source: source, line: $0.line, column: $0.column,
                message: "'--' inside a comment (XML 1.0 forbids it; a comment ends at the first '-->')")
        }
    }

    /// Reads the next bytes of the document; stops at the first `--` found.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        var index = 0
        if unitWidth == 0 {
            let first = bytes[0]
            let second: UInt8? = bytes.count > 1 ? bytes[1] : nil
            switch (first, second) {
            case (0xFF, 0xFE), (0x3C, 0x00): unitWidth = 2
            case (0xFE, 0xFF), (0x00, 0x3C):
                unitWidth = 2
                bigEndian = true
            default: unitWidth = 1
            }
        }
        if unitWidth == 1 {
            while index < bytes.count, failure == nil {
                let byte = bytes[index]
                if byte & 0xC0 != 0x80 { column += 1 }
                step(UInt32(byte))
                index += 1
            }
            return
        }
        while index < bytes.count, failure == nil {
            guard let high = pendingByte else {
                pendingByte = bytes[index]
                index += 1
                continue
            }
            pendingByte = nil
            let low = bytes[index]
            index += 1
            let unit = bigEndian ? UInt32(high) << 8 | UInt32(low) : UInt32(low) << 8 | UInt32(high)
            if !(0xDC00...0xDFFF).contains(unit) { column += 1 }
            step(unit)
        }
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
                    failure = dash
                }
            } else if unit == 0x2D {
                if run == 0 { dash = (line, column) }
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
        if unit == 0x0A {
            line += 1
            column = 0
        }
    }
}
