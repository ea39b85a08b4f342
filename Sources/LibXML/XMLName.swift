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

    @inline(__always)
    func matches(_ name: UnsafePointer<UInt8>) -> Bool {
        name == pointer
            || strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)) == 0
    }
}

extension XMLStreamReader {
    /// `string` as an ``XMLName`` for this reader.
    public func name(_ string: String) -> XMLName {
        if let interned = xmlTextReaderConstString(reader, string) { return XMLName(pointer: interned) }
        // Out of memory in libxml2's dictionary: a copy of the reader's own, freed with it.
        let copy = xmlStrdup(string)!
        ownedNames.append(copy)
        return XMLName(pointer: UnsafePointer(copy))
    }

    /// A table of element names, for ``element(in:namespaces:)``.
    public func nameTable(_ names: [String]) -> XMLNameTable {
        XMLNameTable(names.map { self.name($0) }, owner: self)
    }

    /// The element the reader is on (or at the end of): the index of its local name in `names`
    /// and of its namespace URI in `namespaces`; nil when the node is not an element.
    @inline(__always)
    public func element(in names: XMLNameTable, namespaces: [XMLName]) -> XMLElementMatch? {
        guard let node = elementNode, let name = node.pointee.name else { return nil }
        let nameIndex = names.index(of: name, in: node.pointee.doc?.pointee.dict, reader: self)
        guard let href = node.pointee.ns?.pointee.href else {
            return XMLElementMatch(name: nameIndex, namespace: nil, hasNamespace: false)
        }
        if lastNamespace < namespaces.count, namespaces[lastNamespace].matches(href) {
            return XMLElementMatch(name: nameIndex, namespace: lastNamespace, hasNamespace: true)
        }
        for index in namespaces.indices where index != lastNamespace && namespaces[index].matches(href) {
            lastNamespace = index
            return XMLElementMatch(name: nameIndex, namespace: index, hasNamespace: true)
        }
        return XMLElementMatch(name: nameIndex, namespace: nil, hasNamespace: true)
    }

    /// Calls `body` with the bytes (UTF-8, valid only inside `body`) of the element's attribute
    /// `name` that has no namespace, or nil when there is none: the value ``attribute(_:)``
    /// gives, without a copy.
    @inline(__always)
    public func withAttribute<Result, Failure: Error>(
        _ name: XMLName, _ body: (UnsafeBufferPointer<UInt8>?) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var property = elementNode?.pointee.properties
        while let attribute = property {
            if attribute.pointee.ns == nil, let attributeName = attribute.pointee.name, name.matches(attributeName) {
                let value = Self.value(of: attribute)
                defer { value.owned.map { clibxml2_free($0) } }
                return try body(value.bytes)
            }
            property = attribute.pointee.next
        }
        return try body(nil)
    }

    /// The same for two attributes, found in one pass over the element's attributes.
    @inline(__always)
    public func withAttributes<Result, Failure: Error>(
        _ first: XMLName, _ second: XMLName,
        _ body: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) throws(Failure) -> Result
    ) throws(Failure) -> Result {
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
        return try body(firstValue?.bytes, secondValue?.bytes)
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

/// What ``XMLStreamReader/element(in:namespaces:)`` found.
public struct XMLElementMatch {
    /// The index of the element's local name in the table; nil when it is none of them.
    public let name: Int?
    /// The index of the element's namespace URI in the list; nil when it has none or another.
    public let namespace: Int?
    public let hasNamespace: Bool
}

/// Element names an ``XMLStreamReader`` matches many nodes against. libxml2 keeps each distinct
/// name once, in the document's dictionary, so the answer for a name the dictionary holds is
/// remembered by its address (64 entries, direct-mapped): a repeated name costs one lookup.
/// Names elsewhere (and the first sight of each) are compared byte by byte.
public final class XMLNameTable {
    let names: [XMLName]
    /// The reader the table was made for (kept alive with its dictionary, where the remembered addresses are).
    private let owner: XMLStreamReader
    private static let size = 64
    private let keys = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: size)
    /// The index in `names` for each key; -1: none of them.
    private let indices = UnsafeMutablePointer<Int>.allocate(capacity: size)

    fileprivate init(_ names: [XMLName], owner: XMLStreamReader) {
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
    fileprivate func index(of name: UnsafePointer<UInt8>, in dictionary: OpaquePointer?, reader: XMLStreamReader) -> Int? {
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
