extension SourceType {
    /// `type: sqlite` (the rows of a read-only query).
    static let sqlite = SourceType(name: "sqlite", options: [SourceOption("query", .text)]) { source throws(PipelineFailure) in
        let queryNode = try source.required("query")
        let extractor = SQLiteExtractor(
            path: source.path, displayPath: source.shownPath, query: try queryNode.nonEmptyString(), fields: source.fields)
        // Prepared against the database (opened read-only) when it is there; a missing file is a run-time error.
        if let problem = extractor.queryProblem() { throw queryNode.fail(problem) }
        return extractor
    }
}
