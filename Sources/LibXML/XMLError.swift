/// An error raised while reading, querying or writing XML.
///
/// Every case carries what a user needs to fix the input: which source, where
/// in it (line and column, both 1-based as libxml2 counts them) and what was wrong.
public enum XMLError: Error, Sendable, Equatable {
    /// The bytes are not well-formed XML.
    case malformed(source: String, line: Int, column: Int, message: String)
    /// The document declares entities in a DOCTYPE, which this reader refuses
    /// (external entities could read files; internal ones can expand without bound).
    case entityDeclarationsNotAllowed(source: String, line: Int)
    /// A streamed document has a DOCTYPE, which the streaming reader refuses
    /// outright (data messages have none; a DTD is where entity tricks live).
    case doctypeNotAllowed(source: String, line: Int)
    /// A file could not be opened.
    case cannotOpen(source: String, reason: String)
    /// The input is larger than the configured limit.
    case tooLarge(source: String, bytes: Int, limit: Int)
    /// The XPath expression could not be compiled or evaluated.
    case invalidXPath(expression: String, message: String)
    /// The XPath expression gave a result of the wrong kind (e.g. a number where nodes were expected).
    case unexpectedXPathResult(expression: String, expected: String)
    /// libxml2's text writer reported a failure during `step`.
    case writeFailed(step: String)
}

extension XMLError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .malformed(source, line, column, message):
            "\(source), line \(line), column \(column): malformed XML: \(message)"
        case let .entityDeclarationsNotAllowed(source, line):
            "\(source), line \(line): the DOCTYPE declares entities; entity declarations are refused "
                + "(they can read local files or expand without bound). Remove the DOCTYPE."
        case let .doctypeNotAllowed(source, line):
            "\(source), line \(line): the document has a DOCTYPE, which is refused "
                + "(a DTD can declare entities that read local files or expand without bound). Remove the DOCTYPE."
        case let .cannotOpen(source, reason):
            "\(source): cannot open the file (\(reason))"
        case let .tooLarge(source, bytes, limit):
            "\(source): \(bytes) bytes is larger than the limit of \(limit) bytes for an XML document"
        case let .invalidXPath(expression, message):
            "invalid XPath '\(expression)': \(message)"
        case let .unexpectedXPathResult(expression, expected):
            "XPath '\(expression)' did not give \(expected)"
        case let .writeFailed(step):
            "XML writer failed while \(step)"
        }
    }
}

extension XMLError {
    /// The last line of `bytes` (a final line break ends a line, it does not start one)
    /// and the column just after its last character.
    static func end(of bytes: some Sequence<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var lastWasBreak = false
        var previousLength = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                previousLength = column
                line += 1
                column = 1
                lastWasBreak = true
            } else if byte & 0xC0 != 0x80 {  // a character's first byte: columns count characters
                column += 1
                lastWasBreak = false
            }
        }
        return lastWasBreak && line > 1 ? (line - 1, previousLength) : (line, column)
    }

    /// `error` with a position past the end of `bytes` (libxml2 reports "premature
    /// end" on the line after a final line break) moved to the end of the last line.
    static func withinText(_ error: XMLError, _ bytes: some Sequence<UInt8>) -> XMLError {
        guard case let .malformed(source, line, column, message) = error else { return error }
        let end = end(of: bytes)
        guard line > end.line || (line == end.line && column > end.column) else { return error }
        return .malformed(source: source, line: end.line, column: end.column, message: message + " (at the end of the file)")
    }
}
