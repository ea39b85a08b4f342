internal import CLibXML2

/// A node of a ``Document``. Keeps its document alive; not `Sendable`.
public struct Node {
    let pointer: xmlNodePtr
    let document: Document

    init(pointer: xmlNodePtr, document: Document) {
        self.pointer = pointer
        self.document = document
    }

    /// The local name (without prefix) of an element or attribute.
    public var name: String {
        pointer.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// The namespace URI of an element or attribute, if it has one.
    public var namespaceURI: String? {
        pointer.pointee.ns?.pointee.href.map { String(cString: $0) }
    }

    /// The line of the node in its source (1-based; 0 when libxml2 does not know it).
    public var line: Int {
        Int(xmlGetLineNo(pointer))
    }

    /// The text content of the node and its descendants.
    ///
    /// `xmlNodeGetContent` returns a copy that the caller must free; it is freed here.
    public var content: String {
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { clibxml2_free(content) }
        return String(cString: content)
    }

    /// The value of the attribute `name` without a namespace, or nil when absent.
    public func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(pointer, name) else { return nil }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }

    /// The names of the element's attributes (with their prefix, if any), in document order.
    public var attributeNames: [String] {
        var result: [String] = []
        var attribute = pointer.pointee.properties
        while let current = attribute {
            let name = current.pointee.name.map { String(cString: $0) } ?? ""
            let prefix = current.pointee.ns?.pointee.prefix.map { String(cString: $0) }
            result.append(prefix.map { "\($0):\(name)" } ?? name)
            attribute = current.pointee.next
        }
        return result
    }

    /// The element children of this node, in document order.
    public var children: [Node] {
        var result: [Node] = []
        var child = pointer.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                result.append(Node(pointer: current, document: document))
            }
            child = current.pointee.next
        }
        return result
    }
}
