import Yams

extension StepType {
    static let lookup = StepType("lookup") { try $0.lookup($1) }
}

extension StepLoader {
    /// `lookup: {dataset: areas, on: {area_code: code}, fields: [{area_name: name}] , unmatched: error|keep}`.
    fileprivate func lookup(_ node: DefinitionNode) throws -> LookupValues {
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
}
