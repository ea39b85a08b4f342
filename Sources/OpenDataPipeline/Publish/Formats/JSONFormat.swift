/// Records with the dataset's metadata, and their JSON Schema: `data/<id>.json`, `data/<id>.schema.json`.
struct JSONFormat: OutputFormat {
    static let dataFile = OutputFile(
        name: "json", suffix: ".json", mediaType: "application/json", packageFormat: "json", label: LocalizedText(vi: "JSON", en: "JSON"))
    static let schemaFile = OutputFile(
        name: "schema", suffix: ".schema.json", mediaType: "application/schema+json", packageFormat: "json",
        label: LocalizedText(vi: "JSON Schema", en: "JSON Schema"), metadataKey: "schema")

    var id: String { "json" }
    var file: OutputFile? { Self.dataFile }
    var companions: [OutputFile] { [Self.schemaFile] }
    func isDefault(for dataset: Dataset) -> Bool { true }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? {
        try JSONWriter(schema: dataset.schema, path: path)
    }

    func writeCompanion(_ companion: OutputFile, _ metadata: DatasetMetadata, to path: String) throws(PipelineFailure) -> Int {
        var bytes = try JSONWriter.serialize(
            MetadataDocument.jsonSchema(metadata.dataset, pipeline: metadata.pipeline),
            path: companion.path(for: metadata.dataset.id), pretty: true)
        bytes.append(0x0A)
        return try BufferedFileWriter.write(bytes, to: path)
    }
}

extension PublishFormat {
    static let json = PublishFormat(JSONFormat())
}
