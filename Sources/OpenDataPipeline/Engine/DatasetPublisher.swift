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
        var changelog: ChangeLog.Dataset
        /// The dataset's figures in words (its feed sentence over the first rows), for its page.
        var headline: LocalizedText?
    }

    /// `also` are sinks of the pipeline's own files that take the dataset's rows (its table in the pipeline's database).
    func publish(_ dataset: Dataset, tables: PipelineTables, also: [any RowSink] = []) throws(PipelineFailure) -> DatasetResult {
        var writers: [(format: PublishFormat, file: OutputFile, writer: any DatasetWriter)] = []
        for format in dataset.formats {
            guard let file = format.file else { continue }
            let path = folder.appendingPathComponent(file.path(for: dataset.id)).path
            if let writer = try format.output.makeWriter(for: dataset, path: path) { writers.append((format, file, writer)) }
        }
        // The published plain CSV holds the canonical rows that a revision is described from.
        let publishesCSV = dataset.formats.contains(.csv)
        // Whether the data changed has one meaning: the hash of the canonical rows, whatever formats are published.
        let hasher = ContentHasher(schema: dataset.schema)
        // Without a published CSV, the canonical rows are written aside (outside the release) for the revision.
        let previousCSV = previousFolder.map { $0.appendingPathComponent(CSVFormat.dataFile.path(for: dataset.id)).path }
            .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        var aside: CSVWriter?
        let asidePath = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-rows-\(UUID().uuidString).csv").path
        if !publishesCSV, previousCSV != nil {
            aside = try CSVWriter(schema: dataset.schema, path: asidePath)
        }
        defer { if aside != nil { try? FileManager.default.removeItem(atPath: asidePath) } }
        let summary = FeedSummary()
        let report = progress
        let pipelineID = pipeline.id
        let observers: [(any RowSink)?] = [hasher, summary, aside] + also
        let rows = try DatasetFlow(dataset: dataset, collector: collector, tables: tables).run(
            into: writers.map(\.writer) + observers.compactMap { $0 }
        ) { read in
            report?(RunProgress(pipeline: pipelineID, dataset: dataset.id, rowsRead: read))
        }

        // Compare with the current release.
        let dataHash = hasher.digest
        try aside?.rowsEnded()
        // The CSV is complete before it is compared; the other writers finish once the dates are known.
        for entry in writers { try entry.writer.rowsEnded() }
        let currentRowsCSV = publishesCSV ? folder.appendingPathComponent(CSVFormat.dataFile.path(for: dataset.id)).path : asidePath

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

        let metadata = DatasetMetadata(dataset: dataset, pipeline: pipeline, dataRelease: dataRelease, dates: dates)
        var files: [PublishedFile] = []
        for entry in writers {
            let bytes = try entry.writer.finish(metadata)
            files.append(PublishedFile(path: entry.file.path(for: dataset.id), format: entry.format, bytes: bytes, kind: entry.file))
        }
        // Companions (a JSON Schema) come after every data file.
        for format in dataset.formats {
            for companion in format.output.companions {
                let relative = companion.path(for: dataset.id)
                let bytes = try format.output.writeCompanion(companion, metadata, to: folder.appendingPathComponent(relative).path)
                files.append(PublishedFile(path: relative, format: format, bytes: bytes, kind: companion))
            }
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
        // A person opens the enclosure: the file a person wants most (the workbook, the formula-safe Excel CSV, then the CSV).
        let rank = files.map(\.kind.personRank).max()
        let main = files.first { $0.kind.personRank == rank }
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
            link: "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .vi))",
            pages: [
                "vi": "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .vi))",
                "en": "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .en))",
            ],
            enclosures: main.map { [.init(url: "\(pipeline.folderURL)/\($0.path)", bytes: $0.bytes, type: $0.kind.mediaType)] } ?? [])
    }
}
