extension StepType {
    static let sort = StepType("sort") { loader, body in try SortRows(by: try loader.names(body), input: loader.schema) }
}
