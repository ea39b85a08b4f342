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
        /// The dataset's figures in words (``Headline``), for its page and `datapackage.json`.
        var headline: LocalizedText?
        /// What is illustrative, provisional or estimated (``FigureMarks/note(statusCounts:statusName:)``).
        var figureNote: LocalizedText?
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
        // The vintages are updated from the canonical rows too.
        if !publishesCSV {
            aside = try CSVWriter(schema: dataset.schema, path: asidePath)
        }
        defer { if aside != nil { try? FileManager.default.removeItem(atPath: asidePath) } }
        // The plain CSV's writer (published, or written aside) hashes the rows as it formats them.
        guard let plainCSV = writers.lazy.compactMap({ $0.writer as? CSVWriter }).first(where: { $0.style == .plain }) ?? aside else {
            preconditionFailure("a dataset without a published CSV writes one aside")
        }
        plainCSV.contentHasher = hasher
        let headline = Headline(dataset: dataset)
        let marks = FigureMarks(dataset: dataset)
        let statuses = FigureStatusCounter(statusField: marks.statusField)
        let report = progress
        let pipelineID = pipeline.id
        let observers: [(any RowSink)?] = [headline, statuses, aside] + also
        let rows = try DatasetFlow(dataset: dataset, collector: collector, tables: tables).run(
            into: writers.map(\.writer) + observers.compactMap { $0 }
        ) { read in
            report?(RunProgress(pipeline: pipelineID, dataset: dataset.id, rowsRead: read))
        }

        if headline.matchedNothing, rows > 0 {
            collector?.add(
                ValidationIssue(
                    .stepError, severity: .warning, location: SourceLocation(file: pipeline.file, field: "\(dataset.id).headline.rows"),
                    message: "the headline's rows match none of the \(rows) published rows; the headline states the rows it would without 'rows'",
                    rule: "headline"))
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
            // The metadata's date moves only when the metadata changed, not when only the rows did.
            metadata: previous.flatMap { $0.metadataSHA256 == metadataHash ? $0.metadataModified : nil } ?? now)
        let dataRelease = dataChanged ? release.id : (previous?.dataRelease ?? release.id)

        let values = DatasetVintages.values(rows: max(rows, previous?.rows ?? 0), dataset: dataset)
        if change == .unchanged, let previousFolder, try DatasetVintages.copy(dataset.id, from: previousFolder, to: folder) {
            // The same rows and metadata: the vintages are the previous release's, byte for byte.
        } else if values <= DatasetVintages.maximumValues {
            try DatasetVintages.carriedForward(
                dataset: dataset, previousFolder: previousFolder, previous: previous, previousCSV: previousCSV, rowsCSV: currentRowsCSV,
                time: now, release: release.id, note: release.note
            ).write(pipelineFolder: folder)
        } else {
            collector?.add(
                ValidationIssue(
                    .stepError, severity: .warning, location: SourceLocation(file: pipeline.file, field: "\(dataset.id)"),
                    message: "no vintages are kept for this dataset: its \(values) values are more than the \(DatasetVintages.maximumValues) "
                        + "whose history a run keeps; asof gives it only from the releases still kept", rule: "vintages"))
        }
        var metadata = DatasetMetadata(dataset: dataset, pipeline: pipeline, dataRelease: dataRelease, dates: dates)
        metadata.figureNote = marks.note(statusCounts: statuses.counts)
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

        // An empty dataset (allowEmpty) has no headline and no feed item: a feed item never states nothing.
        let sentences =
            rows == 0 ? nil : HeadlineSentences(dataset: dataset, headline: headline, marks: marks, codeTitles: DefaultSentence.codeTitles(pipeline))
        var feedEntries: [FeedEntry] = []
        if dataChanged, let sentences {
            // A revised provisional figure says so: the statuses of the revised rows, from this run's rows.
            let statuses =
                try revision.flatMap { revision throws(PipelineFailure) in
                    try marks.statusField.map { field throws(PipelineFailure) in
                        try RevisedStatus.read(
                            csv: currentRowsCSV, schema: dataset.schema, primaryKey: dataset.primaryKey, statusField: field, revision: revision)
                    }
                } ?? [:]
            feedEntries.append(feedEntry(dataset, sentences: sentences, rows: rows, revision: revision, statuses: statuses, files: files))
        }
        let entry = ReleaseManifest.DatasetEntry(
            dataSHA256: dataHash, metadataSHA256: metadataHash, dataModified: dates.data, metadataModified: dates.metadata,
            dataRelease: dataRelease, files: files.map(\.path), rows: rows)
        return DatasetResult(
            files: files, dates: dates, entry: entry, change: change, revision: revision, feedEntries: feedEntries,
            changelog: ChangeDescription.changelog(dataset: dataset, change: change, rows: rows, revision: revision),
            headline: sentences?.headline, figureNote: metadata.figureNote)
    }

    private func feedEntry(
        _ dataset: Dataset, sentences: HeadlineSentences, rows: Int, revision: DatasetRevision?, statuses: [[String]: String],
        files: [PublishedFile]
    ) -> FeedEntry {
        let host = URL(string: pipeline.baseURL)?.host ?? "localhost"
        let day = FeedDate.day(release.date, in: pipeline.timeZone)
        // A person opens the enclosure: the file a person wants most (the workbook, the formula-safe Excel CSV, then the CSV).
        let rank = files.map(\.kind.personRank).max()
        let main = files.first { $0.kind.personRank == rank }
        // A release that changes figures already published says so in its title; a declared correction says "Correction".
        let kind: FeedEntry.Kind? =
            release.correction ? .correction : (revision.map { $0.revisedCount > 0 || $0.removedCount > 0 } == true ? .revision : nil)
        var text: [String: String] = [:]
        var titles: [String: String] = [:]
        for language in Language.allCases {
            let sentence = sentences.feedText(language: language, rows: rows, revision: revision, statuses: statuses)
            text[language.rawValue] = ReleaseWording.withNote(sentence, note: release.note, language: language)
            titles[language.rawValue] = ReleaseWording.title(dataset.title[language], kind: kind, language: language)
        }
        return FeedEntry(
            id: "tag:\(host),\(day):\(pipeline.id)/\(dataset.id)/\(release.id)",
            pipeline: pipeline.id, dataset: dataset.id, release: release.id,
            timestamp: release.date.timeIntervalSince1970, timeZone: pipeline.timeZone.identifier,
            title: titles,
            summary: text,
            // The dataset's page, in each language; the data file for people is the enclosure.
            link: "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .vi))",
            pages: [
                "vi": "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .vi))",
                "en": "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .en))",
            ],
            enclosures: main.map { [.init(url: "\(pipeline.folderURL)/\($0.path)", bytes: $0.bytes, type: $0.kind.mediaType)] } ?? [],
            kind: kind, note: release.note)
    }
}
