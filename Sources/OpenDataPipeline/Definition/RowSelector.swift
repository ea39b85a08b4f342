import Yams

/// Published rows named by the values of some of their fields, as a pipeline
/// file writes them: `{area_code: VN}`, `{year: 2018, service_level: 1}`. Values
/// are read as the field's type and kept in canonical text (`1`, `2018`,
/// `29.5`), so a selector matches a row of the published CSV as well as a row
/// of typed values.
public struct RowSelector: Sendable, Hashable, Codable {
    /// Field name → canonical text of the value the row must hold.
    public var values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: String].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    /// Whether the row whose canonical text of a field is `text(name)` holds every value.
    public func matches(_ text: (String) -> String?) -> Bool {
        values.allSatisfy { text($0.key) == $0.value }
    }

    /// A list of selectors, each a mapping of field names of `schema` to values of their types.
    static func list(_ node: DefinitionNode, schema: TableSchema) throws(PipelineFailure) -> [RowSelector] {
        var selectors: [RowSelector] = []
        for item in try node.sequence() {
            guard let mapping = item.node.mapping, !mapping.isEmpty else {
                throw item.fail("expected a mapping of field names to values, e.g. {area_code: VN}", code: .typeMismatch)
            }
            let keys = try item.mapping(allowed: schema.fields.map(\.name))
            var values: [String: String] = [:]
            for (name, valueNode) in keys.entries {
                guard let field = schema[name] else { continue }
                let text = try valueNode.string()
                let value: Value
                do {
                    value = try ValueDecoder(field: Field(name: name, type: field.type), numberFormat: .plain).decode(text)
                } catch {
                    throw valueNode.fail("'\(text)' is not a value of '\(name)': expected \(error.expected)")
                }
                guard let canonical = value.text else { throw valueNode.fail("expected a value of '\(name)', found an empty one") }
                values[name] = canonical
            }
            selectors.append(RowSelector(values: values))
        }
        return selectors
    }
}
