extension StepType {
    static let filter = StepType("filter") { loader, body in
        try FilterRows(try StepLoader.compile(body, schema: loader.schema), input: loader.schema)
    }
}
