extension StepType {
    static let aggregate = StepType("aggregate") { try $0.aggregate($1) }
}

extension StepLoader {
    fileprivate func aggregate(_ node: DefinitionNode) throws -> Aggregate {
        let keys = try node.mapping(allowed: ["groupBy", "measures"])
        var groupBy: [String] = []
        for item in try keys["groupBy"]?.sequence() ?? [] {
            let name = try item.string()
            guard schema.index(of: name) != nil else {
                throw item.fail("cannot group by '\(name)': the fields here are \(schema.fields.map(\.name).joined(separator: ", "))")
            }
            groupBy.append(name)
        }
        var measures: [Aggregate.MeasureField] = []
        let measureNodes = try keys.required("measures").sequence()
        guard !measureNodes.isEmpty else { throw try keys.required("measures").fail("expected at least one measure") }
        for item in measureNodes {
            let measureKeys = try item.mapping(allowed: FieldLoader.keys + ["count"] + Self.measures.map(\.name))
            let present = (["count"] + Self.measures.map(\.name)).filter { measureKeys[$0] != nil }
            guard present.count == 1, let kind = present.first, let body = measureKeys[kind] else {
                throw item.fail("a measure has exactly one of 'count' (all, or a condition), 'sum', 'min', 'max', 'mean', 'share' (an expression)")
            }
            let measure: Aggregate.Measure
            let type: FieldType
            if let of = Self.measures.first(where: { $0.name == kind }) {
                let expression = try Self.compile(body, schema: schema)
                measure = of.measure(expression)
                type = of.alwaysNumber ? .number : expression.type
            } else {
                let text = try body.string()
                measure = .count(condition: text == "all" ? nil : try Self.compile(body, schema: schema))
                type = .integer
            }
            measures.append(Aggregate.MeasureField(field: try FieldLoader.field(measureKeys, type: type), measure: measure))
        }
        return try Aggregate(groupBy: groupBy, measures: measures, input: schema)
    }

    /// The measures of an expression besides `count`; `alwaysNumber`: a number field whatever the expression's type.
    fileprivate static let measures: [(name: String, measure: @Sendable (Expression) -> Aggregate.Measure, alwaysNumber: Bool)] = [
        ("sum", { .sum($0) }, false), ("min", { .minimum($0) }, false), ("max", { .maximum($0) }, false),
        ("mean", { .mean($0) }, true), ("share", { .share($0) }, true),
    ]
}
