extension SourceType {
    /// `type: csv` (RFC 4180 in a declared dialect, encoding and layout).
    static let csv = SourceType(
        name: "csv",
        options: [
            SourceOption("delimiter", .text), SourceOption("quote", .text), SourceOption("encoding", .text),
            SourceOption("headerLine", .wholeNumber), SourceOption("footerRows", .wholeNumber),
            SourceOption("commentPrefix", .text),
        ],
        tabular: true
    ) { source throws(PipelineFailure) in
        var dialect = CSVDialect()
        if let delimiterNode = source["delimiter"] {
            dialect.delimiter = try csvCharacter(delimiterNode, what: "one ASCII character such as ',', ';', '|' or a tab")
        }
        if let quoteNode = source["quote"] {
            dialect.quote = try csvCharacter(quoteNode, what: "one ASCII character such as '\"' or \"'\"")
        }
        guard dialect.quote != dialect.delimiter else {
            throw source.node.fail("the quote and the delimiter must differ")
        }
        if let encodingNode = source["encoding"] { dialect.encoding = try textEncoding(encodingNode) }
        var layout = CSVLayout()
        if let lineNode = source["headerLine"] {
            let line = try lineNode.integer()
            guard line >= 1 else { throw lineNode.fail("expected a line number from 1") }
            layout.headerLine = line
        }
        if let footerNode = source["footerRows"] {
            let count = try footerNode.integer()
            guard (0...CSVLayout.maximumFooterRows).contains(count) else {
                throw footerNode.fail("expected a number of rows from 0 to \(CSVLayout.maximumFooterRows)")
            }
            layout.footerRows = count
        }
        if let commentNode = source["commentPrefix"] {
            layout.commentPrefix = try commentNode.nonEmptyString()
        }
        var extractor = CSVExtractor(
            path: source.path, displayPath: source.shownPath, dialect: dialect, layout: layout, fields: source.fields)
        extractor.missingValues = source.missingValues
        return extractor
    }

    /// `encoding:` of a text source (`utf8` is taken for `utf-8`).
    static func textEncoding(_ node: DefinitionNode) throws(PipelineFailure) -> TextEncoding {
        let name = try node.string().lowercased()
        guard let encoding = TextEncoding(rawValue: name == "utf8" ? "utf-8" : name) else {
            throw node.fail("expected an encoding: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")), found '\(name)'")
        }
        return encoding
    }

    /// One ASCII character of a CSV dialect (not a line break).
    private static func csvCharacter(_ node: DefinitionNode, what: String) throws(PipelineFailure) -> UInt8 {
        let text = try node.string()
        let bytes = Array(text.utf8)
        guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != 0x0A, bytes[0] != 0x0D else {
            throw node.fail("expected \(what), found '\(text)'")
        }
        return bytes[0]
    }
}
