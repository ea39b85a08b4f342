extension SourceType {
    /// `type: ndjson` (one JSON object per line).
    static let ndjson = SourceType(
        name: "ndjson", options: [SourceOption("maximumLineBytes", .wholeNumber), SourceOption("maximumDepth", .wholeNumber)]
    ) { source throws(PipelineFailure) in
        NDJSONExtractor(
            path: source.path, displayPath: source.shownPath, fields: source.fields,
            maximumLineBytes: try source.positive("maximumLineBytes", default: NDJSONExtractor.defaultMaximumLineBytes),
            maximumDepth: try source.positive("maximumDepth", default: JSONExtractor.defaultMaximumDepth))
    }
}
