import Foundation

/// How a dataset compares with the current release.
public enum DatasetChange: String, Sendable, Codable {
    /// Not in the current release.
    case new
    /// Its rows changed.
    case revised
    /// Same rows, changed metadata (titles, fields, sources…).
    case metadata
    /// Nothing changed: its files are byte for byte the current ones.
    case unchanged
}

/// Publishes one dataset into its pipeline's folder: runs its flow into the
/// writers of its formats, compares it with the current release (data hash,
/// metadata hash, revision) and dates it, so that an unchanged dataset keeps
/// its dates and only a real change becomes a feed entry.
struct DatasetPublisher {
    let pipeline: Pipeline
    let release: ReleaseInfo
    let folder: URL
    /// The same pipeline's folder in the current release, and its manifest entry.
    let previousFolder: URL?
    let previousEntry: ReleaseManifest.PipelineEntry?
    var progress: (@Sendable (RunProgress) -> Void)?
    var collector: ValidationCollector?

    private var now: String { FeedDate.rfc3339(release.date, in: pipeline.timeZone) }

    struct DatasetResult {
        var files: [PublishedFile]
        var dates: DatasetDates
        var entry: ReleaseManifest.DatasetEntry
        var change: DatasetChange
        var revision: DatasetRevision?
        var feedEntries: [FeedEntry]
        var changelog: [String: Any]
        /// The dataset's figures in words (its feed sentence over the first rows), for its page.
        var headline: LocalizedText?
    }

    func publish(_ dataset: Dataset, tables: PipelineTables) throws(PipelineFailure) -> DatasetResult {
        var writers: [any DatasetWriter] = []
        var csv: CSVWriter?
        var json: JSONWriter?
        var jsonStat: JSONStatWriter?
        for format in dataset.formats where format != .rss {
            let relative = "data/\(dataset.id)\(format.fileSuffix)"
            let path = folder.appendingPathComponent(relative).path
            switch format {
            case .csv:
                let writer = try CSVWriter(schema: dataset.schema, path: path, relativePath: relative)
                csv = writer
                writers.append(writer)
            case .excel: writers.append(try CSVWriter(schema: dataset.schema, path: path, relativePath: relative, style: .excel))
            case .json:
                let writer = try JSONWriter(schema: dataset.schema, path: path, relativePath: relative)
                json = writer
                writers.append(writer)
            case .ndjson: writers.append(try NDJSONWriter(schema: dataset.schema, path: path, relativePath: relative))
            case .jsonstat:
                let writer = JSONStatWriter(schema: dataset.schema, primaryKey: dataset.primaryKey, path: path, relativePath: relative)
                jsonStat = writer
                writers.append(writer)
            case .rss: break
            }
        }
        // Whether the data changed has one meaning: the hash of the canonical rows, whatever formats are published.
        let hasher = ContentHasher(schema: dataset.schema)
        // Without a published CSV, the canonical rows are written aside (outside the release) for the revision.
        let previousCSV = previousFolder.map { $0.appendingPathComponent("data/\(dataset.id).csv").path }
            .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        var aside: CSVWriter?
        let asidePath = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-rows-\(UUID().uuidString).csv").path
        if csv == nil, previousCSV != nil {
            aside = try CSVWriter(schema: dataset.schema, path: asidePath, relativePath: "")
        }
        defer { if aside != nil { try? FileManager.default.removeItem(atPath: asidePath) } }
        let summary = FeedSummary()
        let report = progress
        let pipelineID = pipeline.id
        let rows = try DatasetFlow(dataset: dataset, collector: collector, tables: tables).run(into: writers + ([hasher, summary, aside] as [(any DatasetWriter)?]).compactMap { $0 }) { read in
            report?(RunProgress(pipeline: pipelineID, dataset: dataset.id, rowsRead: read))
        }

        // Compare with the current release.
        let dataHash = hasher.digest
        _ = try aside?.finish()
        // The CSV is complete before it is compared; the other writers finish once the dates are known.
        let csvFile = try csv?.finish()
        let currentRowsCSV = csv == nil ? asidePath : folder.appendingPathComponent("data/\(dataset.id).csv").path

        let metadataHash = try Digest.sha256(
            JSONWriter.serialize(MetadataDocument.datasetDescription(dataset, pipeline: pipeline), path: dataset.id))
        let previous = previousEntry?.datasets[dataset.id]
        var change: DatasetChange =
            switch previous {
            case nil: .new
            case let previous? where previous.dataSHA256 != dataHash: .revised
            case let previous? where previous.metadataSHA256 != metadataHash: .metadata
            default: .unchanged
            }
        // The revision, from the previous release's rows and the canonical rows of this run. Rows whose
        // values are all as before (a hash of another kind, rows in another order) are not a revision.
        var revision: DatasetRevision?
        if change == .revised, let previousCSV {
            revision = try RevisionComparer.compare(
                previousCSV: previousCSV, currentCSV: currentRowsCSV, schema: dataset.schema, primaryKey: dataset.primaryKey)
            if revision?.isEmpty == true {
                change = .metadata
                revision = nil
            }
        }
        let dataChanged = change == .new || change == .revised
        let dates = DatasetDates(
            data: dataChanged ? now : (previous?.dataModified ?? now),
            metadata: change == .unchanged ? (previous?.metadataModified ?? now) : now)
        let dataRelease = dataChanged ? release.id : (previous?.dataRelease ?? release.id)

        json?.metadata = MetadataDocument.dataset(dataset, pipeline: pipeline, release: dataRelease, dates: dates)
        jsonStat?.metadata = [
            "label": dataset.title.en, "source": dataset.sources.map(\.title).joined(separator: "; "),
            "updated": dates.data, "href": "\(pipeline.folderURL)/data/\(dataset.id).jsonstat.json",
        ]
        var files: [PublishedFile] = []
        for writer in writers {
            let file = try (writer as AnyObject) === csv ? csvFile! : writer.finish()
            if !file.path.isEmpty { files.append(file) }
        }
        if dataset.formats.contains(.json) {
            let relative = "data/\(dataset.id).schema.json"
            var bytes = try JSONWriter.serialize(MetadataDocument.jsonSchema(dataset, pipeline: pipeline), path: relative, pretty: true)
            bytes.append(0x0A)
            let count = try BufferedFileWriter.write(bytes, to: folder.appendingPathComponent(relative).path)
            files.append(PublishedFile(path: relative, format: .json, bytes: count, mediaType: "application/schema+json"))
        }

        var feedEntries: [FeedEntry] = []
        if dataChanged, rows > 0, dataset.formats.contains(.rss), let template = dataset.feedTemplate {
            feedEntries.append(feedEntry(dataset, template: template, summary: summary, revision: revision, files: files))
        }
        let entry = ReleaseManifest.DatasetEntry(
            dataSHA256: dataHash, metadataSHA256: metadataHash, dataModified: dates.data, metadataModified: dates.metadata,
            dataRelease: dataRelease, files: files.map(\.path), rows: rows)
        // An empty dataset (allowEmpty) has no sentence: a feed item never states nothing.
        let headline = dataset.feedTemplate.flatMap { template in rows == 0 ? nil : template }.map { template in
            LocalizedText(vi: summary.sentence(template, language: .vi), en: summary.sentence(template, language: .en))
        }
        return DatasetResult(
            files: files, dates: dates, entry: entry, change: change, revision: revision, feedEntries: feedEntries,
            changelog: ChangeDescription.changelog(dataset: dataset, change: change, rows: rows, revision: revision),
            headline: headline)
    }

