extension SourceType {
    /// `type: sdmx` (SDMX-ML 2.1 structure-specific or generic data).
    static let sdmx = SourceType(name: "sdmx", options: []) { source throws(PipelineFailure) in
        SDMXExtractor(path: source.path, displayPath: source.shownPath, fields: source.fields)
    }
}
