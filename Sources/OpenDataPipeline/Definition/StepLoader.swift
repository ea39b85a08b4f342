import Yams

/// Reads one transform step and checks it against the schema of the rows it
/// receives. Each step is a mapping with one key, the step's kind.
struct StepLoader {
    let schema: TableSchema
    /// The datasets declared before this one, which lookups may read.
    var earlier: [Dataset] = []

    func load(_ node: DefinitionNode) throws(PipelineFailure) -> any Transform {
        let names = StepType.registry.map(\.name)
        if case let .mapping(mapping) = node.node, mapping.count == 1, let key = mapping.keys.first, let name = key.string,
            !names.contains(name)
        {
            throw DefinitionNode(node: key, file: node.file, path: "\(node.path).\(name)").fail(
                "unknown step '\(name)'; expected one of: \(names.joined(separator: ", "))", code: .unknownName)
        }
        let keys = try node.mapping(allowed: names)
        guard keys.entries.count == 1, let (name, body) = keys.entries.first.map({ ($0.key, $0.value) }),
            let step = StepType.registry.first(where: { $0.name == name })
        else {
            throw node.fail("a step is a mapping with exactly one key: \(names.joined(separator: ", "))")
        }
        do {
            return try step.build(self, body)
        } catch let error as TransformError {
            throw body.fail(error.message, code: error.code)
        } catch let error as PipelineFailure {
            throw error
        } catch {
            throw body.fail("\(error)")
        }
    }

    /// A list of names, or one name.
    func names(_ node: DefinitionNode) throws(PipelineFailure) -> [String] {
        if case .scalar = node.node { return [try node.nonEmptyString()] }
        return try node.sequence().map { item throws(PipelineFailure) in try item.nonEmptyString() }
    }

    /// `{a: b, c: d}` as ordered pairs.
    func pairs(_ node: DefinitionNode) throws(PipelineFailure) -> [(String, String)] {
        guard case let .mapping(mapping) = node.node else { throw node.fail("expected a mapping of name: name") }
        return mapping.map { ($0.key.string ?? "", $0.value.string ?? "") }
    }

    static func fieldName(_ name: String, node: DefinitionNode) throws(PipelineFailure) -> String {
        let valid =
            !name.isEmpty
            && name.unicodeScalars.enumerated().allSatisfy { offset, c in
                c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || (offset > 0 && ("0"..."9").contains(c))
            }
        guard valid else {
            throw node.fail("expected a field name of letters, digits and '_' (not starting with a digit), found '\(name)'")
        }
        return name
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
