import Yams

extension StepType {
    static let fill = StepType("fill") { try $0.fill($1) }
    /// `fillDown: [fields]`: an empty cell takes the value above it.
    static let fillDown = StepType("fillDown") { loader, body in
        try FillValues(try loader.names(body).map { ($0, .previousRow) }, input: loader.schema)
    }
}

extension StepLoader {
    /// `fill: {field: status, value: final}` (a list of them is accepted too).
    fileprivate func fill(_ node: DefinitionNode) throws -> FillValues {
        let items: [DefinitionNode]
        if case .sequence = node.node { items = try node.sequence() } else { items = [node] }
        var fields: [(name: String, source: FillValues.Source)] = []
        for item in items {
            let keys = try item.mapping(allowed: ["field", "value"])
            let name = try keys.required("field").string()
            guard let field = schema[name] else { throw item.fail("fill: no field named '\(name)'") }
            let valueNode = try keys.required("value")
            let text = try valueNode.string()
            do {
                let value = try ValueDecoder(field: Field(name: name, type: field.type), numberFormat: .plain).decode(text)
                fields.append((name, .constant(value)))
            } catch {
                throw valueNode.fail("'\(text)' is not a value of '\(name)': expected \(error.expected)")
            }
        }
        return try FillValues(fields, input: schema)
    }
}
