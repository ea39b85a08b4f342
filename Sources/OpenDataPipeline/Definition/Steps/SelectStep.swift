import Yams

extension StepType {
    static let select = StepType("select") { try $0.select($1) }
    static let rename = StepType("rename") { try $0.rename($1) }
}

extension StepLoader {
    /// `select: [a, b, {c: new_c}]`.
    fileprivate func select(_ node: DefinitionNode) throws -> SelectFields {
        var fields: [(from: String, to: String)] = []
        for item in try node.sequence() {
            if case .scalar = item.node {
                let name = try item.string()
                fields.append((name, name))
            } else {
                for (from, to) in try pairs(item) { fields.append((from, try Self.fieldName(to, node: item))) }
            }
        }
        return try SelectFields(fields, input: schema)
    }

    /// `rename: {old: new}`.
    fileprivate func rename(_ node: DefinitionNode) throws -> SelectFields {
        var renames: [String: String] = [:]
        for (old, new) in try pairs(node) { renames[old] = try Self.fieldName(new, node: node) }
        return try SelectFields.renaming(renames, input: schema)
    }
}
