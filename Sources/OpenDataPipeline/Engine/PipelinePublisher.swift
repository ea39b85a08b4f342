import Foundation
import Logging

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

/// What publishing one pipeline produced.
struct PipelineOutcome {
    var reports: [RunReport.DatasetReport]
    var entry: ReleaseManifest.PipelineEntry
    /// False when every dataset and the pipeline's metadata are as in the current release.
    var changed: Bool
    var feedEntries: [FeedEntry]
}

/// Writes one pipeline's folder of a release: each dataset's data files, the
/// `datapackage.json` describing them, the changelog, the feed history and
/// the feeds. Compares every dataset with the current release, so that an
/// unchanged dataset keeps its dates (and so its exact bytes) and only real
/// changes become feed entries.
struct PipelinePublisher {
    let pipeline: Pipeline
    let release: ReleaseInfo
    let folder: URL
    /// The same pipeline's folder in the current release, and its manifest entry.
    let previousFolder: URL?
    let previousEntry: ReleaseManifest.PipelineEntry?
    let inputs: (fingerprint: String?, files: [ReleaseManifest.InputEntry])
    let logger: Logger
    var progress: (@Sendable (RunProgress) -> Void)?
    /// Collects every problem with the data, so that one run reports them all.
    var collector: ValidationCollector?

    private var now: String { FeedDate.rfc3339(release.date, in: pipeline.timeZone) }

