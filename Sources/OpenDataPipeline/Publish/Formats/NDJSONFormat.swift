/// One JSON record a line: `data/<id>.ndjson`.
struct NDJSONFormat: OutputFormat {
    static let dataFile = OutputFile(
        name: "ndjson", suffix: ".ndjson", mediaType: "application/x-ndjson", packageFormat: "ndjson",
        label: LocalizedText(vi: "NDJSON", en: "NDJSON"))

    var id: String { "ndjson" }
    var file: OutputFile? { Self.dataFile }
    func isDefault(for dataset: Dataset) -> Bool { true }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? {
        try NDJSONWriter(schema: dataset.schema, path: path)
    }
}

extension PublishFormat {
    static let ndjson = PublishFormat(NDJSONFormat())
}
