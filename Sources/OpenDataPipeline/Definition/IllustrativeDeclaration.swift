/// Which published figures a dataset's `illustrative:` note is about:
///
///     illustrative:
///       vi: …
///       en: …
///       rows: [{service_level: 1}, {service_level: 2}]   # every figure of these rows
///       fields: [share_percent]                          # every value of these fields
///
/// A figure is illustrative when its row matches one of `rows` or its field is
/// one of `fields`. Without either, every figure of the dataset is taken as
/// illustrative (the note alone cannot say which). An empty list selects
/// nothing, so `rows: []` says that no published figure is illustrative (the
/// note is about the records behind them).
public struct FigureSelection: Sendable, Hashable, Codable {
    public var fields: [String]?
    public var rows: [RowSelector]?

    public init(fields: [String]? = nil, rows: [RowSelector]? = nil) {
        self.fields = fields
        self.rows = rows
    }

    /// Whether the field `name` of the row whose fields' canonical texts `text` gives is selected.
    public func selects(field name: String, row text: (String) -> String?) -> Bool {
        if fields?.contains(name) == true { return true }
        return rows?.contains { $0.matches(text) } == true
    }
}

enum IllustrativeDeclaration {
    /// The note in both languages, and the figures it is about (nil: all of them).
    static func load(_ node: DefinitionNode, schema: TableSchema) throws(PipelineFailure) -> (LocalizedText, FigureSelection?) {
        let keys = try node.mapping(allowed: ["vi", "en", "rows", "fields"])
        let text = LocalizedText(vi: try keys.required("vi").nonEmptyString(), en: try keys.required("en").nonEmptyString())
        guard keys["rows"] != nil || keys["fields"] != nil else { return (text, nil) }
        var selection = FigureSelection()
        if let fields = keys["fields"] {
            selection.fields =
                try fields.sequence().isEmpty ? [] : try DatasetLoader.fieldNames(fields, in: schema)
        }
        if let rows = keys["rows"] { selection.rows = try RowSelector.list(rows, schema: schema) }
        return (text, selection)
    }
}
