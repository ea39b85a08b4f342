/// Reads one data test of a dataset:
///
///     - name: online-is-levels-3-and-4
///       assert: online = level_3 + level_4        # on every row
///     - name: levels-3-4-match-the-catalogue
///       total: {sum: online}
///       equals: {dataset: hanoi-procedures-by-level, sum: procedures, where: "service_level >= 3"}
///     - {name: yearly-series, noGaps: year}
///     - {name: no-year-in-the-future, notInFuture: year}
///     - {name: no-jump, maximumChange: {field: value, percent: 20, key: [indicator_code]}}
///
/// `severity: warning` reports without blocking (the default for `maximumChange`).
struct DataTestLoader {
    let schema: TableSchema
    let earlier: [Dataset]
    let pipeline: String
    let dataset: String

    func load(_ node: DefinitionNode) throws(PipelineFailure) -> DataTest {
        let keys = try node.mapping(allowed: [
            "name", "severity", "assert", "total", "equals", "noGaps", "notInFuture", "maximumChange",
        ])
        let name = try keys.required("name").nonEmptyString()
        let kinds = ["assert", "total", "noGaps", "notInFuture", "maximumChange"].filter { keys[$0] != nil }
        let oneOf = "a test has exactly one of: assert, total (with equals), noGaps, notInFuture, maximumChange"
        guard kinds.count == 1 else { throw node.fail(oneOf) }
        let assertion: DataTest.Assertion
        var severity = ValidationIssue.Severity.error
        switch kinds[0] {
        case "assert":
            let expressionNode = try keys.required("assert")
            let expression = try StepLoader.compile(expressionNode, schema: schema)
            guard expression.type == .boolean else {
                throw expressionNode.fail("an assertion is a true/false expression; this one gives \(expression.type.rawValue)")
            }
            assertion = .everyRow(expression)
        case "total":
            let left = try total(keys.required("total"), allowDataset: false)
            let right = try total(keys.required("equals"), allowDataset: true)
            assertion = .totalEquals(left, right)
        case "noGaps":
            let names = try DatasetLoader.fieldNames(keys.required("noGaps"), in: schema)
            assertion = .noGaps(field: names[0])
        case "notInFuture":
            let fieldNode = try keys.required("notInFuture")
            let names = try DatasetLoader.fieldNames(fieldNode, in: schema)
            guard let type = schema[names[0]]?.type, type == .year || type == .date else {
                throw fieldNode.fail("notInFuture checks a year or date field")
            }
            assertion = .notInFuture(field: names[0])
        case "maximumChange":
            let changeKeys = try keys.required("maximumChange").mapping(allowed: ["field", "percent", "key"])
            let field = try DatasetLoader.fieldNames(changeKeys.required("field"), in: schema)[0]
            let key = try DatasetLoader.fieldNames(changeKeys.required("key"), in: schema)
            assertion = .maximumChange(field: field, key: key, percent: try changeKeys.required("percent").decimal())
            severity = .warning
        default:
            throw node.fail(oneOf)
        }
        if let node = keys["severity"] {
            guard let declared = ValidationIssue.Severity(rawValue: try node.string()) else {
                throw node.fail("expected a severity: error or warning")
            }
            severity = declared
        }
        return DataTest(
            name: name, severity: severity, assertion: assertion, declaration: node.location, pipeline: pipeline,
            dataset: dataset)
    }

    private func total(_ node: DefinitionNode, allowDataset: Bool) throws(PipelineFailure) -> DataTest.Total {
        let keys = try node.mapping(allowed: allowDataset ? ["dataset", "sum", "where"] : ["sum", "where"])
        var target = schema
        var datasetID: String?
        if let datasetNode = keys["dataset"] {
            let id = try datasetNode.string()
            guard let other = earlier.first(where: { $0.id == id }) else {
                throw datasetNode.fail(
                    "a test compares with a dataset declared earlier in the pipeline; found '\(id)', earlier: \(earlier.map(\.id).joined(separator: ", "))"
                )
            }
            target = other.schema
            datasetID = id
        }
        let sumNode = try keys.required("sum")
        let sum = try StepLoader.compile(sumNode, schema: target)
        guard sum.type.isNumeric else { throw sumNode.fail("a total sums numbers; this gives \(sum.type.rawValue)") }
        var filter: Expression?
        if let whereNode = keys["where"] {
            let condition = try StepLoader.compile(whereNode, schema: target)
            guard condition.type == .boolean else { throw whereNode.fail("'where' is a true/false expression") }
            filter = condition
        }
        return DataTest.Total(dataset: datasetID, sum: sum, filter: filter)
    }
}
