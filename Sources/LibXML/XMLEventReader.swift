internal import CLibXML2
import SystemPackage

/// A forward-only reader over an XML file, as ``XMLStreamReader`` is, but over libxml2's SAX2
/// push parser: libxml2 parses a chunk of the file and calls back for each element, end of
/// element and run of text, which are kept as small records (names as libxml2's dictionary
/// pointers, attribute values and text as bytes) and handed out one at a time. No tree node is
/// made or freed per element, which is most of what `xmlTextReader` costs; memory holds one
/// chunk's events.
///
/// Safe as ``XMLStreamReader`` is: the same parse options (no network, no DTD loading, no
/// entity substitution, CDATA as text), any DOCTYPE refused, `--` inside a comment refused before
/// libxml2 sees the chunk (``CommentCheck``), the first error thrown with its line and column,
/// only after every node before it. The limits the tree builder keeps, which a SAX reader has to
/// keep itself, are kept here: nesting deeper than 256 levels, text nodes over 10 MB.
///
/// What it reports differently from ``XMLStreamReader``: whitespace-only text is not reported
/// (the text reader reports it as a node of another kind), nor are comments and processing
/// instructions, so an element holding only those, or written `<a></a>`, is empty
/// (``isEmptyElement``, no end-element node), as `<a/>` is; and ``line`` is the real line past 65,535, where a tree node stores 65,535.
///
/// Not `Sendable`: use it on one thread. (Its state is mutated from libxml2's callbacks, where
/// Swift cannot prove accesses exclusive; the dynamic checks cost more than the parse, so they
/// are off for those properties: no access to them overlaps another.)
public final class XMLEventReader: XMLNameMatching {
    /// One element, end of element or run of text.
    private struct Event {
        var kind: XMLStreamReader.NodeKind
        var isEmpty = false
        var line: Int
        var name: UnsafePointer<UInt8>?
        var namespace: UnsafePointer<UInt8>?
        /// Where its bytes (a text's, or its attributes' values) start in ``bytes``.
        var byteStart: Int
        /// An element's first attribute in ``attributeList``; a text's byte count.
        var first: Int
        var count: Int
    }

    private struct Attribute {
        var name: UnsafePointer<UInt8>
        var namespace: UnsafePointer<UInt8>?
        var start: Int
        var count: Int
    }

    /// The deepest nesting and the longest text node libxml2's tree builder accepts without
    /// `XML_PARSE_HUGE`, kept here because no tree is built.
    static let maximumDepth = 256
    static let maximumTextBytes = 10_000_000

    private let context: xmlParserCtxtPtr
    private let input: CheckedInput
    private let source: String
    private let recorder = FirstErrorRecorder()
    private let chunk: UnsafeMutablePointer<CChar>
    private let chunkSize: Int

    @exclusivity(unchecked) private var events: [Event] = []
    @exclusivity(unchecked) private var attributeList: [Attribute] = []
    @exclusivity(unchecked) private var bytes: [UInt8] = []
    /// The next event handed out, the one handed out last, and the end of those that may be:
    /// the last start of element (it may still turn out empty) and the last text (it may still
    /// grow, or be only whitespace) wait for the next chunk.
    @exclusivity(unchecked) private var cursor = 0
    @exclusivity(unchecked) private var current = -1
    @exclusivity(unchecked) private var available = 0
    /// The last start of element with nothing but (so far blank) text after it.
    @exclusivity(unchecked) private var openStart: Int?
    @exclusivity(unchecked) private var lastTextIsBlank = false
    /// Set by a comment or processing instruction: the next text is a text of its own.
    @exclusivity(unchecked) private var textRunEnded = false
    /// Each open element's line, for its end.
    @exclusivity(unchecked) private var lines: [Int] = []
    @exclusivity(unchecked) private var finished = false
    /// Set at the first failure: the events before it are handed out, then the failure thrown.
    @exclusivity(unchecked) private var failureIndex: Int?
    private var ownFailure: XMLError?
    /// The last namespace URI seen and its copy in the dictionary.
    @exclusivity(unchecked) private var lastNamespace: (seen: UnsafePointer<UInt8>, interned: UnsafePointer<UInt8>?)?
    /// The namespace in ``nextElement(in:namespaces:text:)``'s list that matched last: tried first.
    @exclusivity(unchecked) private var lastMatchedNamespace = 0
    private var ownedNames: [UnsafeMutablePointer<UInt8>] = []

