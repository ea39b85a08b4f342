internal import CLibXML2
import SystemPackage

/// A forward-only reader over an XML file (libxml2's `xmlTextReader`): one
/// node at a time, with memory that does not grow with the file.
///
/// Reads from a file descriptor, so gzip input is not inflated and nothing is
/// loaded through the entity loader; the parse options are the same safe ones
/// as ``Document``'s (no network, no DTD loading, no entity substitution), and
/// any DOCTYPE is refused, and so is `--` inside a comment (looked for in each chunk of the
/// file before libxml2 is given it, see `CommentCheck`; the next ``read()`` throws it).
/// libxml2's limits stay on: nesting deeper than 256 levels and text nodes over 10 MB are
/// errors. The first error libxml2 reports is thrown with its line and column.
///
/// Not `Sendable`: use it on one thread.
public final class XMLStreamReader {
    /// The kind of node the reader is on.
    public enum NodeKind: Sendable, Equatable {
        case element
        case endElement
        case text
        case other
    }

    let reader: OpaquePointer
    private let input: CheckedInput
    private let source: String
    private let recorder = FirstErrorRecorder()
    private let box: Unmanaged<FirstErrorRecorder>
    /// `xmlTextReaderNodeType` of the node ``read()`` moved to.
    private var nodeType: Int32 = 0
    /// The index that matched at the last ``namespaceIndex(in:)``: tried first next time.
    var lastNamespace = 0
    /// Copies made by ``name(_:)`` when libxml2's dictionary could not hold a name.
    var ownedNames: [UnsafeMutablePointer<UInt8>] = []

    /// Opens `path` for reading; `source` names it in errors.
    public init(path: String, source: String) throws(XMLError) {
        prepareLibXML()
        self.source = source
        let descriptor = try openForReading(path, source: source)
        let input = CheckedInput(descriptor: descriptor)
        // libxml2 reads through `input`, which checks each chunk for comments before handing it over.
        let reader = xmlReaderForIO(
            { context, buffer, length in
                guard let context, let buffer, length > 0 else { return 0 }
                return Unmanaged<CheckedInput>.fromOpaque(context).takeUnretainedValue().read(into: buffer, count: length)
            }, nil, Unmanaged.passUnretained(input).toOpaque(), source, nil, safeParserOptions)
        // The first bytes are read as the reader is made (to detect the encoding).
        if let error = input.failure(source: source) {
            if let reader { xmlFreeTextReader(reader) }
            try? descriptor.close()
            throw error
        }
        guard let reader else {
            try? descriptor.close()
            throw XMLError.cannotOpen(source: source, reason: "libxml2 could not create a reader")
        }
        self.input = input
        self.reader = reader
        box = Unmanaged.passRetained(recorder)
        xmlTextReaderSetStructuredErrorHandler(
            reader,
            { userData, error in
                guard let userData, let error else { return }
                Unmanaged<FirstErrorRecorder>.fromOpaque(userData).takeUnretainedValue().record(error.pointee)
            }, box.toOpaque())
    }

    deinit {
        for name in ownedNames { clibxml2_free(name) }
        xmlFreeTextReader(reader)
        try? input.descriptor.close()
        box.release()
    }

    /// Moves to the next node; false at the end of the document.
    public func read() throws(XMLError) -> Bool {
        let result = xmlTextReaderRead(reader)
        if input.hasFailed || recorder.hasError || result < 0 { try throwFailure() }
        nodeType = result == 1 ? xmlTextReaderNodeType(reader) : 0
        if nodeType == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue) {
            throw XMLError.doctypeNotAllowed(source: source, line: lineOfDoctype())
        }
        return result == 1
    }

    /// Why the last read failed (kept out of ``read()``, which runs for every node).
    @inline(never)
    private func throwFailure() throws(XMLError) {
        // A `--` in a comment (or a failed read) stops the input: that, not libxml2's error about the cut, is the error.
        if let error = input.failure(source: source) { throw error }
        if let error = recorder.error(source: source) {
            if recorder.isInsideEntity { throw XMLError.doctypeNotAllowed(source: source, line: lineOfDoctype()) }
            throw XMLError.withinText(error, FileBytes(descriptor: input.descriptor))
        }
        throw XMLError.withinText(
            .malformed(source: source, line: line, column: 0, message: "the document could not be read"),
            FileBytes(descriptor: input.descriptor))
    }

    /// The reader parses ahead of the node it is on: the DOCTYPE's line is found in the prolog.
    private func lineOfDoctype() -> Int {
        Document.lineOfDoctype(in: Array(FileBytes(descriptor: input.descriptor).prefix(1 << 16)))
    }

    public var kind: NodeKind {
        switch nodeType {
        case Int32(XML_READER_TYPE_ELEMENT.rawValue): .element
        case Int32(XML_READER_TYPE_END_ELEMENT.rawValue): .endElement
        case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue): .text
        default: .other
        }
    }

    /// The node's local name (without prefix).
    public var localName: String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    /// The node's namespace URI; nil when it has none. Match on this, never on the prefix.
    public var namespaceURI: String? {
        xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) }
    }

    /// Whether the element is written `<a/>` (no end-element node follows).
    public var isEmptyElement: Bool {
        xmlTextReaderIsEmptyElement(reader) == 1
    }

    /// The node's depth (the root element is 0).
    public var depth: Int {
        Int(xmlTextReaderDepth(reader))
    }

    /// The 1-based line of the current node (where libxml2 knows it), else the line the parser is on.
    public var line: Int {
        if let node = xmlTextReaderCurrentNode(reader) {
            let line = Int(xmlGetLineNo(node))
            if line > 0 { return line }
        }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    /// The text of a text node.
    public var value: String? {
        xmlTextReaderConstValue(reader).map { String(cString: $0) }
    }

    /// The current element's attributes in document order, namespace
    /// declarations (`xmlns`) excluded.
    public func attributes() -> [(localName: String, namespaceURI: String?, value: String)] {
        var result: [(String, String?, String)] = []
        guard xmlTextReaderHasAttributes(reader) == 1 else { return [] }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            guard xmlTextReaderIsNamespaceDecl(reader) != 1 else { continue }
            result.append((localName, namespaceURI, value ?? ""))
        }
        xmlTextReaderMoveToElement(reader)
        return result
    }

    /// The value of the attribute `localName` that has no namespace.
    public func attribute(_ localName: String) -> String? {
        guard let pointer = xmlTextReaderGetAttribute(reader, localName) else { return nil }
        defer { clibxml2_free(pointer) }
        return String(cString: pointer)
    }
}

/// The bytes of an open file read with `pread` (the descriptor's offset, which
/// libxml2's reader uses, does not move), in chunks: for error positions only.
struct FileBytes: Sequence {
    let descriptor: FileDescriptor

    func makeIterator() -> Iterator { Iterator(descriptor: descriptor) }

    struct Iterator: IteratorProtocol {
        let descriptor: FileDescriptor
        var offset: Int64 = 0
        var chunk: [UInt8] = []
        var index = 0

        init(descriptor: FileDescriptor) { self.descriptor = descriptor }

        mutating func next() -> UInt8? {
            if index == chunk.count {
                chunk = [UInt8](repeating: 0, count: 1 << 16)
                let start = offset
                let count = (try? chunk.withUnsafeMutableBytes { try descriptor.read(fromAbsoluteOffset: start, into: $0) }) ?? 0
                guard count > 0 else { return nil }
                chunk.removeSubrange(count...)
                offset += Int64(count)
                index = 0
            }
            defer { index += 1 }
            return chunk[index]
        }
    }
}
