/// Adds fields of an earlier dataset of the pipeline, matched by key, e.g.
/// area codes to names:
///
///     lookup: {dataset: areas, on: {area_code: code}, fields: [{name: area_name, from: name}]}
///
/// A key with no match is a `step-error` naming the row and the key (the row is
/// dropped), unless `unmatched: keep` leaves the added fields empty. Holds the
/// looked-up dataset's keys and added values, not the streaming rows.
public struct LookupValues: RowStep, ReadsDatasets {
    public let dataset: String
    public let keys: [Int]
    public let keyNames: [String]
    public let referencedKeys: [String]
    public let added: [String]
    public let keepUnmatched: Bool
    public let outputSchema: TableSchema
    public var name: String { "lookup \(dataset)" }
    var referencedDatasets: [String] { [dataset] }

    /// - Parameters:
    ///   - on: pairs of (field here, field of `dataset`).
    ///   - fields: pairs of (new field name, field of `dataset`).
    public init(
        dataset: String, schema other: TableSchema, on: [(String, String)], fields: [(String, String)],
        keepUnmatched: Bool, input: TableSchema
    ) throws(TransformError) {
        self.dataset = dataset
        keys = try on.map { pair throws(TransformError) in try input.require(pair.0, for: "lookup") }
        keyNames = on.map(\.0)
        referencedKeys = on.map(\.1)
        for (_, theirs) in on { _ = try other.require(theirs, for: "lookup in '\(dataset)'") }
        var output = input.fields
        for (new, theirs) in fields {
            var field = other.fields[try other.require(theirs, for: "lookup in '\(dataset)'")]
            guard input.index(of: new) == nil, !output.contains(where: { $0.name == new }) else {
                throw TransformError(message: "lookup: a field named '\(new)' already exists", code: .duplicateName)
            }
            field.name = new
            if keepUnmatched { field.constraints.required = false }
            output.append(field)
        }
        added = fields.map(\.1)
        self.keepUnmatched = keepUnmatched
        outputSchema = TableSchema(fields: output)
    }

    /// The looked-up table as key → added values; built on the first row.
    public var initialState: [[Value]: [Value]]? { nil }

    public func map(
        _ row: ArraySlice<Value>, line: Int?, state: inout [[Value]: [Value]]?, context: StepContext
    ) throws(PipelineFailure) -> [Value]? {
        if state == nil {
            var index: [[Value]: [Value]] = [:]
            if let table = context.tables?.table(dataset) {
                let keyColumns = referencedKeys.compactMap(table.schema.index(of:))
                let addedColumns = added.compactMap(table.schema.index(of:))
                for other in table.rows {
                    let key = keyColumns.map { other[$0].keyForm }
                    if index[key] == nil { index[key] = addedColumns.map { other[$0] } }
                }
            }
            state = index
        }
        let key = keys.map { row[row.startIndex + $0].keyForm }
        if let values = state?[key] { return Array(row) + values }
        if keepUnmatched { return Array(row) + added.map { _ in Value.null } }
        let shown = key.map { $0.text ?? "null" }.joined(separator: ", ")
        let location = context.location(line: line, field: keyNames.joined(separator: ", "))
        let expected = "a key (\(referencedKeys.joined(separator: ", "))) of the dataset '\(dataset)'"
        try context.report(
            ValidationIssue(
                .stepError, location: location, cell: shown,
                message: "(\(shown)) has no match in '\(dataset)': expected \(expected)", rule: name),
            otherwise: .badValue(location, value: shown, expected: expected))
        return nil
    }
}
