internal import CLibXML2
import SystemPackage

extension XMLStreamReader {
    /// Reads `path` with a bare `xmlTextReaderRead` loop (the same parse options, from a file
    /// descriptor as libxml2 reads one), asking of each node only what any reader must: its
    /// type, and an element's (or element end's) local name. Returns the nodes read: the parser's own speed, which a
    /// benchmark compares extractors with.
    public static func rawNodeCount(path: String) throws(XMLError) -> Int {
        prepareLibXML()
        let descriptor = try openForReading(path, source: path)
        defer { try? descriptor.close() }
        guard let reader = xmlReaderForFd(descriptor.rawValue, path, nil, safeParserOptions) else {
            throw XMLError.cannotOpen(source: path, reason: "libxml2 could not create a reader")
        }
        defer { xmlFreeTextReader(reader) }
        var count = 0
        var elements = 0
        while true {
            let result = xmlTextReaderRead(reader)
            guard result == 1 else {
                if result < 0 { throw XMLError.cannotOpen(source: path, reason: "the document could not be read") }
                // The element nodes are counted so that the name calls are used.
                precondition(elements <= count)
                return count
            }
            count += 1
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_ELEMENT.rawValue) || type == Int32(XML_READER_TYPE_END_ELEMENT.rawValue),
                xmlTextReaderConstLocalName(reader) != nil
            {
                elements += 1
            }
        }
    }
}

extension XMLEventReader {
    /// Reads `path` with libxml2's SAX2 push parser and callbacks that only count elements and
    /// ends (the same parse options and chunk size as ``XMLEventReader``): the SAX parser's own
    /// speed, below which no SAX reader can go. Returns the elements and ends read.
    public static func rawEventCount(path: String) throws(XMLError) -> Int {
        prepareLibXML()
        let descriptor = try openForReading(path, source: path)
        defer { try? descriptor.close() }
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, _, _, _, _, _, _, _, _ in context?.assumingMemoryBound(to: Int.self).pointee += 1 }
        handler.endElementNs = { context, _, _, _ in context?.assumingMemoryBound(to: Int.self).pointee += 1 }
        handler.characters = { _, _, _ in }
        let count = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        count.initialize(to: 0)
        defer { count.deallocate() }
        guard let context = xmlCreatePushParserCtxt(&handler, count, nil, 0, path) else {
            throw XMLError.cannotOpen(source: path, reason: "libxml2 could not create a parser")
        }
        defer { xmlFreeParserCtxt(context) }
        xmlCtxtUseOptions(context, safeParserOptions)
        let size = 1 << 16
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let read = (try? descriptor.read(into: chunk)) ?? -1
            guard read >= 0 else { throw XMLError.cannotOpen(source: path, reason: "the file could not be read") }
            let result =
                read == 0
                ? xmlParseChunk(context, nil, 0, 1)
                : xmlParseChunk(context, chunk.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(read), 0)
            if result != 0 { throw XMLError.cannotOpen(source: path, reason: "the document could not be read") }
            if read == 0 { return count.pointee }
        }
    }
}
