/// JSON-stat 2.0, for statistical tools: `data/<id>.jsonstat.json`. Its dimensions are the
/// primary key, so it is published by default only by a dataset that declares one.
struct JSONStatFormat: OutputFormat {
    static let dataFile = OutputFile(
        name: "jsonstat", suffix: ".jsonstat.json", mediaType: "application/json", packageFormat: "json",
        label: LocalizedText(vi: "JSON-stat", en: "JSON-stat"))

    var id: String { "jsonstat" }
    var file: OutputFile? { Self.dataFile }
    func isDefault(for dataset: Dataset) -> Bool { !dataset.primaryKey.isEmpty }

    func refusal(for dataset: Dataset) -> String? {
        dataset.primaryKey.isEmpty ? "JSON-stat needs a 'primaryKey': the fields that identify a row become its dimensions" : nil
    }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? {
        JSONStatWriter(schema: dataset.schema, primaryKey: dataset.primaryKey, path: path)
    }
}

extension PublishFormat {
    static let jsonstat = PublishFormat(JSONStatFormat())
}
