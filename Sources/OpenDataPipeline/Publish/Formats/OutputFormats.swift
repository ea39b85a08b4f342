/// Every output format, one line each. A dataset without a `publish` list gets
/// those that are on by default, in this order (the order of its files in
/// `datapackage.json`). Adding a format: its own file and a line here.
public enum OutputFormats {
    static let all: [PublishFormat] = [
        .csv,
        .excel,
        .json,
        .ndjson,
        .jsonstat,
        .rss,
        .tsv,
        .xlsx,
    ]

    /// The format a `publish` list names `id`, if there is one.
    static func named(_ id: String) -> PublishFormat? {
        all.first { $0.id == id }
    }

    /// Every kind of published file: each format's data file and its companions.
    static let files: [OutputFile] = all.flatMap { ($0.file.map { [$0] } ?? []) + $0.output.companions }

    /// The kind of the file at `path` (under a pipeline's folder) of the dataset `datasetID`, if it is one.
    static func file(at path: String, dataset datasetID: String) -> OutputFile? {
        files.first { $0.path(for: datasetID) == path }
    }

    /// Whether the resource `name` at `path` is its dataset's main table (the one the pages show).
    static func isMainTable(name: String, path: String) -> Bool {
        file(at: path, dataset: name)?.isMainTable == true
    }

    /// The HTTP `Content-Type` of a dataset's file in `data/`, named `<dataset id><suffix>`, if it is one.
    public static func contentType(ofDataFile fileName: String) -> String? {
        guard let dot = fileName.firstIndex(of: ".") else { return nil }
        let suffix = fileName[dot...]
        return files.first { $0.suffix == suffix }?.contentType
    }
}
