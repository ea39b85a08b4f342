public import Foundation

/// A loaded, checked pipeline: its metadata and its datasets, each with the
/// stages that make it. Built by ``PipelineLoader`` from a file in `Pipelines/`.
public struct Pipeline: Sendable {
    /// The id; it names the pipeline's folder in every release, so it is part of its URLs.
    public var id: String
    public var title: LocalizedText
    public var description: LocalizedText
    public var publisher: Publisher
    public var license: License
    /// The published site's root, e.g. `https://opendata.hanoi.gov.vn`; links in feeds start here.
    public var baseURL: String
    /// The zone in which feed dates are written, e.g. `Asia/Ho_Chi_Minh`.
    public var timeZone: TimeZone
    /// Where the figures come from.
    public var sources: [Citation]
    public var datasets: [Dataset]
    /// The pipeline file, as shown to the user.
    public var file: String
    /// The pipeline file's path, for its fingerprint.
    public var filePath: String
    /// Its announced releases (`calendar:`), in declaration order.
    public var calendar: [CalendarEntry] = []
    /// Whether the pipeline's datasets are also published as one SQLite database (`database:`, on by default).
    public var publishesDatabase = true

    /// The URL of this pipeline's folder in the published site.
    public var folderURL: String { "\(baseURL)/\(id)" }
}

/// Who publishes the data.
public struct Publisher: Sendable, Hashable {
    public var name: String
    public var url: String?
}

/// The licence of the published data.
public struct License: Sendable, Hashable {
    /// An SPDX-style identifier, e.g. `CC-BY-4.0`.
    public var name: String
    public var title: String?
    public var path: String?
}

/// A source the figures are taken from.
public struct Citation: Sendable, Hashable {
    public var title: String
    public var path: String?
}

/// One dataset of a pipeline: where its rows come from, what happens to them,
/// and how they are published.
public struct Dataset: Sendable {
    /// The id; it names the dataset's files (`data/<id>.csv`), so it is part of their URLs.
    public var id: String
    public var title: LocalizedText
    public var description: LocalizedText
    /// Which values are illustrative sample data rather than published figures, if any.
    public var illustrative: LocalizedText?
    /// Which figures ``illustrative`` is about; nil: every figure (see ``FigureSelection``).
    public var illustrativeFigures: FigureSelection?
    public var sources: [Citation]
    public var extractor: any Extractor
    public var transforms: [any Transform]
    /// The schema of the published rows.
    public var schema: TableSchema
    /// The formats it is published in (``OutputFormats``); `datapackage.json` is always written.
    public var formats: [PublishFormat]
    /// How a feed item states this dataset's figures, row by row.
    public var feedTemplate: FeedTemplate?
    /// Whether the dataset's page shows a chart.
    public var chart: Bool = true
    /// How the headline chooses the rows it states (``HeadlineRule``).
    public var headline = HeadlineRule()
    /// The fields that identify a published row (Table Schema `primaryKey`): revisions
    /// are described by it, and JSON-stat uses it as dimensions; empty when none.
    public var primaryKey: [String] = []
    /// Groups of fields whose values, taken together, appear at most once (Table Schema v2 `uniqueKeys`).
    public var uniqueKeys: [[String]] = []
    /// Fields whose values must be keys of an earlier dataset of the pipeline.
    public var foreignKeys: [ForeignKey] = []
    /// Cell texts that mean "no value" in the source (Table Schema `missingValues`).
    public var missingValues: [String] = [""]
    /// Assertions the published rows must satisfy before anything is published.
    public var tests: [DataTest] = []
    /// Whether zero published rows is a valid result (`allowEmpty: true`); otherwise it is an error.
    public var allowEmpty = false
    /// The source's fields as declared (with their number formats), for the checks of what it yields.
    public var sourceFields: [SourceField] = []
}

/// A Table Schema foreign key: `fields` of this dataset must match
/// `referencedFields` of a row of `dataset` (this one when it is nil).
public struct ForeignKey: Sendable, Hashable {
    public var fields: [String]
    public var dataset: String
    public var referencedFields: [String]
}
