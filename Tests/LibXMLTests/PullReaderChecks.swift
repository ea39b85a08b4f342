import LibXML
import Testing

/// What ``XMLStreamReader`` and ``XMLEventReader`` have in common: checks written once for both.
protocol PullReader: AnyObject {
    func read() throws(XMLError) -> Bool
    var kind: XMLStreamReader.NodeKind { get }
    var localName: String { get }
    var namespaceURI: String? { get }
    var isEmptyElement: Bool { get }
    var line: Int { get }
    var value: String? { get }
    func attributes() -> [(localName: String, namespaceURI: String?, value: String)]
    func attribute(_ localName: String) -> String?
    func name(_ string: String) -> XMLName
    func nameTable(_ names: [String]) -> XMLNameTable
    func nextElement(in names: XMLNameTable, namespaces: [XMLName], text: Bool) throws(XMLError) -> XMLElementMatch?
    func withAttribute(_ name: XMLName, _ body: (UnsafeBufferPointer<UInt8>?) -> Void)
    func withAttributes(_ first: XMLName, _ second: XMLName, _ body: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) -> Void)
}

extension XMLStreamReader: PullReader {}
extension XMLEventReader: PullReader {}

enum PullReaderChecks {
    /// Every element (name, namespace, attributes, emptiness, line), end and text `reader` gives.
    static func trace(_ reader: some PullReader, into seen: inout [String]) throws {
        while try reader.read() {
            switch reader.kind {
            case .element:
                let attributes = reader.attributes().map { "\($0.namespaceURI ?? "-")|\($0.localName)=\($0.value)" }
                seen.append("<\(reader.namespaceURI ?? "-")|\(reader.localName) \(attributes) empty=\(reader.isEmptyElement) line=\(reader.line)")
            case .endElement: seen.append("</\(reader.namespaceURI ?? "-")|\(reader.localName) line=\(reader.line)")
            case .text: seen.append("text \(reader.value ?? "")")
            case .other: continue
            }
        }
    }

    /// A document for ``matchingWalk(_:)``: prefixes do not matter, a name or URI not in the
    /// lists is told apart, an attribute in a namespace is not the unqualified one.
    static let matchingDocument = """
        <?xml version="1.0"?>
        <m:doc xmlns:m="urn:test:m" xmlns:g="urn:test:g" xmlns:h="urn:test:g" xmlns:x="urn:other">
          <g:Value id="A" value="1 &amp; 2"/>
          <h:Value value="" id="B" h:id="no"/>
          <x:Value x:id="C" value="3"/>
          <Value id="D">text<![CDATA[ cdata ]]></Value>
          <g:Other/><g:Value value="4"/>
        </m:doc>
        """

    /// What ``matchingWalk(_:)`` sees in ``matchingDocument``.
    static let matchingWalkSeen = [
        "doc 1 0 - -", "Value 0 1 A 1 & 2", "Value 0 1 B ", "Value 0 -1 - 3", "Value 0 -1 D -",
        // The CDATA section is text (XML_PARSE_NOCDATA), merged with the text before it.
        "text text cdata ", "end 0 -1", "Other -1 1 - -", "Value 0 1 - 4", "end 1 0",
    ]

    /// Walks `reader` over ``matchingDocument`` with the matching API (names and URIs compared
    /// without a `String` per node), checking node for node that it says what the `String` API says.
    static func matchingWalk(_ reader: some PullReader) throws -> [String] {
        let names = reader.nameTable(["Value", "doc"])
        let uris = ["urn:test:m", "urn:test:g"].map { reader.name($0) }
        let (id, value) = (reader.name("id"), reader.name("value"))
        func text(_ bytes: UnsafeBufferPointer<UInt8>?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
        var seen: [String] = []
        while let node = try reader.nextElement(in: names, namespaces: uris, text: true) {
            #expect(node.kind == reader.kind)
            guard node.kind == .element else {
                if node.kind == .text { seen.append("text \(reader.value ?? "")") }
                if node.kind == .endElement { seen.append("end \(node.name ?? -1) \(node.namespace ?? -1)") }
                continue
            }
            #expect(node.name == ["Value", "doc"].firstIndex(of: reader.localName))
            #expect(node.namespace == reader.namespaceURI.flatMap { ["urn:test:m", "urn:test:g"].firstIndex(of: $0) })
            #expect(node.hasNamespace == (reader.namespaceURI != nil))
            var one: (String?, String?) = (nil, nil)
            var both: (String?, String?) = ("unset", "unset")
            reader.withAttribute(id) { one.0 = text($0) }
            reader.withAttribute(value) { one.1 = text($0) }
            reader.withAttributes(id, value) { both = (text($0), text($1)) }
            #expect(one.0 == reader.attribute("id") && one.1 == reader.attribute("value"))
            #expect(both.0 == one.0 && both.1 == one.1)
            seen.append("\(reader.localName) \(node.name ?? -1) \(node.namespace ?? -1) \(one.0 ?? "-") \(one.1 ?? "-")")
        }
        return seen
    }
}
