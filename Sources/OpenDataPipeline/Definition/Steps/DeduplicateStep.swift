extension StepType {
    static let deduplicate = StepType("deduplicate") { loader, body in
        try Deduplicate(by: try loader.names(body), input: loader.schema)
    }
}
