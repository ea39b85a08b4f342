extension StepType {
    static let pivot = StepType("pivot") { try $0.pivot($1) }
}

extension StepLoader {
    /// `pivot: {key: year, value: users, columns: {y2016: 2016, y2017: 2017}}`.
    fileprivate func pivot(_ node: DefinitionNode) throws -> Pivot {
        let keys = try node.mapping(allowed: ["key", "value", "columns"])
        var columns: [(String, String)] = []
        for (name, key) in try pairs(keys.required("columns")) { columns.append((try Self.fieldName(name, node: node), key)) }
        return try Pivot(
            key: try keys.required("key").string(), value: try keys.required("value").string(), columns: columns,
            input: schema)
    }
}