    func publish() throws(PipelineFailure) -> PipelineOutcome {
        for sub in [ReleaseLayout.dataFolder, ReleaseLayout.feedsFolder] {
            let url = folder.appendingPathComponent(sub)
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw PipelineFailure.cannotPublish(path: url.path, reason: "cannot create the folder: \(error)")
            }
        }
        var reports: [RunReport.DatasetReport] = []
        var files: [String: [PublishedFile]] = [:]
        var dates: [String: DatasetDates] = [:]
        var datasetEntries: [String: ReleaseManifest.DatasetEntry] = [:]
        var newEntries: [FeedEntry] = []
        var changes: [ChangeLog.Dataset] = []
        var headlines: [String: LocalizedText] = [:]
        let tables = PipelineTables(
            wanted: pipeline.referencedDatasets, previousRelease: previousFolder,
            today: PipelineTables.day(of: release.date, in: pipeline.timeZone))
        for dataset in pipeline.datasets {
            collector?.begin(pipeline: pipeline.id, dataset: dataset.id)
            let result = try publish(dataset, tables: tables)
            collector?.finish(rows: result.entry.rows)
            headlines[dataset.id] = result.headline
            files[dataset.id] = result.files
            dates[dataset.id] = result.dates
            datasetEntries[dataset.id] = result.entry
            newEntries += result.feedEntries
            changes.append(result.changelog)
            reports.append(
                .init(pipeline: pipeline.id, dataset: dataset.id, rows: result.entry.rows, files: result.files, change: result.change,
                      revision: result.revision))
            logger.info(
                "dataset written",
                metadata: [
                    "pipeline": "\(pipeline.id)", "dataset": "\(dataset.id)", "rows": "\(result.entry.rows)",
                    "change": "\(result.change.rawValue)",
                ])
        }
        let metadataHash = try Digest.sha256(JSONWriter.serialize(pipelineDescription, path: ReleaseLayout.dataPackage))
        let changed = previousEntry?.metadataSHA256 != metadataHash || reports.contains { $0.change != .unchanged }
        let created = try changed ? now : (previousEntry.map { _ throws(PipelineFailure) in try previousCreated } ?? now)
        try write(
            MetadataDocument.dataPackage(pipeline, files: files, dates: dates, created: created, headlines: headlines,
                rows: datasetEntries.mapValues(\.rows),
                releaseURL: ReleaseManifest.releaseURL(stable: pipeline.folderURL, pipeline: pipeline.id, release: release.id))
                .encoded(path: ReleaseLayout.dataPackage),
            to: ReleaseLayout.dataPackage)
        try write(
            ChangeLog(release: release.id, previousRelease: previousEntry?.release, datasets: changes).encoded(path: ReleaseLayout.changeLog),
            to: ReleaseLayout.changeLog)
        var history = try previousFolder.flatMap { folder throws(PipelineFailure) in try FeedHistory.read(pipelineFolder: folder) }
            ?? FeedHistory(entries: [])
        history.entries = Array((newEntries + history.entries).prefix(FeedHistory.maximumEntries))
        try write(try history.encoded(), to: ReleaseLayout.history)
        try writeFeeds(history: history)
        let entry = ReleaseManifest.PipelineEntry(
            fingerprint: inputs.fingerprint, inputs: inputs.files, release: changed ? release.id : (previousEntry?.release ?? release.id),
            metadataSHA256: metadataHash, datasets: datasetEntries)
        return PipelineOutcome(reports: reports, entry: entry, changed: changed, feedEntries: newEntries)
    }

    /// The `created` date of the current release's datapackage.json, kept when nothing changed.
    private var previousCreated: String {
        get throws(PipelineFailure) {
            try previousFolder.flatMap { folder throws(PipelineFailure) in try DataPackage.read(pipelineFolder: folder) }?.created ?? now
        }
    }

    /// The pipeline's metadata without dates or files, hashed to detect metadata changes.
    private var pipelineDescription: [String: Any] {
        [
            "id": pipeline.id, "title": MetadataDocument.localized(pipeline.title),
            "description": MetadataDocument.localized(pipeline.description), "publisher": pipeline.publisher.name,
            "publisherURL": pipeline.publisher.url ?? "", "licenses": MetadataDocument.foundation(MetadataDocument.licenses(pipeline.license)),
            "sources": MetadataDocument.foundation(MetadataDocument.citations(pipeline.sources)), "baseURL": pipeline.baseURL,
            "timeZone": pipeline.timeZone.identifier, "datasets": pipeline.datasets.map(\.id),
        ]
    }

    private struct DatasetResult {
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

    private func publish(_ dataset: Dataset, tables: PipelineTables) throws(PipelineFailure) -> DatasetResult {
        var writers: [any DatasetWriter] = []
        var csv: CSVWriter?
        var json: JSONWriter?
        var jsonStat: JSONStatWriter?
        for format in dataset.formats where format != .rss {
            let relative = ReleaseLayout.dataFile(dataset.id, format: format)
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
        let previousCSV = previousFolder.map { $0.appendingPathComponent(ReleaseLayout.dataFile(dataset.id, format: .csv)).path }
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
        let currentRowsCSV = csv == nil ? asidePath : folder.appendingPathComponent(ReleaseLayout.dataFile(dataset.id, format: .csv)).path

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
            "updated": dates.data, "href": "\(pipeline.folderURL)/\(ReleaseLayout.dataFile(dataset.id, format: .jsonstat))",
        ]
        var files: [PublishedFile] = []
        for writer in writers {
            let file = try (writer as AnyObject) === csv ? csvFile! : writer.finish()
            if !file.path.isEmpty { files.append(file) }
        }
        if dataset.formats.contains(.json) {
            let relative = ReleaseLayout.jsonSchema(dataset.id)
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
            link: "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .vi))",
            pages: ["vi": "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .vi))", "en": "\(pipeline.folderURL)/\(ReleaseLayout.page(dataset.id, .en))"],
            enclosures: main.map { [.init(url: "\(pipeline.folderURL)/\($0.path)", bytes: $0.bytes, type: $0.mediaType)] } ?? [])
    }

    private func writeFeeds(history: FeedHistory) throws(PipelineFailure) {
        let host = URL(string: pipeline.baseURL)?.host ?? "localhost"
        var scopes: [(FeedRenderer.Scope, [FeedEntry])] = [
            (
                FeedRenderer.Scope(
                    title: pipeline.title, description: pipeline.description, homeURL: pipeline.folderURL + "/",
                    folderURL: pipeline.folderURL, stem: ReleaseLayout.feedStem, id: "tag:\(host),2018:\(pipeline.id)",
                    publisher: pipeline.publisher, updated: history.entries.first?.date ?? release.date,
                    timeZone: pipeline.timeZone),
                history.entries
            )
        ]
        for dataset in pipeline.datasets where dataset.formats.contains(.rss) {
            let entries = history.entries.filter { $0.dataset == dataset.id }
            scopes.append(
                (
                    FeedRenderer.Scope(
                        title: dataset.title, description: dataset.description,
                        homeURL: "\(pipeline.folderURL)/\(ReleaseLayout.dataFile(dataset.id, format: .json))", folderURL: pipeline.folderURL,
                        stem: ReleaseLayout.feedStem(dataset.id), id: "tag:\(host),2018:\(pipeline.id)/\(dataset.id)",
                        publisher: pipeline.publisher, updated: entries.first?.date ?? release.date,
                        timeZone: pipeline.timeZone),
                    entries
                ))
        }
        for (scope, entries) in scopes {
            let rendered: [(path: String, bytes: [UInt8])]
            do {
                rendered = try FeedRenderer.render(scope, entries: entries)
            } catch {
                throw PipelineFailure.cannotPublish(path: folder.appendingPathComponent(scope.stem).path, reason: "\(error)")
            }
            for file in rendered { try write(file.bytes, to: file.path) }
        }
    }

    private func write(_ bytes: [UInt8], to relative: String) throws(PipelineFailure) {
        var bytes = bytes
        if bytes.last != 0x0A { bytes.append(0x0A) }
        _ = try BufferedFileWriter.write(bytes, to: folder.appendingPathComponent(relative).path)
    }
}