    /// Opens `path` for reading; `source` names it in errors. `chunkSize` is how many bytes
    /// libxml2 is given at a time.
    public init(path: String, source: String, chunkSize: Int = 1 << 16) throws(XMLError) {
        prepareLibXML()
        self.source = source
        let descriptor = try openForReading(path, source: source)
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, name, _, namespace, _, _, attributeCount, _, attributes in
            guard let context, let name else { return }
            Unmanaged<XMLEventReader>.fromOpaque(context).takeUnretainedValue()
                .startElement(name, namespace, attributes, count: Int(attributeCount))
        }
        handler.endElementNs = { context, name, _, namespace in
            guard let context else { return }
            Unmanaged<XMLEventReader>.fromOpaque(context).takeUnretainedValue().endElement(name, namespace)
        }
        handler.characters = { context, text, length in
            guard let context, let text, length > 0 else { return }
            Unmanaged<XMLEventReader>.fromOpaque(context).takeUnretainedValue().characters(text, count: Int(length))
        }
        // A comment or processing instruction ends a run of text, as it ends a text node.
        handler.comment = { context, _ in
            guard let context else { return }
            Unmanaged<XMLEventReader>.fromOpaque(context).takeUnretainedValue().endTextRun()
        }
        handler.processingInstruction = { context, _, _ in
            guard let context else { return }
            Unmanaged<XMLEventReader>.fromOpaque(context).takeUnretainedValue().endTextRun()
        }
        handler.internalSubset = { context, _, _, _ in
            guard let context else { return }
            Unmanaged<XMLEventReader>.fromOpaque(context).takeUnretainedValue().refuseDoctype()
        }
        handler.serror = { context, error in
            guard let context, let error else { return }
            Unmanaged<XMLEventReader>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
        }
        guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, source) else {
            try? descriptor.close()
            throw XMLError.cannotOpen(source: source, reason: "libxml2 could not create a parser")
        }
        xmlCtxtUseOptions(context, safeParserOptions)
        self.context = context
        input = CheckedInput(descriptor: descriptor)
        self.chunkSize = max(chunkSize, 1)
        chunk = .allocate(capacity: self.chunkSize)
        context.pointee.userData = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        for name in ownedNames { clibxml2_free(name) }
        // libxml2 makes a document of its own for entity declarations in a DTD (read before the
        // refusal took effect); the context does not free it.
        if let document = context.pointee.myDoc { xmlFreeDoc(document) }
        xmlFreeParserCtxt(context)
        chunk.deallocate()
        try? input.descriptor.close()
    }

    // MARK: Reading

    /// Moves to the next element, end of element or text; false at the end of the document.
    public func read() throws(XMLError) -> Bool {
        while cursor == available {
            guard try parseMore() else { return false }
        }
        current = cursor
        cursor += 1
        return true
    }

    /// Gives libxml2 the next chunk (or tells it the file has ended); false at the end of the
    /// document. Throws the failure once every event before it has been handed out.
    private func parseMore() throws(XMLError) -> Bool {
        if failureIndex != nil { try throwFailure() }
        if finished { return false }
        dropHandedOut()
        let (count, failed) = input.readChecked(into: chunk, count: Int32(chunkSize))
        if count > 0 { check(xmlParseChunk(context, chunk, count, 0)) }
        if failed {
            // A `--` in a comment (or a failed read): libxml2 had the bytes before it.
            stopTakingEvents()
        } else if count == 0 {
            check(xmlParseChunk(context, nil, 0, 1))
            finished = true
            closeText()
        }
        updateAvailable()
        return true
    }

    /// Any result but 0 stops the reader. Most failures were reported to ``record(_:)`` first;
    /// a failure to convert the bytes from the document's encoding is not (libxml2 raises it
    /// without the parser), and stops libxml2 all the same: it must not pass for the end.
    private func check(_ result: Int32) {
        guard result != 0, failureIndex == nil else { return }
        let (line, column) = position
        fail(
            .malformed(
                source: source, line: line, column: column,
                message: "libxml2 stopped reading here: the bytes are not in the document's encoding, or cannot be read"),
            at: nil)
    }

    private func updateAvailable() {
        if let failureIndex {
            available = failureIndex
            return
        }
        var end = events.count
        if !finished {
            if events.last?.kind == .text { end -= 1 }
            if let openStart, openStart == events.count - 1 || (openStart == events.count - 2 && lastTextIsBlank) { end = openStart }
        }
        available = end
    }

    /// Forgets the events handed out, with their attributes and bytes: the ones still waiting move to the front.
    private func dropHandedOut() {
        guard cursor > 0 else { return }
        defer {
            cursor = 0
            current = -1
        }
        guard cursor < events.count else {
            events.removeAll(keepingCapacity: true)
            attributeList.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            return
        }
        let byteShift = events[cursor].byteStart
        let attributeShift = events[cursor].kind == .element ? events[cursor].first : attributeList.count
        events.removeSubrange(..<cursor)
        attributeList.removeSubrange(..<attributeShift)
        bytes.removeSubrange(..<byteShift)
        for index in events.indices {
            events[index].byteStart -= byteShift
            if events[index].kind == .element { events[index].first -= attributeShift }
        }
        for index in attributeList.indices { attributeList[index].start -= byteShift }
        openStart = openStart.map { $0 - cursor }
    }

    @inline(never)
    private func throwFailure() throws(XMLError) {
        // libxml2 is given only the bytes before a `--` in a comment: an error it (or a limit) met is earlier.
        if let error = ownFailure ?? recorder.error(source: source) { throw XMLError.withinText(error, FileBytes(descriptor: input.descriptor)) }
        if let error = input.failure(source: source) { throw error }
        throw XMLError.withinText(
            .malformed(source: source, line: position.line, column: 0, message: "the document could not be read"),
            FileBytes(descriptor: input.descriptor))
    }

    // MARK: libxml2's callbacks

    private var position: (line: Int, column: Int) {
        guard let input = context.pointee.input else { return (0, 0) }
        return (Int(input.pointee.line), Int(input.pointee.col))
    }

    /// Stops taking events at the first failure, `index` or else after the events taken (libxml2
    /// stops at a fatal error; after one of ours the rest of the chunk is not looked at, and no
    /// further chunk is given).
    private func fail(_ error: XMLError, at index: Int?) {
        guard failureIndex == nil, !recorder.hasError else { return }
        ownFailure = error
        if let index { failureIndex = index } else { stopTakingEvents() }
    }

    private func record(_ error: xmlError) {
        recorder.record(error)
        if recorder.hasError { stopTakingEvents() }
    }

    /// At a failure met between events: those taken so far are handed out (but for whitespace).
    private func stopTakingEvents() {
        guard failureIndex == nil else { return }
        closeText()
        failureIndex = events.count
    }

    private func refuseDoctype() {
        let line = Document.lineOfDoctype(in: Array(FileBytes(descriptor: input.descriptor).prefix(1 << 16)))
        fail(.doctypeNotAllowed(source: source, line: line), at: nil)
        // Nothing in the DTD is used, but libxml2 would parse it (and keep its entities in a document of its own).
        xmlStopParser(context)
    }

    private func endTextRun() {
        guard failureIndex == nil else { return }
        closeText()
        textRunEnded = true
    }

    /// Drops the last event if it is text of whitespace only.
    @inline(__always)
    private func closeText() {
        guard lastTextIsBlank, let last = events.last, last.kind == .text else { return }
        events.removeLast()
        bytes.removeSubrange(last.byteStart...)
        lastTextIsBlank = false
    }

    private func startElement(
        _ name: UnsafePointer<UInt8>, _ namespace: UnsafePointer<UInt8>?,
        _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int
    ) {
        guard failureIndex == nil else { return }
        closeText()
        let (line, column) = position
        guard lines.count <= Self.maximumDepth else {
            let message = readableLibXMLMessage("Excessive depth in document: \(Self.maximumDepth) use XML_PARSE_HUGE option")
            fail(.malformed(source: source, line: line, column: column, message: message), at: nil)
            return xmlStopParser(context)
        }
        lines.append(line)
        var event = Event(
            kind: .element, line: line, name: name, namespace: interned(namespace), byteStart: bytes.count,
            first: attributeList.count, count: count)
        if let attributes {
            // Five pointers an attribute: local name, prefix, URI, value and the value's end.
            for index in 0..<count {
                let base = attributes + 5 * index
                guard let attributeName = base[0], let value = base[3], let end = base[4] else {
                    event.count -= 1
                    continue
                }
                let start = bytes.count
                appendAttributeValue(UnsafeBufferPointer(start: value, count: value.distance(to: end)))
                attributeList.append(Attribute(name: attributeName, namespace: interned(base[2]), start: start, count: bytes.count - start))
            }
        }
        openStart = events.count
        events.append(event)
    }

    /// An attribute's value as libxml2 gives it to SAX2: decoded, but for `&`, which it leaves
    /// as `&#38;` (the only `&` the value can hold) for a tree builder to decode.
    @inline(__always)
    private func appendAttributeValue(_ value: UnsafeBufferPointer<UInt8>) {
        guard let ampersand = value.firstIndex(of: UInt8(ascii: "&")) else { return bytes.append(contentsOf: value) }
        bytes.append(contentsOf: value[..<ampersand])
        var index = ampersand
        while index < value.count {
            if value[index] == UInt8(ascii: "&"), value[index...].starts(with: Self.escapedAmpersand) {
                bytes.append(UInt8(ascii: "&"))
                index += Self.escapedAmpersand.count
            } else {
                bytes.append(value[index])
                index += 1
            }
        }
    }

    private static let escapedAmpersand = Array("&#38;".utf8)

    private func endElement(_ name: UnsafePointer<UInt8>?, _ namespace: UnsafePointer<UInt8>?) {
        guard failureIndex == nil else { return }
        closeText()
        let line = lines.popLast() ?? position.line
        if let openStart, openStart == events.count - 1 {
            events[openStart].isEmpty = true
            self.openStart = nil
            return
        }
        openStart = nil
        events.append(
            Event(kind: .endElement, line: line, name: name, namespace: interned(namespace), byteStart: bytes.count, first: 0, count: 0))
    }

    private func characters(_ text: UnsafePointer<UInt8>, count: Int) {
        guard failureIndex == nil else { return }
        let piece = UnsafeBufferPointer(start: text, count: count)
        let blank = piece.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
        if let last = events.last, last.kind == .text, !textRunEnded {
            guard last.count + count <= Self.maximumTextBytes else {
                let (line, column) = position
                let message =
                    "a text node longer than \(Self.maximumTextBytes) bytes: beyond libxml2's size limit, which this tool keeps against hostile files"
                return fail(.malformed(source: source, line: line, column: column, message: message), at: events.count - 1)
            }
            events[events.count - 1].count += count
            lastTextIsBlank = lastTextIsBlank && blank
        } else {
            events.append(Event(kind: .text, line: position.line, name: nil, namespace: nil, byteStart: bytes.count, first: 0, count: count))
            lastTextIsBlank = blank
            textRunEnded = false
        }
        bytes.append(contentsOf: piece)
    }

    /// A namespace URI as the dictionary's copy, which lives as long as the parser (the
    /// parser's own may not outlive the element, and events are handed out later).
    @inline(__always)
    private func interned(_ uri: UnsafePointer<UInt8>?) -> UnsafePointer<UInt8>? {
        guard let uri else { return nil }
        if let lastNamespace, lastNamespace.seen == uri { return lastNamespace.interned }
        let owned = xmlDictOwns(context.pointee.dict, uri) == 1
        let interned = owned ? uri : xmlDictLookup(context.pointee.dict, uri, -1).map { UnsafePointer($0) }
        // Only a dictionary's address is sure to hold the same text next time.
        if owned { lastNamespace = (uri, interned) }
        return interned
    }

    // MARK: The node handed out

    private var event: Event { events[current] }

    public var kind: XMLStreamReader.NodeKind { event.kind }

    /// The element's local name (without prefix); "" for text.
    public var localName: String { event.name.map { String(cString: $0) } ?? "" }

    /// The element's namespace URI; nil when it has none. Match on this, never on the prefix.
    public var namespaceURI: String? { event.namespace.map { String(cString: $0) } }

    /// Whether the element has no content (written `<a/>`, `<a></a>` or with whitespace only):
    /// no end-element node follows.
    public var isEmptyElement: Bool { event.isEmpty }

    /// The 1-based line where the element's start tag ends (for its end, the same line), as
    /// libxml2 counts it.
    public var line: Int { event.line }

    /// The text of a text node.
    public var value: String? {
        let event = event
        guard event.kind == .text else { return nil }
        return String(decoding: bytes[event.byteStart..<event.byteStart + event.count], as: UTF8.self)
    }

    private var currentAttributes: ArraySlice<Attribute> {
        let event = event
        guard event.kind == .element else { return [] }
        return attributeList[event.first..<event.first + event.count]
    }

    /// The element's attributes in document order (namespace declarations are not attributes here).
    public func attributes() -> [(localName: String, namespaceURI: String?, value: String)] {
        currentAttributes.map {
            (
                String(cString: $0.name), $0.namespace.map { String(cString: $0) },
                String(decoding: bytes[$0.start..<$0.start + $0.count], as: UTF8.self)
            )
        }
    }

    /// The value of the attribute `localName` that has no namespace.
    public func attribute(_ localName: String) -> String? {
        attributes().first { $0.namespaceURI == nil && $0.localName == localName }?.value
    }

    /// Calls `body` with the bytes of the element's attribute `name` that has no namespace, or
    /// nil when there is none (valid only inside `body`).
    public func withAttribute(_ name: XMLName, _ body: (UnsafeBufferPointer<UInt8>?) -> Void) {
        withAttributes(name, name) { first, _ in body(first) }
    }

    /// The same for two attributes, found in one pass over the element's attributes.
    public func withAttributes(
        _ first: XMLName, _ second: XMLName, _ body: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) -> Void
    ) {
        var firstRange: Range<Int>?
        var secondRange: Range<Int>?
        for attribute in currentAttributes where attribute.namespace == nil {
            if firstRange == nil, first.matches(attribute.name) {
                firstRange = attribute.start..<attribute.start + attribute.count
            } else if secondRange == nil, second.matches(attribute.name) {
                secondRange = attribute.start..<attribute.start + attribute.count
            }
            if firstRange != nil, secondRange != nil { break }
        }
        bytes.withUnsafeBufferPointer { all in
            body(firstRange.map { UnsafeBufferPointer(rebasing: all[$0]) }, secondRange.map { UnsafeBufferPointer(rebasing: all[$0]) })
        }
    }

    // MARK: Matching names

    /// `string` as an ``XMLName`` for this reader.
    public func name(_ string: String) -> XMLName {
        XMLName(xmlDictLookup(context.pointee.dict, string, -1), string, owned: &ownedNames)
    }

    /// Moves to the next element or end of element (and, when `text` is true, text), and says
    /// which of `names` and `namespaces` it has; nil at the end of the document.
    @inline(__always)
    public func nextElement(in names: XMLNameTable, namespaces: [XMLName], text: Bool) throws(XMLError) -> XMLElementMatch? {
        precondition(namespaces.count <= Int(Int8.max), "at most 127 namespaces")
        while try read() {
            let event = events[current]
            switch event.kind {
            case .element, .endElement:
                return XMLElementMatch(
                    kind: event.kind, name: event.name, namespace: event.namespace, names: names, namespaces: namespaces,
                    lastNamespace: &lastMatchedNamespace, dictionary: context.pointee.dict, reader: self)
            case .text where text: return XMLElementMatch(kind: .text, name: nil, namespace: nil, hasNamespace: false)
            default: continue
            }
        }
        return nil
    }
}
