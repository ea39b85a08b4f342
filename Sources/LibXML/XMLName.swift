internal import CLibXML2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A name (or namespace URI) an ``XMLStreamReader`` matches nodes against without making a
/// `String` per node. Made by ``XMLStreamReader/name(_:)``, which looks it up in the reader's
/// dictionary, where libxml2 keeps element and attribute names: a node's name usually matches by
/// pointer, and its bytes are compared when the pointers differ. Valid while its reader lives.
public struct XMLName {
    /// The reader's NUL-terminated copy of the name.
    let pointer: UnsafePointer<UInt8>

    init(pointer: UnsafePointer<UInt8>) {
        self.pointer = pointer
    }

    /// The dictionary's copy of `string`, `interned`; when the dictionary could not hold it (out
    /// of memory), a copy of the reader's own, added to `owned` (which the reader frees).
    init(_ interned: UnsafePointer<UInt8>?, _ string: String, owned: inout [UnsafeMutablePointer<UInt8>]) {
        if let interned {
            pointer = interned
        } else {
            let copy = xmlStrdup(string)!
            owned.append(copy)
            pointer = UnsafePointer(copy)
        }
    }

    @inline(__always)
    func matches(_ name: UnsafePointer<UInt8>) -> Bool {
        name == pointer
            || strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)) == 0
    }
}

/// A reader whose nodes are matched against ``XMLName``s (``XMLStreamReader``, ``XMLEventReader``).
public protocol XMLNameMatching: AnyObject {
    /// `string` as an ``XMLName`` for this reader.
    func name(_ string: String) -> XMLName
}

extension XMLNameMatching {
    /// A table of element names, for the reader's `nextElement(in:namespaces:text:)`.
    public func nameTable(_ names: [String]) -> XMLNameTable {
        XMLNameTable(names.map { self.name($0) }, owner: self)
    }
}

extension XMLStreamReader: XMLNameMatching {
    /// `string` as an ``XMLName`` for this reader.
    public func name(_ string: String) -> XMLName {
        XMLName(xmlTextReaderConstString(reader, string), string, owned: &ownedNames)
    }

    /// Moves to the next element or end of element (and, when `text` is true, text node),
    /// past any other node, and says which of `names` and `namespaces` it has; nil at the end
    /// of the document. The reader is then on that node, as after ``read()``.
    @inline(__always)
    public func nextElement(in names: XMLNameTable, namespaces: [XMLName], text: Bool) throws(XMLError) -> XMLElementMatch? {
        precondition(namespaces.count <= Int(Int8.max), "at most 127 namespaces")
        while try read() {
            switch kind {
            case .element: return match(.element, names, namespaces)
            case .endElement: return match(.endElement, names, namespaces)
            case .text where text: return XMLElementMatch(kind: .text, name: nil, namespace: nil, hasNamespace: false)
            default: continue
            }
        }
        return nil
    }

    @inline(__always)
    private func match(_ kind: NodeKind, _ names: XMLNameTable, _ namespaces: [XMLName]) -> XMLElementMatch {
        guard let node = elementNode, let name = node.pointee.name else {
            return XMLElementMatch(kind: kind, name: nil, namespace: nil, hasNamespace: false)
        }
        return XMLElementMatch(
            kind: kind, name: name, namespace: node.pointee.ns?.pointee.href, names: names, namespaces: namespaces,
            lastNamespace: &lastNamespace, dictionary: node.pointee.doc?.pointee.dict, reader: self)
    }

    /// Calls `body` with the bytes (UTF-8, valid only inside `body`) of the element's attribute
    /// `name` that has no namespace, or nil when there is none: the value ``attribute(_:)``
    /// gives, without a copy. (Not generic, so that a caller in another module calls no
    /// generic code per element.)
    public func withAttribute(_ name: XMLName, _ body: (UnsafeBufferPointer<UInt8>?) -> Void) {
        var property = elementNode?.pointee.properties
        while let attribute = property {
            if attribute.pointee.ns == nil, let attributeName = attribute.pointee.name, name.matches(attributeName) {
                let value = Self.value(of: attribute)
                defer { value.owned.map { clibxml2_free($0) } }
                return body(value.bytes)
            }
            property = attribute.pointee.next
        }
        body(nil)
    }

    /// The same for two attributes, found in one pass over the element's attributes.
    public func withAttributes(
        _ first: XMLName, _ second: XMLName, _ body: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) -> Void
    ) {
        var firstValue: (bytes: UnsafeBufferPointer<UInt8>, owned: UnsafeMutablePointer<UInt8>?)?
        var secondValue: (bytes: UnsafeBufferPointer<UInt8>, owned: UnsafeMutablePointer<UInt8>?)?
        defer {
            firstValue?.owned.map { clibxml2_free($0) }
            secondValue?.owned.map { clibxml2_free($0) }
        }
        var property = elementNode?.pointee.properties
        while let attribute = property, firstValue == nil || secondValue == nil {
            if attribute.pointee.ns == nil, let name = attribute.pointee.name {
                if firstValue == nil, first.matches(name) {
                    firstValue = Self.value(of: attribute)
                } else if secondValue == nil, second.matches(name) {
                    secondValue = Self.value(of: attribute)
                }
            }
            property = attribute.pointee.next
        }
        body(firstValue?.bytes, secondValue?.bytes)
    }

    /// An attribute's value as libxml2's xmlGetNoNsProp reads it: a single text node's content
    /// in place, else the children joined into a copy (`owned`, to be freed).
    @inline(__always)
    private static func value(of attribute: xmlAttrPtr) -> (bytes: UnsafeBufferPointer<UInt8>, owned: UnsafeMutablePointer<UInt8>?) {
        func bytes(_ text: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: text, count: strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self)))
        }
        if let child = attribute.pointee.children, child.pointee.next == nil,
            child.pointee.type == XML_TEXT_NODE || child.pointee.type == XML_CDATA_SECTION_NODE
        {
            return (child.pointee.content.map { bytes($0) } ?? UnsafeBufferPointer(start: nil, count: 0), nil)
        }
        guard let joined = xmlNodeListGetString(attribute.pointee.doc, attribute.pointee.children, 1) else {
            return (UnsafeBufferPointer(start: nil, count: 0), nil)
        }
        return (bytes(joined), joined)
    }

    /// The node the reader is on, when it is an element (or the end of one).
    private var elementNode: xmlNodePtr? {
        guard let node = xmlTextReaderCurrentNode(reader), node.pointee.type == XML_ELEMENT_NODE else { return nil }
        return node
    }
}

