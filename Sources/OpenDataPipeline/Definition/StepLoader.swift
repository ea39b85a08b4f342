/// Reads one transform step (`derive` or `aggregate`) and checks it against
/// the schema of the rows it receives.
struct StepLoader {
    let schema: TableSchema
    /// The datasets declared before this one, which lookups may read.
    var earlier: [Dataset] = []

    func load(_ node: DefinitionNode) throws(PipelineFailure) -> any Transform {
        let keys = try node.mapping(allowed: ["derive", "aggregate"])
        guard keys.entries.count == 1, let (kind, body) = keys.entries.first.map({ ($0.key, $0.value) }) else {
            throw node.fail("a step is a mapping with exactly one key: derive or aggregate")
        }
        switch kind {
        case "derive": return try derive(body)
        default: return try aggregate(body)
        }
    }

    private func derive(_ node: DefinitionNode) throws(PipelineFailure) -> DeriveField {
        let keys = try node.mapping(allowed: FieldLoader.keys + ["expression"])
        let expression = try Self.compile(keys.required("expression"), schema: schema)
        let field = try FieldLoader.field(keys, type: expression.type)
        do {
            return try DeriveField(field: field, expression: expression, input: schema)
        } catch {
            throw node.fail(error.message)
        }
    }

    private func aggregate(_ node: DefinitionNode) throws(PipelineFailure) -> Aggregate {
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
            let measureKeys = try item.mapping(allowed: FieldLoader.keys + ["count", "sum"])
            let measure: Aggregate.Measure
            let type: FieldType
            switch (measureKeys["count"], measureKeys["sum"]) {
            case let (count?, nil):
                let text = try count.string()
                measure = .count(condition: text == "all" ? nil : try Self.compile(count, schema: schema))
                type = .integer
            case let (nil, sum?):
                let expression = try Self.compile(sum, schema: schema)
                measure = .sum(expression)
                type = expression.type
            default:
                throw item.fail("a measure has exactly one of 'count' (all, or a condition) and 'sum' (an expression)")
            }
            measures.append(Aggregate.MeasureField(field: try FieldLoader.field(measureKeys, type: type), measure: measure))
        }
        do {
            return try Aggregate(groupBy: groupBy, measures: measures, input: schema)
        } catch {
            throw node.fail(error.message)
        }
    }

    /// Compiles an expression, placing any error at its line and column in the file.
    static func compile(_ node: DefinitionNode, schema: TableSchema) throws(PipelineFailure) -> Expression {
        let text = try node.nonEmptyString()
        do {
            return try Expression(text, schema: schema)
        } catch {
            var location = node.location
            if let column = node.textColumn { location.column = column + error.offset }
            throw PipelineFailure.invalidDefinition(
                location, problem: "in the expression '\(text)' at character \(error.offset + 1): \(error.message)")
        }
    }
}