    private func feedEntry(
        _ dataset: Dataset, template: FeedTemplate, summary: FeedSummary, revision: DatasetRevision?, files: [PublishedFile]
    ) -> FeedEntry {
        let host = URL(string: pipeline.baseURL)?.host ?? "localhost"
        let day = FeedDate.day(release.date, in: pipeline.timeZone)
        // A person opens the enclosure: the formula-safe Excel CSV when there is one.
        let main = files.first { $0.format == .excel } ?? files.first { $0.format == .csv } ?? files.first
        var text: [String: String] = [:]
        for language in Language.allCases {
            if let revision, !revision.isEmpty {
                text[language.rawValue] = ChangeDescription.sentence(revision, dataset: dataset, language: language)
            } else {
                text[language.rawValue] = summary.sentence(template, language: language)
            }
        }
        return FeedEntry(
            id: "tag:\(host),\(day):\(pipeline.id)/\(dataset.id)/\(release.id)",
            pipeline: pipeline.id, dataset: dataset.id, release: release.id,
            timestamp: release.date.timeIntervalSince1970, timeZone: pipeline.timeZone.identifier,
            title: ["vi": dataset.title.vi, "en": dataset.title.en],
            summary: text,
            // The dataset's page, in each language; the data file for people is the enclosure.
            link: "\(pipeline.folderURL)/\(dataset.id).html",
            pages: ["vi": "\(pipeline.folderURL)/\(dataset.id).html", "en": "\(pipeline.folderURL)/\(dataset.id).en.html"],
            enclosures: main.map { [.init(url: "\(pipeline.folderURL)/\($0.path)", bytes: $0.bytes, type: $0.mediaType)] } ?? [])
    }
}
