internal import CLibXML2

/// An HTML page parsed with libxml2's HTML parser, with every error it
/// recovered from, so that the caller decides which matter (those inside the
/// table it reads) and which are only worth a warning.
public final class HTMLPage {
    /// One error libxml2 reported and recovered from.
    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public var message: String

        public func error(source: String) -> XMLError {
            .malformed(source: source, line: line, column: column, message: message)
        }
    }

    public let document: Document
    /// The errors, in the order met (at most ``maximumProblems``); unknown tags are not among them.
    public let problems: [Problem]

    public static let maximumProblems = 1000

    public init(parsing bytes: [UInt8], source: String, maximumBytes: Int = Document.defaultMaximumBytes) throws(XMLError) {
        let (parsed, problems) = try Self.parse(bytes, source: source, maximumBytes: maximumBytes)
        document = Document(owning: parsed)
        self.problems = problems
    }

    /// The problems on the lines `node` spans (from its start tag to the line of the
    /// first node after it, where its end tag is), and the others.
    public func problems(within node: Node) -> (inside: [Problem], outside: [Problem]) {
        let start = node.line
        var end = Int.max
        var current: xmlNodePtr? = node.pointer
        while let pointer = current {
            if let next = pointer.pointee.next {
                let line = Int(xmlGetLineNo(next))
                if line > 0 {
                    end = line
                    break
                }
                current = next
            } else {
                current = pointer.pointee.parent
            }
        }
        var inside: [Problem] = []
        var outside: [Problem] = []
        for problem in problems {
            if problem.line >= start, problem.line <= end { inside.append(problem) } else { outside.append(problem) }
        }
        return (inside, outside)
    }

    /// Parses without network access; libxml2 prints nothing.
    static func parse(_ bytes: [UInt8], source: String, maximumBytes: Int) throws(XMLError) -> (xmlDocPtr, [Problem]) {
        prepareLibXML()
        let length = try Document.checkedLength(of: bytes, source: source, maximumBytes: maximumBytes)
        guard let context = htmlNewParserCtxt() else {
            throw XMLError.malformed(source: source, line: 0, column: 0, message: "out of memory")
        }
        defer { htmlFreeParserCtxt(context) }
        let recorder = ProblemRecorder()
        let box = Unmanaged.passRetained(recorder)
        defer { box.release() }
        // The HTML parser reports through the structured-error hook only when its
        // SAX handler is a SAX2 one, which it is not; the per-thread handler gets
        // every error, so it is set for this parse and silenced again afterwards.
        xmlSetStructuredErrorFunc(box.toOpaque()) { userData, error in
            guard let userData, let error else { return }
            Unmanaged<ProblemRecorder>.fromOpaque(userData).takeUnretainedValue().record(error.pointee)
        }
        defer { clibxml2_silence_this_thread() }
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlCtxtReadMemory(context, chars.baseAddress, length, source, nil, options)
            }
        }
        guard let parsed else {
            throw recorder.problems.first?.error(source: source)
                ?? XMLError.malformed(source: source, line: 0, column: 0, message: "the page could not be parsed")
        }
        return (parsed, recorder.problems)
    }
}

/// Keeps the errors libxml2's HTML parser reports, except unknown tags.
private final class ProblemRecorder {
    var problems: [HTMLPage.Problem] = []

    func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue, error.code != Int32(XML_HTML_UNKNOWN_TAG.rawValue),
            problems.count < HTMLPage.maximumProblems
        else { return }
        let message = readableLibXMLMessage(error.message.map { String(cString: $0) } ?? "code \(error.code)")
        problems.append(.init(line: Int(error.line), column: Int(error.int2), message: message))
    }
}
