extension StepType {
    static let derive = StepType("derive") { try $0.derive($1) }
}

extension StepLoader {
    fileprivate func derive(_ node: DefinitionNode) throws -> DeriveField {
        let keys = try node.mapping(allowed: FieldLoader.keys + ["expression"])
        let expression = try Self.compile(keys.required("expression"), schema: schema)
        let field = try FieldLoader.field(keys, type: expression.type)
        return try DeriveField(field: field, expression: expression, input: schema)
    }
}
