internal import CLibXML2
import SystemPackage

extension XMLStreamReader {
    /// Reads `path` with a bare `xmlTextReaderRead` loop (the same parse options, from a file
    /// descriptor as libxml2 reads one), asking of each node only what any reader must: its
    /// type, and an element's (or element end's) local name. Returns the nodes read: the parser's own speed, which a
    /// benchmark compares extractors with.
    public static func rawNodeCount(path: String) throws(XMLError) -> Int {
        prepareLibXML()
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
        } catch {
            throw XMLError.cannotOpen(source: path, reason: "\(error)")
        }
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
