internal import CLibXML2

/// A parsed XML document. Owns its `xmlDoc` and frees it in `deinit`.
///
/// Not `Sendable`: a libxml2 tree must not be touched from two threads. Copy
/// what you need into value types before crossing a task boundary.
public final class Document {
    let pointer: xmlDocPtr

    /// The default largest document ``init(parsing:source:maximumBytes:)`` accepts: 256 MiB.
    /// A DOM costs about 20 times its input in memory; larger inputs want a streaming reader.
    public static let defaultMaximumBytes = 256 << 20

    /// Parses `bytes` without network access, DTD loading or entity substitution.
    ///
    /// Bytes are parsed from memory: `xmlReadFile` is never used, since it
    /// silently inflates gzip input and loads the document through the entity loader.
    ///
    /// - Parameters:
    ///   - bytes: The document, in the encoding it declares (UTF-8 by default).
    ///   - source: A name for error messages, usually the file path.
    ///   - maximumBytes: Inputs larger than this are refused before parsing.
    /// - Throws: ``XMLError/malformed(source:line:column:message:)`` with libxml2's
    ///   first error (or, before libxml2 parses, a `--` inside a comment: see `CommentCheck`),
    ///   ``XMLError/entityDeclarationsNotAllowed(source:line:)`` or
    ///   ``XMLError/tooLarge(source:bytes:limit:)``.
    public init(parsing bytes: [UInt8], source: String, maximumBytes: Int = Document.defaultMaximumBytes) throws(XMLError) {
        prepareLibXML()
        let length = try Self.checkedLength(of: bytes, source: source, maximumBytes: maximumBytes)
        if let error = bytes.withUnsafeBytes({ CommentCheck.error(in: $0, source: source) }) { throw error }
        guard let context = xmlNewParserCtxt() else {
            throw XMLError.malformed(source: source, line: 0, column: 0, message: "out of memory")
        }
        defer { xmlFreeParserCtxt(context) }

        // libxml2 keeps parsing after the first fatal error, so
        // xmlCtxtGetLastError() often describes a follow-on error. Record the
        // first one through the structured-error hook. The C callback cannot
        // capture, so the recorder travels in the context's `_private`.
        let recorder = FirstErrorRecorder()
        let box = Unmanaged.passRetained(recorder)
        defer { box.release() }
        context.pointee._private = box.toOpaque()
        context.pointee.sax.pointee.serror = { userData, error in
            guard let userData, let error else { return }
            let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let opaque = context.pointee._private else { return }
            Unmanaged<FirstErrorRecorder>.fromOpaque(opaque).takeUnretainedValue().record(error.pointee)
        }

        // An encoding conversion failure is reported without the context (to the thread's
        // handler), before the parser's own error at that place: kept to say why.
        xmlSetStructuredErrorFunc(box.toOpaque()) { userData, error in
            guard let userData, let error, error.pointee.domain == Int32(XML_FROM_I18N.rawValue) else { return }
            Unmanaged<FirstErrorRecorder>.fromOpaque(userData).takeUnretainedValue().record(error.pointee)
        }
        defer { clibxml2_silence_this_thread() }
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(context, chars.baseAddress, length, source, nil, safeParserOptions)
            }
        }
        guard let parsed, context.pointee.wellFormed != 0 else {
            if let parsed { xmlFreeDoc(parsed) }
            if recorder.isInsideEntity {
                throw XMLError.entityDeclarationsNotAllowed(source: source, line: Self.lineOfDoctype(in: bytes))
            }
            throw XMLError.withinText(recorder.error(source: source) ?? Self.lastError(of: context, source: source), bytes)
        }
        if let subset = parsed.pointee.intSubset, subset.pointee.entities != nil || subset.pointee.pentities != nil {
            xmlFreeDoc(parsed)
            throw XMLError.entityDeclarationsNotAllowed(source: source, line: Self.lineOfDoctype(in: bytes))
        }
        pointer = parsed
    }

    /// Takes ownership of a parsed document (the HTML parser's).
    init(owning pointer: xmlDocPtr) {
        self.pointer = pointer
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    /// The document's root element.
    public var root: Node? {
        xmlDocGetRootElement(pointer).map { Node(pointer: $0, document: self) }
    }

    /// An XPath evaluator for this document with `namespaces` (prefix → URI) registered.
    ///
    /// Namespaces are matched by URI: the prefixes here need not be the document's own.
    public func xpath(namespaces: [String: String] = [:]) throws(XMLError) -> XPathEvaluator {
        try XPathEvaluator(document: self, namespaces: namespaces)
    }

    /// The length libxml2 is given, after refusing inputs over `maximumBytes`
    /// (and over 2 GiB: `Int32(_:)` would trap, and libxml2 takes a C int).
    static func checkedLength(of bytes: [UInt8], source: String, maximumBytes: Int) throws(XMLError) -> Int32 {
        guard bytes.count <= maximumBytes else {
            throw XMLError.tooLarge(source: source, bytes: bytes.count, limit: maximumBytes)
        }
        guard let length = Int32(exactly: bytes.count) else {
            throw XMLError.tooLarge(source: source, bytes: bytes.count, limit: Int(Int32.max))
        }
        return length
    }

    /// The 1-based line on which `<!DOCTYPE` starts (libxml2 keeps no line for a DTD).
    static func lineOfDoctype(in bytes: [UInt8]) -> Int {
        let marker = Array("<!DOCTYPE".utf8)
        var line = 1
        var index = 0
        while index + marker.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
            } else if bytes[index] == marker[0], Array(bytes[index..<index + marker.count]) == marker {
                return line
            }
            index += 1
        }
        return 1
    }

    private static func lastError(of context: xmlParserCtxtPtr, source: String) -> XMLError {
        guard let error = xmlCtxtGetLastError(context) else {
            return .malformed(source: source, line: 0, column: 0, message: "unknown parser error")
        }
        let message = readableLibXMLMessage(error.pointee.message.map { String(cString: $0) } ?? "code \(error.pointee.code)")
        return .malformed(
            source: source, line: Int(error.pointee.line), column: Int(error.pointee.int2),
            message: message)
    }
}

/// Keeps the first error libxml2 reports while parsing one document.
final class FirstErrorRecorder {
    private var first: (line: Int, column: Int, message: String)?

    /// Whether the first error is inside an entity's replacement text (an entity
    /// loop, say): libxml2 parses that text as a document of its own, without a
    /// file name, so its line and column point into the entity, not the file.
    private(set) var isInsideEntity = false

    /// libxml2's message for the first encoding conversion failure, which has no position.
    private var conversion: String?

    func record(_ error: xmlError) {
        if error.domain == Int32(XML_FROM_I18N.rawValue) {
            if conversion == nil { conversion = error.message.map { String(cString: $0).trimmingTrailingNewlines() } }
            return
        }
        guard first == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = readableLibXMLMessage(error.message.map { String(cString: $0) } ?? "code \(error.code)")
        first = (Int(error.line), Int(error.int2), message)
        isInsideEntity = error.file == nil
    }

    /// Whether an error has been recorded (cheaper than ``error(source:)`` on every node).
    var hasError: Bool { first != nil }

    func error(source: String) -> XMLError? {
        first.map { first in
            let message = conversion.map { "\(first.message): the bytes there are not in the declared encoding (\($0))" }
            return .malformed(source: source, line: first.line, column: first.column, message: message ?? first.message)
        }
    }
}
