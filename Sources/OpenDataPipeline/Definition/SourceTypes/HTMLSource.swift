import LibXML

extension SourceType {
    /// `type: html` (one table of a page).
    static let html = SourceType(
        name: "html",
        options: [
            SourceOption("table", .structured), SourceOption("headerRows", .wholeNumber),
            SourceOption("maximumBytes", .wholeNumber), SourceOption("maximumCells", .wholeNumber),
        ],
        tabular: true
    ) { source throws(PipelineFailure) in
        let tableNode = try source.required("table")
        let choice = try tableNode.mapping(allowed: ["id", "caption", "xpath"])
        let selector: HTMLTableExtractor.Selector
        switch (choice["id"], choice["caption"], choice["xpath"]) {
        case let (id?, nil, nil): selector = .id(try id.nonEmptyString())
        case let (nil, caption?, nil): selector = .caption(try caption.nonEmptyString())
        case let (nil, nil, xpath?):
            let expression = try xpath.nonEmptyString()
            do {
                _ = try XPathQuery(expression)
            } catch {
                throw xpath.fail("\(error)")
            }
            selector = .xpath(expression)
        default: throw tableNode.fail("expected exactly one of id, caption or xpath")
        }
        var extractor = HTMLTableExtractor(
            path: source.path, displayPath: source.shownPath, table: selector, headerRows: try source.headerRows(),
            fields: source.fields, maximumBytes: try source.positive("maximumBytes", default: HTMLTableExtractor.defaultMaximumBytes))
        extractor.maximumCells = try source.positive("maximumCells", default: HTMLTable.defaultMaximumCells)
        return extractor
    }
}
