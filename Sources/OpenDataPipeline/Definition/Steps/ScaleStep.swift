extension StepType {
    static let scale = StepType("scale") { try $0.scale($1) }
}

extension StepLoader {
    /// `scale: {field: users, from: 6, to: 0}`; `from` defaults to the field's declared unitMultiplier.
    fileprivate func scale(_ node: DefinitionNode) throws -> ScaleUnits {
        let keys = try node.mapping(allowed: ["field", "from", "to"])
        let name = try keys.required("field").string()
        let from = try keys["from"]?.integer() ?? schema[name]?.unitMultiplier ?? 0
        let to = try keys.required("to").integer()
        for power in [from, to] where ![0, 3, 6, 9].contains(power) {
            throw node.fail("scale: expected powers of ten 0 (units), 3 (thousands), 6 (millions, triệu) or 9 (billions), found \(power)")
        }
        return try ScaleUnits(field: name, from: from, to: to, input: schema)
    }
}
