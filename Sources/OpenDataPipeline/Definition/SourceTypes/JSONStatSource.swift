extension SourceType {
    /// `type: json-stat` (a JSON-stat 2.0 dataset or collection, or a 1.x bundle).
    static let jsonStat = SourceType(
        name: "json-stat",
        options: [
            SourceOption("dataset", .wholeNumber), SourceOption("maximumBytes", .wholeNumber),
            SourceOption("maximumCells", .wholeNumber),
        ]
    ) { source throws(PipelineFailure) in
        var dataset = 0
        if let datasetNode = source["dataset"] {
            dataset = try datasetNode.integer()
            guard dataset >= 0 else { throw datasetNode.fail("expected the 0-based position of a dataset in the collection") }
        }
        return JSONStatExtractor(
            path: source.path, displayPath: source.shownPath, dataset: dataset, fields: source.fields,
            maximumBytes: try source.positive("maximumBytes", default: JSONExtractor.defaultMaximumBytes),
            maximumCells: try source.positive("maximumCells", default: JSONStatExtractor.defaultMaximumCells))
    }
}
