import Foundation

/// Encodes a Codable document into the Foundation objects `JSONSerialization`
/// writes (`[String: Any]`, `[Any]`, `String`, `Int`, `Bool`, `NSNull`, and
/// `Decimal` as an exact `NSNumber`), so that a typed document is written by
/// ``JSONWriter/serialize(_:path:pretty:)`` with the bytes of the tool's other
/// JSON: the same key order (`JSONSerialization`'s, not `JSONEncoder`'s) and
/// the same numbers. Optional properties that are nil are left out.
enum FoundationObjectEncoder {
    static func encode(_ value: some Encodable, path: String) throws(PipelineFailure) -> Any {
        let node = Node()
        do {
            try node.store(value, codingPath: [])
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot encode as JSON: \(error)")
        }
        return node.object
    }

    /// One value being built; containers share it by reference.
    fileprivate final class Node {
        enum Content {
            case scalar(Any)
            case keyed([String: Node])
            case unkeyed([Node])
        }

        var content = Content.scalar(NSNull())

        var object: Any {
            switch content {
            case let .scalar(value): value
            case let .keyed(members): members.mapValues(\.object)
            case let .unkeyed(elements): elements.map(\.object)
            }
        }

        func store<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
            if let scalar = Self.scalar(value) {
                content = .scalar(scalar)
            } else {
                try value.encode(to: NodeEncoder(node: self, codingPath: codingPath))
            }
        }

        /// A value `JSONSerialization` writes as is; nil for a value that encodes itself.
        static func scalar(_ value: some Encodable) -> Any? {
            switch value {
            case let text as String: text
            case let flag as Bool: flag
            case let integer as Int: integer
            case let decimal as Decimal: exactNumber(decimal)
            default: nil
            }
        }

        /// An integer as an integer, any other decimal as an exact decimal (never through `Double`).
        static func exactNumber(_ decimal: Decimal) -> Any {
            let number = NSDecimalNumber(decimal: decimal)
            if let integer = Int64(number.stringValue) { return NSNumber(value: integer) }
            return number
        }

        func child(forKey key: String) -> Node {
            var members: [String: Node] = [:]
            if case let .keyed(existing) = content { members = existing }
            let node = Node()
            members[key] = node
            content = .keyed(members)
            return node
        }

        func appended() -> Node {
            var elements: [Node] = []
            if case let .unkeyed(existing) = content { elements = existing }
            let node = Node()
            elements.append(node)
            content = .unkeyed(elements)
            return node
        }

        func becomeKeyed() { if case .keyed = content {} else { content = .keyed([:]) } }
        func becomeUnkeyed() { if case .unkeyed = content {} else { content = .unkeyed([]) } }
    }

    private struct NodeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node.becomeKeyed()
            return KeyedEncodingContainer(Keyed(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node.becomeUnkeyed()
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .scalar(NSNull()) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try node.child(forKey: key.stringValue).store(value, codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = node.child(forKey: key.stringValue)
            child.becomeKeyed()
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = node.child(forKey: key.stringValue)
            child.becomeUnkeyed()
            return Unkeyed(node: child, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath) }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case let .unkeyed(elements) = node.content { return elements.count }
            return 0
        }

        mutating func encodeNil() throws { node.appended().content = .scalar(NSNull()) }

        mutating func encode<T: Encodable>(_ value: T) throws { try node.appended().store(value, codingPath: codingPath) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = node.appended()
            child.becomeKeyed()
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = node.appended()
            child.becomeUnkeyed()
            return Unkeyed(node: child, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appended(), codingPath: codingPath) }
    }

    private struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.content = .scalar(NSNull()) }

        mutating func encode<T: Encodable>(_ value: T) throws { try node.store(value, codingPath: codingPath) }
    }
}
