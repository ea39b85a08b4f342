import Yams

/// Reads one transform step and checks it against the schema of the rows it
/// receives. Each step is a mapping with one key, the step's kind.
struct StepLoader {
    let schema: TableSchema
    /// The datasets declared before this one, which lookups may read.
    var earlier: [Dataset] = []

    static let kinds = [
        "select", "rename", "filter", "derive", "aggregate", "lookup", "unpivot", "pivot", "sort", "deduplicate",
        "scale", "fillDown", "fill",
    ]

    func load(_ node: DefinitionNode) throws(PipelineFailure) -> any Transform {
        let keys = try node.mapping(allowed: Self.kinds)
        guard keys.entries.count == 1, let (kind, body) = keys.entries.first.map({ ($0.key, $0.value) }) else {
            throw node.fail("a step is a mapping with exactly one key: \(Self.kinds.joined(separator: ", "))")
        }
        do {
            switch kind {
            case "derive": return try derive(body)
            case "aggregate": return try aggregate(body)
            case "select": return try select(body)
            case "rename":
                var renames: [String: String] = [:]
                for (old, new) in try pairs(body) { renames[old] = try Self.fieldName(new, node: body) }
                return try SelectFields.renaming(renames, input: schema)
            case "filter": return try FilterRows(try Self.compile(body, schema: schema), input: schema)
            case "sort": return try SortRows(by: try names(body), input: schema)
            case "deduplicate": return try Deduplicate(by: try names(body), input: schema)
            case "fillDown": return try FillValues(try names(body).map { ($0, .previousRow) }, input: schema)
            case "fill": return try fill(body)
            case "scale": return try scale(body)
            case "lookup": return try lookup(body)
            case "unpivot": return try unpivot(body)
            default: return try pivot(body)
            }
        } catch let error as TransformError {
            throw body.fail(error.message, code: error.code)
        } catch let error as PipelineFailure {
            throw error
        } catch {
            throw body.fail("\(error)")
        }
    }

    /// A list of names, or one name.
    private func names(_ node: DefinitionNode) throws(PipelineFailure) -> [String] {
        if case .scalar = node.node { return [try node.nonEmptyString()] }
        return try node.sequence().map { item throws(PipelineFailure) in try item.nonEmptyString() }
    }

    /// `{a: b, c: d}` as ordered pairs.
    private func pairs(_ node: DefinitionNode) throws(PipelineFailure) -> [(String, String)] {
        guard case let .mapping(mapping) = node.node else { throw node.fail("expected a mapping of name: name") }
        return mapping.map { ($0.key.string ?? "", $0.value.string ?? "") }
    }

    static func fieldName(_ name: String, node: DefinitionNode) throws(PipelineFailure) -> String {
        let valid = !name.isEmpty && name.unicodeScalars.enumerated().allSatisfy { offset, c in
            c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || (offset > 0 && ("0"..."9").contains(c))
        }
        guard valid else {
            throw node.fail("expected a field name of letters, digits and '_' (not starting with a digit), found '\(name)'")
        }
        return name
    }

