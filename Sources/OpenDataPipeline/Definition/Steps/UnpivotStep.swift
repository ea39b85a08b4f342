extension StepType {
    static let unpivot = StepType("unpivot") { try $0.unpivot($1) }
}

extension StepLoader {
    /// `unpivot: {fields: [y2016, y2017], stripPrefix: y, key: {name: year, type: year}, value: {name: users, ...}}`.
    fileprivate func unpivot(_ node: DefinitionNode) throws -> Unpivot {
        let keys = try node.mapping(allowed: ["fields", "stripPrefix", "key", "value"])
        let keyField = try FieldLoader.field(try keys.required("key").mapping(allowed: FieldLoader.keys), type: .string)
        let valueField = try FieldLoader.field(try keys.required("value").mapping(allowed: FieldLoader.keys), type: .number)
        return try Unpivot(
            fields: try names(keys.required("fields")), key: keyField, value: valueField,
            stripPrefix: try keys["stripPrefix"]?.string() ?? "", input: schema)
    }
}
