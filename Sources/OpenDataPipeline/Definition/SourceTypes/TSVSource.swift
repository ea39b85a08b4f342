extension SourceType {
    /// `type: tsv` (IANA text/tab-separated-values): one record a line, fields split
    /// at tabs, no quoting (a quote is text; a field cannot hold a tab or a line break),
    /// a header on the first line. Read by the CSV reader, so encodings, cell limits,
    /// typing and the structure checks are CSV's.
    static let tsv = SourceType(name: "tsv", options: [SourceOption("encoding", .text)], tabular: true) {
        source throws(PipelineFailure) in
        var dialect = CSVDialect(delimiter: UInt8(ascii: "\t"), quote: nil)
        if let node = source["encoding"] { dialect.encoding = try textEncoding(node) }
        var extractor = CSVExtractor(path: source.path, displayPath: source.shownPath, dialect: dialect, fields: source.fields)
        extractor.missingValues = source.missingValues
        return extractor
    }
}
