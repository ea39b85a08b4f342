internal import CLibXML2

/// Writes one XML document into memory with libxml2's `xmlTextWriter`, which
/// escapes `<`, `>`, `&` and quotes in text and attribute values.
///
/// Text is passed through ``XMLText/sanitized(_:)`` first: libxml2's writer
/// lets C0 control characters through, and a document containing them is not
/// well-formed.
public struct XMLWriter: ~Copyable {
    private let writer: xmlTextWriterPtr

    private init(writer: xmlTextWriterPtr) {
        self.writer = writer
    }

    /// Runs `body` between the XML declaration and the end of the document and
    /// returns the UTF-8 bytes.
    public static func document(
        indent: Bool = true,
        _ body: (inout XMLWriter) throws(XMLError) -> Void
    ) throws(XMLError) -> [UInt8] {
        prepareLibXML()
        guard let buffer = xmlBufferCreate() else { throw XMLError.writeFailed(step: "allocating a buffer") }
        defer { xmlBufferFree(buffer) }
        guard let raw = xmlNewTextWriterMemory(buffer, 0) else {
            throw XMLError.writeFailed(step: "creating the writer")
        }
        var writer = XMLWriter(writer: raw)
        do {
            try check(xmlTextWriterSetIndent(raw, indent ? 1 : 0), "setting indentation")
            try check(xmlTextWriterSetIndentString(raw, "  "), "setting the indentation string")
            try check(xmlTextWriterStartDocument(raw, "1.0", "UTF-8", nil), "starting the document")
            try body(&writer)
            try check(xmlTextWriterEndDocument(raw), "ending the document")
        } catch {
            xmlFreeTextWriter(raw)
            throw error
        }
        xmlFreeTextWriter(raw)  // flushes into `buffer`; does not free it
        let count = Int(xmlBufferLength(buffer))
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }

    /// Writes `<name attributes…>` … `</name>` around `body`. Names may carry a
    /// prefix (`atom:link`) whose namespace an ancestor declares.
    public mutating func element(
        _ name: String,
        attributes: KeyValuePairs<String, String> = [:],
        _ body: (inout XMLWriter) throws(XMLError) -> Void = { _ in }
    ) throws(XMLError) {
        try Self.check(xmlTextWriterStartElement(writer, name), "starting <\(name)>")
        for (key, value) in attributes {
            try Self.check(
                xmlTextWriterWriteAttribute(writer, key, XMLText.sanitized(value)), "writing @\(key) on <\(name)>")
        }
        try body(&self)
        try Self.check(xmlTextWriterEndElement(writer), "ending <\(name)>")
    }

    /// Writes `<name>text</name>`, escaping `text`.
    public mutating func element(_ name: String, text: String) throws(XMLError) {
        try Self.check(xmlTextWriterWriteElement(writer, name, XMLText.sanitized(text)), "writing <\(name)>")
    }

    /// Writes escaped text inside the current element.
    public mutating func text(_ text: String) throws(XMLError) {
        try Self.check(xmlTextWriterWriteString(writer, XMLText.sanitized(text)), "writing text")
    }

    private static func check(_ status: Int32, _ step: @autoclosure () -> String) throws(XMLError) {
        if status < 0 { throw XMLError.writeFailed(step: step()) }
    }
}

/// Text cleaning for XML 1.0 output.
public enum XMLText {
    /// `text` without the characters XML 1.0 forbids: C0 controls other than
    /// tab, LF and CR, and the non-characters U+FFFE and U+FFFF.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter { !isForbidden($0) })
        return String(scalars)
    }

    /// Whether XML 1.0 forbids `scalar` in a document.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F: true
        case 0xFFFE, 0xFFFF: true
        default: false
        }
    }
}
