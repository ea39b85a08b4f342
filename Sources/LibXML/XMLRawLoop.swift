internal import CLibXML2

extension XMLStreamReader {
    /// Reads `path` with a bare `xmlTextReaderRead` loop (the same parse options, nothing
    /// asked of any node) and returns the nodes read: the parser's own speed, which a
    /// benchmark compares extractors with.
    public static func rawNodeCount(path: String) throws(XMLError) -> Int {
        prepareLibXML()
        guard let reader = xmlReaderForFile(path, nil, safeParserOptions) else {
            throw XMLError.cannotOpen(source: path, reason: "libxml2 could not create a reader")
        }
        defer { xmlFreeTextReader(reader) }
        var count = 0
        while true {
            let result = xmlTextReaderRead(reader)
            guard result == 1 else {
                if result < 0 { throw XMLError.cannotOpen(source: path, reason: "the document could not be read") }
                return count
            }
            count += 1
        }
    }
}
