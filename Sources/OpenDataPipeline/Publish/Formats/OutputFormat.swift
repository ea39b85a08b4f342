import Foundation

/// An output format a dataset can be published in: declared in its own file
/// (``CSVFormat``, ``TSVFormat``…) and listed once in ``OutputFormats/all``.
/// The loader, the publisher, `datapackage.json`, the pages and the preview
/// server all read what a format is from here.
protocol OutputFormat: Sendable {
    /// The name in a dataset's `publish` list, e.g. `csv`.
    var id: String { get }
    /// The data file it publishes for each dataset; nil for a format that publishes none (feeds).
    var file: OutputFile? { get }
    /// Files written after every format's data file, and listed after them (JSON: its JSON Schema).
    var companions: [OutputFile] { get }
    /// Whether a dataset without a `publish` list is published in this format.
    func isDefault(for dataset: Dataset) -> Bool
    /// Why `dataset` cannot be published in this format, or nil: a definition error at the dataset.
    func refusal(for dataset: Dataset) -> String?
    /// A check of the published rows, run by `validate` and `run` alike, for values the format cannot hold.
    func check(for dataset: Dataset) -> (any Transform)?
    /// The writer of ``file``, writing to `path`; nil when ``file`` is nil.
    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)?
    /// Writes `companion` (one of ``companions``) to `path`; returns the bytes written.
    func writeCompanion(_ companion: OutputFile, _ metadata: DatasetMetadata, to path: String) throws(PipelineFailure) -> Int
}

extension OutputFormat {
    var companions: [OutputFile] { [] }
    func refusal(for dataset: Dataset) -> String? { nil }
    func check(for dataset: Dataset) -> (any Transform)? { nil }
    func writeCompanion(_ companion: OutputFile, _ metadata: DatasetMetadata, to path: String) throws(PipelineFailure) -> Int { 0 }
}

/// One kind of published file: how it is named, typed, labelled and described.
struct OutputFile: Sendable {
    /// The short name of the file for the developer page's model: the format's id for its data file.
    var name: String
    /// What follows the dataset id in the file name: `.excel.csv`.
    var suffix: String
    /// The IANA media type, in `datapackage.json`, the catalogues and the feeds' enclosures.
    var mediaType: String
    /// Media type parameters the preview server adds after the charset, e.g. `header=present`.
    var mediaTypeParameters: [String] = []
    /// The Data Package resource's `format`.
    var packageFormat: String
    /// The Data Package resource's `encoding`; nil for a binary file (a workbook).
    var encoding: String? = "utf-8"
    /// The link's text on the dataset's page.
    var label: LocalizedText
    /// How a table is laid out: a Data Package `tabular` resource with a Table Schema; nil for a JSON resource.
    var dialect: DataPackage.Dialect?
    /// The table named after the dataset in `datapackage.json` (its id): the one foreign keys refer
    /// to, with the headline, the row count and the chart setting; the pages are built from it.
    var isMainTable = false
    /// How much a person (not a program) wants this file: the feed item encloses the highest, and
    /// the dataset's page lists it first.
    var personRank = 0
    /// Added to the Vietnamese description of its resource.
    var descriptionNote: String?
    /// The key that gives this file's URL in the dataset's metadata (`schema`), for a companion.
    var metadataKey: String?
    /// The Data Package resource's `type` when it has no `dialect`: `json`, or `file` for a binary file.
    var resourceType = "json"

    /// The file's path under the pipeline's folder.
    func path(for datasetID: String) -> String { ReleaseLayout.dataFile(datasetID, suffix: suffix) }

    /// The HTTP `Content-Type` the preview server sends: a text file's charset is UTF-8.
    var contentType: String { ([mediaType] + (encoding == nil ? [] : ["charset=utf-8"]) + mediaTypeParameters).joined(separator: "; ") }
}

/// A format a dataset is published in, as its `publish` list names it: one of ``OutputFormats/all``.
public struct PublishFormat: Sendable, Hashable, CustomStringConvertible {
    let output: any OutputFormat

    init(_ output: any OutputFormat) {
        self.output = output
    }

    /// The name in a `publish` list, e.g. `csv`.
    public var id: String { output.id }
    public var description: String { id }
    var file: OutputFile? { output.file }

    public static func == (lhs: PublishFormat, rhs: PublishFormat) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// What a writer is handed when the rows are done and the dataset is dated.
struct DatasetMetadata {
    let dataset: Dataset
    let pipeline: Pipeline
    /// The release that last changed the rows.
    let dataRelease: String
    let dates: DatasetDates
    /// What is illustrative, provisional or estimated, in words (``FigureMarks``); nil when nothing is.
    var figureNote: LocalizedText?
}
