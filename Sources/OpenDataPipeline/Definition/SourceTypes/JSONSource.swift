extension SourceType {
    /// `type: json` (an array of records in one document).
    static let json = SourceType(
        name: "json",
        options: [
            SourceOption("records", .text), SourceOption("maximumBytes", .wholeNumber),
            SourceOption("maximumDepth", .wholeNumber),
        ]
    ) { source throws(PipelineFailure) in
        let records = try source["records"]?.string() ?? ""
        if let node = source["records"], let problem = JSONExtractor.pointerProblem(records) {
            throw node.fail("expected a JSON Pointer such as /data/items ('' for the whole document): \(problem)")
        }
        for (node, field) in try source.fieldNodes() {
            if let from = field.from, from.hasPrefix("/"), let problem = JSONExtractor.pointerProblem(from) { throw node.fail(problem) }
        }
        return JSONExtractor(
            path: source.path, displayPath: source.shownPath, records: records, fields: source.fields,
            maximumBytes: try source.positive("maximumBytes", default: JSONExtractor.defaultMaximumBytes),
            maximumDepth: try source.positive("maximumDepth", default: JSONExtractor.defaultMaximumDepth))
    }
}
