extension SourceType {
    /// `type: xlsx` (one sheet of an Office Open XML workbook).
    static let xlsx = SourceType(
        name: "xlsx",
        options: [
            SourceOption("sheet", .text), SourceOption("range", .text), SourceOption("headerRows", .wholeNumber),
            SourceOption("maximumPartBytes", .wholeNumber), SourceOption("maximumCompressionRatio", .wholeNumber),
        ],
        tabular: true
    ) { source throws(PipelineFailure) in
        var range: CellRange?
        if let rangeNode = source["range"] {
            let text = try rangeNode.nonEmptyString()
            guard let parsed = CellRange(text) else { throw rangeNode.fail("expected a cell range such as A3:F200, found '\(text)'") }
            range = parsed
        }
        return XLSXExtractor(
            path: source.path, displayPath: source.shownPath, sheet: try source["sheet"]?.nonEmptyString(), range: range,
            headerRows: try source.headerRows(), fields: source.fields,
            maximumPartBytes: try source.positive("maximumPartBytes", default: XLSXExtractor.defaultMaximumPartBytes),
            maximumCompressionRatio: try source.positive(
                "maximumCompressionRatio", default: XLSXExtractor.defaultMaximumCompressionRatio))
    }
}
