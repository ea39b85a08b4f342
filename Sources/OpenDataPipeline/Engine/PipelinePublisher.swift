import Foundation
import Logging

/// What publishing one pipeline produced.
struct PipelineOutcome {
    var reports: [RunReport.DatasetReport]
    var entry: ReleaseManifest.PipelineEntry
    /// False when every dataset and the pipeline's metadata are as in the current release.
    var changed: Bool
    var feedEntries: [FeedEntry]
}

/// Writes one pipeline's folder of a release: each dataset (by a
/// ``DatasetPublisher``), then the `datapackage.json` describing them, the
/// changelog, the feed history and the feeds. The pipeline keeps its
/// `created` date when neither a dataset nor its metadata changed.
struct PipelinePublisher {
    let pipeline: Pipeline
    let release: ReleaseInfo
    let folder: URL
    /// The same pipeline's folder in the current release, and its manifest entry.
    let previousFolder: URL?
    let previousEntry: ReleaseManifest.PipelineEntry?
    /// Resolved when the pipeline's entry is written: its sources may be hashed while it runs.
    let inputs: InputFingerprint.Pending
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
        var figureNotes: [String: LocalizedText] = [:]
        let datasetPublisher = DatasetPublisher(
            pipeline: pipeline, release: release, folder: folder, previousFolder: previousFolder, previousEntry: previousEntry,
            progress: progress, collector: collector)
        let tables = PipelineTables(
            wanted: pipeline.referencedDatasets, previousRelease: previousFolder,
            today: PipelineTables.day(of: release.date, in: pipeline.timeZone))
        let database =
            try pipeline.publishesDatabase ? PipelineDatabase(path: folder.appendingPathComponent(ReleaseLayout.database(pipeline.id)).path) : nil
        for dataset in pipeline.datasets {
            collector?.begin(pipeline: pipeline.id, dataset: dataset.id)
            let table = try database.map { database throws(PipelineFailure) in try database.table(for: dataset, in: pipeline) }
            let result = try datasetPublisher.publish(dataset, tables: tables, also: table.map { [$0] } ?? [])
            collector?.finish(rows: result.entry.rows)
            headlines[dataset.id] = result.headline
            figureNotes[dataset.id] = result.figureNote
            files[dataset.id] = result.files
            dates[dataset.id] = result.dates
            datasetEntries[dataset.id] = result.entry
            newEntries += result.feedEntries
            changes.append(result.changelog)
            reports.append(
                .init(
                    pipeline: pipeline.id, dataset: dataset.id, rows: result.entry.rows, files: result.files, change: result.change,
                    revision: result.revision))
            logger.info(
                "dataset written",
                metadata: [
                    "pipeline": "\(pipeline.id)", "dataset": "\(dataset.id)", "rows": "\(result.entry.rows)",
                    "change": "\(result.change.rawValue)",
                ])
        }
        let calendar = try updatedCalendar(changes: Dictionary(reports.map { ($0.dataset, $0.change) }, uniquingKeysWith: { $1 }))
        newEntries += calendar.feedEntries
        let databaseBytes = try database?.finish(pipeline: pipeline, releases: datasetEntries.mapValues(\.dataRelease), dates: dates)
        let metadataHash = try Digest.sha256(JSONWriter.serialize(pipelineDescription, path: ReleaseLayout.dataPackage))
        let changed =
            previousEntry?.metadataSHA256 != metadataHash || reports.contains { $0.change != .unchanged } || calendar.changed
        let created = try changed ? now : (previousEntry.map { _ throws(PipelineFailure) in try previousCreated } ?? now)
        try write(
            MetadataDocument.dataPackage(
                pipeline, files: files, dates: dates, created: created, headlines: headlines,
                rows: datasetEntries.mapValues(\.rows), databaseBytes: databaseBytes,
                releaseURL: ReleaseManifest.releaseURL(stable: pipeline.folderURL, pipeline: pipeline.id, release: release.id),
                figureNotes: figureNotes
            )
            .encoded(path: ReleaseLayout.dataPackage),
            to: ReleaseLayout.dataPackage)
        try write(
            ChangeLog(
                release: release.id, previousRelease: previousEntry?.release, datasets: changes, note: release.note,
                correction: release.correction ? true : nil
            ).encoded(path: ReleaseLayout.changeLog),
            to: ReleaseLayout.changeLog)
        var history =
            try previousFolder.flatMap { folder throws(PipelineFailure) in try FeedHistory.read(pipelineFolder: folder) }
            ?? FeedHistory(entries: [])
        history.entries = Array((newEntries + history.entries).prefix(FeedHistory.maximumEntries))
        try write(try history.encoded(), to: ReleaseLayout.history)
        try writeFeeds(history: history)
        let inputs = try self.inputs.resolve()
        let entry = ReleaseManifest.PipelineEntry(
            fingerprint: inputs.fingerprint, inputs: inputs.files, release: changed ? release.id : (previousEntry?.release ?? release.id),
            metadataSHA256: metadataHash, datasets: datasetEntries)
        return PipelineOutcome(reports: reports, entry: entry, changed: changed, feedEntries: newEntries)
    }

    /// The calendar after this release, written as the pipeline's `calendar.json` when it has entries.
    private func updatedCalendar(changes: [String: DatasetChange]) throws(PipelineFailure) -> CalendarUpdate.Result {
        let previous =
            try previousFolder.flatMap { folder throws(PipelineFailure) in try PipelineCalendar.read(pipelineFolder: folder) }?.entries ?? []
        let result = CalendarUpdate(pipeline: pipeline, release: release, previous: previous, changes: changes).update()
        if !result.records.isEmpty { try write(PipelineCalendar(entries: result.records).encoded(), to: ReleaseLayout.calendar) }
        return result
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
                        homeURL: "\(pipeline.folderURL)/\(JSONFormat.dataFile.path(for: dataset.id))", folderURL: pipeline.folderURL,
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