    /// `select: [a, b, {c: new_c}]`.
    private func select(_ node: DefinitionNode) throws -> SelectFields {
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

    /// `fill: {field: status, value: final}` (a list of them is accepted too).
    private func fill(_ node: DefinitionNode) throws -> FillValues {
        let items: [DefinitionNode]
        if case .sequence = node.node { items = try node.sequence() } else { items = [node] }
        var fields: [(name: String, source: FillValues.Source)] = []
        for item in items {
            let keys = try item.mapping(allowed: ["field", "value"])
            let name = try keys.required("field").string()
            guard let field = schema[name] else { throw item.fail("fill: no field named '\(name)'", code: .unknownField) }
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

    /// `scale: {field: users, from: 6, to: 0}`; `from` defaults to the field's declared unitMultiplier.
    private func scale(_ node: DefinitionNode) throws -> ScaleUnits {
        let keys = try node.mapping(allowed: ["field", "from", "to"])
        let name = try keys.required("field").string()
        let from = try keys["from"]?.integer() ?? schema[name]?.unitMultiplier ?? 0
        let to = try keys.required("to").integer()
        for power in [from, to] where ![0, 3, 6, 9].contains(power) {
            throw node.fail("scale: expected powers of ten 0 (units), 3 (thousands), 6 (millions, triệu) or 9 (billions), found \(power)")
        }
        return try ScaleUnits(field: name, from: from, to: to, input: schema)
    }

    /// `lookup: {dataset: areas, on: {area_code: code}, fields: [{area_name: name}] , unmatched: error|keep}`.
    private func lookup(_ node: DefinitionNode) throws -> LookupValues {
        let keys = try node.mapping(allowed: ["dataset", "on", "fields", "unmatched"])
        let datasetNode = try keys.required("dataset")
        let id = try datasetNode.string()
        guard let other = earlier.first(where: { $0.id == id }) else {
            throw datasetNode.fail(
                "a lookup reads a dataset declared earlier in the pipeline; found '\(id)', earlier: \(earlier.map(\.id).joined(separator: ", "))")
        }
        var fields: [(String, String)] = []
        for item in try keys.required("fields").sequence() {
            if case .scalar = item.node {
                let name = try item.string()
                fields.append((name, name))
            } else {
                for (new, theirs) in try pairs(item) { fields.append((try Self.fieldName(new, node: item), theirs)) }
            }
        }
        var keepUnmatched = false
        if let unmatched = keys["unmatched"] {
            switch try unmatched.string() {
            case "error": keepUnmatched = false
            case "keep": keepUnmatched = true
            default: throw unmatched.fail("expected what to do with a key that has no match: error or keep")
            }
        }
        return try LookupValues(
                dataset: id, schema: other.schema, on: try pairs(keys.required("on")), fields: fields,
                keepUnmatched: keepUnmatched, input: schema)
    }

    /// `unpivot: {fields: [y2016, y2017], stripPrefix: y, key: {name: year, type: year}, value: {name: users, ...}}`.
    private func unpivot(_ node: DefinitionNode) throws -> Unpivot {
        let keys = try node.mapping(allowed: ["fields", "stripPrefix", "key", "value"])
        let keyField = try FieldLoader.field(try keys.required("key").mapping(allowed: FieldLoader.keys), type: .string)
        let valueField = try FieldLoader.field(try keys.required("value").mapping(allowed: FieldLoader.keys), type: .number)
        return try Unpivot(
                fields: try names(keys.required("fields")), key: keyField, value: valueField,
                stripPrefix: try keys["stripPrefix"]?.string() ?? "", input: schema)
    }

    /// `pivot: {key: year, value: users, columns: {y2016: 2016, y2017: 2017}}`.
    private func pivot(_ node: DefinitionNode) throws -> Pivot {
        let keys = try node.mapping(allowed: ["key", "value", "columns"])
        var columns: [(String, String)] = []
        for (name, key) in try pairs(keys.required("columns")) { columns.append((try Self.fieldName(name, node: node), key)) }
        return try Pivot(
                key: try keys.required("key").string(), value: try keys.required("value").string(), columns: columns,
                input: schema)
    }

    private func derive(_ node: DefinitionNode) throws -> DeriveField {
        let keys = try node.mapping(allowed: FieldLoader.keys + ["expression"])
        let expression = try Self.compile(keys.required("expression"), schema: schema)
        let field = try FieldLoader.field(keys, type: expression.type)
        return try DeriveField(field: field, expression: expression, input: schema)
    }

    private func aggregate(_ node: DefinitionNode) throws -> Aggregate {
        let keys = try node.mapping(allowed: ["groupBy", "measures"])
        var groupBy: [String] = []
        for item in try keys["groupBy"]?.sequence() ?? [] {
            let name = try item.string()
            guard schema.index(of: name) != nil else {
                throw item.fail("cannot group by '\(name)': the fields here are \(schema.fields.map(\.name).joined(separator: ", "))", code: .unknownField)
            }
            groupBy.append(name)
        }
        var measures: [Aggregate.MeasureField] = []
        let measureNodes = try keys.required("measures").sequence()
        guard !measureNodes.isEmpty else { throw try keys.required("measures").fail("expected at least one measure") }
        for item in measureNodes {
            let kinds = ["count", "sum", "min", "max", "mean", "share"]
            let measureKeys = try item.mapping(allowed: FieldLoader.keys + kinds)
            let present = kinds.filter { measureKeys[$0] != nil }
            guard present.count == 1, let kind = present.first, let body = measureKeys[kind] else {
                throw item.fail("a measure has exactly one of 'count' (all, or a condition), 'sum', 'min', 'max', 'mean', 'share' (an expression)")
            }
            let measure: Aggregate.Measure
            let type: FieldType
            if kind == "count" {
                let text = try body.string()
                measure = .count(condition: text == "all" ? nil : try Self.compile(body, schema: schema))
                type = .integer
            } else {
                let expression = try Self.compile(body, schema: schema)
                switch kind {
                case "sum": measure = .sum(expression)
                case "min": measure = .minimum(expression)
                case "max": measure = .maximum(expression)
                case "mean": measure = .mean(expression)
                default: measure = .share(expression)
                }
                type = kind == "mean" || kind == "share" ? .number : expression.type
            }
            measures.append(Aggregate.MeasureField(field: try FieldLoader.field(measureKeys, type: type), measure: measure))
        }
        return try Aggregate(groupBy: groupBy, measures: measures, input: schema)
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
                location,
                problem: "in the expression '\(ExpressionError.excerpt(text, around: error.offset))' "
                    + "at character \(error.offset + 1): \(error.message)", code: .invalidExpression)
        }
    }
}
