/// RFC 4180 CSV, UTF-8 without a byte order mark, for programs: `data/<id>.csv`.
/// The dataset's main table: its pages, its preview and its revisions are read from it.
struct CSVFormat: OutputFormat {
    static let dataFile = OutputFile(
        name: "csv", suffix: ".csv", mediaType: "text/csv", mediaTypeParameters: ["header=present"], packageFormat: "csv",
        label: LocalizedText(vi: "CSV cho chương trình máy tính", en: "CSV for programs"),
        dialect: DataPackage.Dialect(header: true, delimiter: ",", lineTerminator: "\r\n"), isMainTable: true, personRank: 1)

    var id: String { "csv" }
    var file: OutputFile? { Self.dataFile }
    func isDefault(for dataset: Dataset) -> Bool { true }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? {
        try CSVWriter(schema: dataset.schema, path: path)
    }
}

extension PublishFormat {
    static let csv = PublishFormat(CSVFormat())
}