/// The node ``XMLStreamReader/nextElement(in:namespaces:text:)`` moved to (three bytes, so
/// that it is returned in registers).
public struct XMLElementMatch {
    public let kind: XMLStreamReader.NodeKind
    /// The index in the table; -1: none of them.
    @usableFromInline let nameCode: Int8
    /// The index in the list; -1: no namespace; -2: another one.
    @usableFromInline let namespaceCode: Int8

    init(kind: XMLStreamReader.NodeKind, name: Int?, namespace: Int?, hasNamespace: Bool) {
        self.kind = kind
        nameCode = name.map { Int8($0) } ?? -1
        namespaceCode = namespace.map { Int8($0) } ?? (hasNamespace ? -2 : -1)
    }

    /// The match of an element called `name` in namespace `namespace` (a URI) against `names`
    /// and `namespaces`; `lastNamespace` is the index that matched last, tried first (and
    /// updated); `dictionary` is the parser's, where `name` usually is.
    @inline(__always)
    init(
        kind: XMLStreamReader.NodeKind, name: UnsafePointer<UInt8>?, namespace: UnsafePointer<UInt8>?, names: XMLNameTable,
        namespaces: [XMLName], lastNamespace: inout Int, dictionary: OpaquePointer?, reader: AnyObject
    ) {
        let nameIndex = name.flatMap { names.index(of: $0, in: dictionary, reader: reader) }
        guard let namespace else {
            self.init(kind: kind, name: nameIndex, namespace: nil, hasNamespace: false)
            return
        }
        if lastNamespace < namespaces.count, namespaces[lastNamespace].matches(namespace) {
            self.init(kind: kind, name: nameIndex, namespace: lastNamespace, hasNamespace: true)
            return
        }
        for index in namespaces.indices where index != lastNamespace && namespaces[index].matches(namespace) {
            lastNamespace = index
            self.init(kind: kind, name: nameIndex, namespace: index, hasNamespace: true)
            return
        }
        self.init(kind: kind, name: nameIndex, namespace: nil, hasNamespace: true)
    }

    /// The index of the element's local name in the table; nil when it is none of them.
    @inlinable public var name: Int? { nameCode < 0 ? nil : Int(nameCode) }
    /// The index of the element's namespace URI in the list; nil when it has none or another.
    @inlinable public var namespace: Int? { namespaceCode < 0 ? nil : Int(namespaceCode) }
    @inlinable public var hasNamespace: Bool { namespaceCode != -1 }
}

/// Element names an ``XMLStreamReader`` or ``XMLEventReader`` matches many nodes against. libxml2 keeps each distinct
/// name once, in the document's dictionary, so the answer for a name the dictionary holds is
/// remembered by its address (64 entries, direct-mapped): a repeated name costs one lookup.
/// Names elsewhere (and the first sight of each) are compared byte by byte.
public final class XMLNameTable {
    let names: [XMLName]
    /// The reader the table was made for (kept alive with its dictionary, where the remembered addresses are).
    private let owner: AnyObject
    private static let size = 64
    private let keys = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: size)
    /// The index in `names` for each key; -1: none of them.
    private let indices = UnsafeMutablePointer<Int>.allocate(capacity: size)

    init(_ names: [XMLName], owner: AnyObject) {
        precondition(names.count <= Int(Int8.max), "at most 127 names")
        self.names = names
        self.owner = owner
        keys.initialize(repeating: nil, count: Self.size)
        indices.initialize(repeating: -1, count: Self.size)
    }

    deinit {
        keys.deallocate()
        indices.deallocate()
    }

    @inline(__always)
    func index(of name: UnsafePointer<UInt8>, in dictionary: OpaquePointer?, reader: AnyObject) -> Int? {
        let slot = Int(truncatingIfNeeded: (UInt(bitPattern: name) &* 0x9E37_79B9_7F4A_7C15) >> 58)
        if keys[slot] == name, reader === owner {
            let index = indices[slot]
            return index < 0 ? nil : index
        }
        var found: Int?
        for index in names.indices where names[index].pointer == name {
            found = index
            break
        }
        if found == nil { found = names.indices.first { names[$0].matches(name) } }
        // Only an address the dictionary owns keeps its text until the reader is freed.
        if reader === owner, let dictionary, xmlDictOwns(dictionary, name) == 1 {
            keys[slot] = name
            indices[slot] = found ?? -1
        }
        return found
    }
}
