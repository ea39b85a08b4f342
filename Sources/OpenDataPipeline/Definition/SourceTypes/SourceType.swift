import Foundation

/// A kind of source, named by a dataset's `source: {type: …}`: its option keys and
/// how it builds its extractor. Every type is listed once in ``SourceType/registry``.
struct SourceType: Sendable {
    /// The `type` value, e.g. `csv`.
    let name: String
    /// The keys this type reads besides ``SourceType/commonOptions``.
    let options: [SourceOption]
    /// Whether a field may pick a column by position (`column: N`).
    var tabular = false
    /// Whether the type reads a file named by `path` (a database server does not).
    var readsFile = true
    /// Builds the extractor once the options have the right kinds of value.
    let build: @Sendable (SourceDeclaration) throws(PipelineFailure) -> any Extractor

    init(
        name: String, options: [SourceOption], tabular: Bool = false, readsFile: Bool = true,
        build: @escaping @Sendable (SourceDeclaration) throws(PipelineFailure) -> any Extractor
    ) {
        self.name = name
        self.options = options
        self.tabular = tabular
        self.readsFile = readsFile
        self.build = build
    }

    /// The keys every type takes.
    static let commonOptions = [
        SourceOption("type", .text), SourceOption("path", .text), SourceOption("numberFormat", .text),
    ]

    /// Every key of this type, common ones first.
    var keys: [String] { (Self.commonOptions + options).map(\.key) }

    static func named(_ name: String) -> SourceType? {
        registry.first { $0.name == name }
    }
}

/// One option key of a source type and the kind of value it takes (checked before
/// the type reads it, and named in the error).
struct SourceOption: Sendable {
    enum Kind: Sendable {
        case text, wholeNumber, boolean
        /// A mapping or anything else: the type checks it itself.
        case structured
    }

    let key: String
    let kind: Kind

    init(_ key: String, _ kind: Kind) {
        self.key = key
        self.kind = kind
    }

    /// Refuses a value of the wrong kind, with the node's own message.
    func check(_ node: DefinitionNode) throws(PipelineFailure) {
        switch kind {
        case .text: _ = try node.string()
        case .wholeNumber: _ = try node.integer()
        case .boolean: _ = try node.boolean()
        case .structured: break
        }
    }
}

/// What a source type builds its extractor from: its options (already checked
/// against its keys), the resolved file and the declared fields.
struct SourceDeclaration {
    /// The `source:` mapping, for errors about the whole of it.
    let node: DefinitionNode
    let keys: DefinitionMapping
    /// The dataset's `fields:` list, for errors about one field.
    let fieldsNode: DefinitionNode
    /// The file to read, and as messages show it.
    let path: String
    let shownPath: String
    let fields: [SourceField]
    let missingValues: [String]
    /// The pipeline's `timeZone`, for sources whose values carry an instant.
    var timeZone = TimeZone(identifier: "UTC")!

    subscript(key: String) -> DefinitionNode? { keys[key] }

    func required(_ key: String) throws(PipelineFailure) -> DefinitionNode { try keys.required(key) }

    /// A positive whole number, or `value` when the key is absent.
    func positive(_ key: String, default value: Int) throws(PipelineFailure) -> Int {
        guard let node = keys[key] else { return value }
        let number = try node.integer()
        guard number > 0 else { throw node.fail("expected a positive number") }
        return number
    }

    /// `headerRows`: 1 to 20, default 1 (tables whose header spans rows).
    func headerRows() throws(PipelineFailure) -> Int {
        guard let node = keys["headerRows"] else { return 1 }
        let rows = try node.integer()
        guard (1...20).contains(rows) else { throw node.fail("expected 1 to 20 header rows") }
        return rows
    }

    /// The declared fields beside their nodes in `fields:`.
    func fieldNodes() throws(PipelineFailure) -> [(node: DefinitionNode, field: SourceField)] {
        Array(zip(try fieldsNode.sequence(), fields)).map { (node: $0.0, field: $0.1) }
    }
}
