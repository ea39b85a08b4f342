/// How a dataset's headline chooses the rows it states (`headline:` in the
/// dataset; every key optional):
///
///     headline:
///       rows: [{area_code: VN}]      # only these rows (by key values), in the table's order
///       by: population               # largest first by this field
///       count: 3                     # at most this many rows (default 5)
///       period: year                 # the field holding the period (default: the first year, date or month field)
///       label: [province]            # the fields that name a row in the default sentence
///       more: {vi: tỉnh, en: provinces}   # what the rows left out are called ("and 2 more provinces")
///
/// The headline states the latest period's rows only. Without `by` and
/// `rows`, it states them in the table's order when they all fit in `count`,
/// and otherwise the largest values of the first measure (a number field
/// outside the primary key) first.
public struct HeadlineRule: Sendable {
    public static let defaultCount = 5

    public var rows: [RowSelector]?
    /// The field the rows are ordered by, largest first.
    public var by: Int?
    public var count = defaultCount
    public var period: Int?
    public var label: [Int]?
    public var more: LocalizedText?

    /// The rule of a dataset without `headline:`.
    static func standard(schema: TableSchema) -> HeadlineRule {
        var rule = HeadlineRule()
        rule.period = defaultPeriod(schema)
        return rule
    }

    static func defaultPeriod(_ schema: TableSchema) -> Int? {
        schema.fields.firstIndex { [.year, .date, .yearmonth, .datetime].contains($0.type) }
    }

    static func load(_ node: DefinitionNode, schema: TableSchema) throws(PipelineFailure) -> HeadlineRule {
        let keys = try node.mapping(allowed: ["rows", "by", "count", "period", "label", "more"])
        var rule = standard(schema: schema)
        func field(_ key: String, numeric: Bool = false) throws(PipelineFailure) -> Int? {
            guard let node = keys[key] else { return nil }
            let index = try DatasetLoader.fieldIndex(node, in: schema)
            let name = schema.fields[index].name
            if numeric, !schema.fields[index].type.isNumeric {
                throw node.fail("expected a number field to order the rows by, found '\(name)' (\(schema.fields[index].type.rawValue))")
            }
            return index
        }
        if let rows = keys["rows"] { rule.rows = try RowSelector.list(rows, schema: schema) }
        rule.by = try field("by", numeric: true)
        if let index = try field("period") { rule.period = index }
        if let node = keys["count"] {
            rule.count = try node.integer()
            guard (1...20).contains(rule.count) else { throw node.fail("expected a number of rows from 1 to 20, found \(rule.count)") }
        }
        if let node = keys["label"] {
            rule.label = try DatasetLoader.fieldNames(node, in: schema).compactMap(schema.index(of:))
        }
        if let node = keys["more"] { rule.more = try PipelineLoader.localized(node) }
        return rule
    }
}
