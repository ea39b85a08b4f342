/// The ordered fields of a table.
public struct TableSchema: Sendable, Hashable {
    public var fields: [Field]

    public init(fields: [Field]) {
        self.fields = fields
    }

    public var count: Int { fields.count }

    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    public subscript(name: String) -> Field? {
        index(of: name).map { fields[$0] }
    }
}
