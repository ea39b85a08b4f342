public import Foundation
public import Logging

/// Runs pipelines: validates them (reads and transforms everything, writes
/// nothing) or publishes them as one new release of the output folder.
///
/// A release is all or nothing: if any dataset of any pipeline fails, nothing
/// is published and the current release stays exactly as it was. A run whose
/// content would equal the current release publishes nothing and reports
/// "unchanged"; when no input changed since the current release (by
/// fingerprint), it does not even read the sources.
public struct PipelineRunner: Sendable {
    public var output: URL
    public var logger: Logger
    /// The release time; injectable so tests and reproducible builds can fix it.
    public var now: @Sendable () -> Date
    /// Called as rows are read (after each batch), for a progress display.
    public var progress: (@Sendable (RunProgress) -> Void)?
    /// How many issues a validation report lists (all are counted).
    public var maximumIssues = ValidationCollector.defaultMaximumIssues

    public init(output: URL, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.output = output
        self.logger = logger
        self.now = now
    }

    /// Reads every source and runs every step, checking every value and
    /// collecting every issue (see ``RunReport/validation``); writes nothing.
    /// Data tests that compare with the published release read the current one in `output`.
    public func validate(_ pipelines: [Pipeline]) throws(PipelineFailure) -> RunReport {
        var report = RunReport()
        let collector = ValidationCollector(maximumIssues: maximumIssues)
        let current = ReleaseStore(root: output).currentRelease
        for pipeline in pipelines {
            let tables = PipelineTables(
                wanted: pipeline.referencedDatasets, previousRelease: current?.appendingPathComponent(pipeline.id),
                today: PipelineTables.day(of: now(), in: pipeline.timeZone))
            for dataset in pipeline.datasets {
                collector.begin(pipeline: pipeline.id, dataset: dataset.id)
                let rows = try DatasetFlow(dataset: dataset, collector: collector, tables: tables).run(into: [])
                collector.finish(rows: rows)
                logger.info("checked", metadata: ["pipeline": "\(pipeline.id)", "dataset": "\(dataset.id)", "rows": "\(rows)"])
                report.datasets.append(.init(pipeline: pipeline.id, dataset: dataset.id, rows: rows, files: []))
            }
        }
        report.validation = collector.report
        return report
    }

    /// Publishes `pipelines` as a new release; other pipelines of the current
    /// release are carried forward unchanged.
    public func run(_ pipelines: [Pipeline], options: RunOptions = RunOptions()) throws(PipelineFailure) -> RunReport {
        let started = ContinuousClock.now
        var ids = Set<String>()
        for pipeline in pipelines where !ids.insert(pipeline.id).inserted {
            throw PipelineFailure.invalidDefinition(
                SourceLocation(file: pipeline.file, field: "id"), problem: "another pipeline of this run has the id '\(pipeline.id)'")
        }
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.cannotPublish(path: output.path, reason: "cannot create the folder: \(error)")
        }
        let lock = try RunLock(path: output.appendingPathComponent(".lock").path, waitSeconds: options.waitSeconds)
        defer { withExtendedLifetime(lock) {} }

        let store = ReleaseStore(root: output)
        try store.prepare()
        let date = now()
        let release = ReleaseInfo(id: store.newReleaseID(at: date), date: date)
        let current = store.currentRelease
        let currentManifest = store.currentManifest
        let staging: URL
        if options.dryRun {
            staging = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-dry-run-\(UUID().uuidString)")
            do {
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            } catch {
                throw PipelineFailure.cannotPublish(path: staging.path, reason: "\(error)")
            }
        } else {
            staging = try store.beginRelease(id: release.id)
        }
        FaultInjection.checkpoint("staging-created")
        do throws(PipelineFailure) {
            var report = RunReport(releaseID: release.id)
            var entries: [String: ReleaseManifest.PipelineEntry] = [:]
            var anyChange = false
            let collector = ValidationCollector(maximumIssues: maximumIssues)
            for pipeline in pipelines {
                let inputs = try InputFingerprint.compute(pipeline)
                let previousFolder = current?.appendingPathComponent(pipeline.id)
                let previousEntry = currentManifest?.pipelines[pipeline.id]
                if let fingerprint = inputs.fingerprint, fingerprint == previousEntry?.fingerprint,
                    let previousFolder, FileManager.default.fileExists(atPath: previousFolder.path)
                {
                    report.skipped.append(pipeline.id)
                    logger.info("inputs unchanged; skipped", metadata: ["pipeline": "\(pipeline.id)"])
                    continue
                }
                let outcome = try PipelinePublisher(
                    pipeline: pipeline, release: release, folder: staging.appendingPathComponent(pipeline.id),
                    previousFolder: previousFolder, previousEntry: previousEntry, inputs: inputs, logger: logger,
                    progress: progress, collector: collector
                ).publish()
                report.datasets += outcome.reports
                report.feedEntries += outcome.feedEntries
                if outcome.changed {
                    anyChange = true
                    entries[pipeline.id] = outcome.entry
                } else {
                    // Same content: the current folder is carried forward byte for byte below.
                    try? FileManager.default.removeItem(at: staging.appendingPathComponent(pipeline.id))
                }
            }
            // Every dataset was read to the end so that the report lists every error; any error blocks the release.
            report.validation = collector.report
            guard collector.errorCount == 0 else { throw PipelineFailure.invalidData(collector.report) }
            FaultInjection.checkpoint("pipelines-written")
            guard anyChange else {
                discard(staging, store: store, dryRun: options.dryRun)
                logger.info("unchanged: the current release already holds this content; nothing was published")
                report.releaseID = nil
                report.seconds = Self.seconds(since: started)
                return report
            }
            report.carriedForward = try carryForward(
                store: store, staging: staging, except: Set(entries.keys), skipped: Set(report.skipped))
            for name in report.carriedForward {
                if let entry = currentManifest?.pipelines[name] { entries[name] = entry }
            }
            try SiteCatalog(folder: staging, release: release).write()
            let templatesFolder = pipelines.first.map {
                URL(fileURLWithPath: $0.filePath).deletingLastPathComponent().appendingPathComponent("templates")
            }
            try SitePages(folder: staging, release: release, templates: SiteTemplates.load(overridesIn: templatesFolder)).write()
            let files = try ReleaseStore.inventory(of: staging)
            let manifest = ReleaseManifest(
                id: release.id, created: FeedDate.rfc3339(release.date, in: TimeZone(identifier: "UTC")!),
                generator: .init(name: "opendata-pipeline", version: ToolVersion.current), pipelines: entries, files: files)
            _ = try BufferedFileWriter.write(try manifest.encoded(), to: staging.appendingPathComponent("release.json").path)
            let sums = files.map { "\($0.sha256)  \($0.path)\n" }.joined()
            _ = try BufferedFileWriter.write(Array(sums.utf8), to: staging.appendingPathComponent("SHA256SUMS").path)
            let previousFiles = Dictionary(
                (currentManifest?.files ?? []).map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
            report.changedFiles = files.filter { previousFiles[$0.path] != $0.sha256 }.map(\.path)
            FaultInjection.checkpoint("release-written")
            if options.dryRun {
                discard(staging, store: store, dryRun: true)
                report.seconds = Self.seconds(since: started)
                return report
            }
            try store.commit(staging: staging, id: release.id)
            report.releasePath = output.appendingPathComponent("releases/\(release.id)").path
            logger.info("release published", metadata: ["release": "\(release.id)"])
            if let keep = options.keep {
                for removed in try store.prune(keep: keep) {
                    logger.info("old release removed", metadata: ["release": "\(removed)"])
                }
            }
            report.seconds = Self.seconds(since: started)
            return report
        } catch {
            discard(staging, store: store, dryRun: options.dryRun)
            logger.error("nothing was published; the current release is unchanged")
            throw error
        }
    }

    private func discard(_ staging: URL, store: ReleaseStore, dryRun: Bool) {
        if dryRun {
            try? FileManager.default.removeItem(at: staging)
        } else {
            store.abandon(staging: staging)
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func carryForward(
        store: ReleaseStore, staging: URL, except published: Set<String>, skipped: Set<String>
    ) throws(PipelineFailure) -> [String] {
        guard let current = store.currentRelease else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: current.path)) ?? []
        var carried: [String] = []
        for name in names.sorted() where !published.contains(name) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: current.appendingPathComponent(name).path, isDirectory: &isDirectory),
                isDirectory.boolValue,
                !FileManager.default.fileExists(atPath: staging.appendingPathComponent(name).path)
            else { continue }
            try store.carryForward(pipelineFolder: name, into: staging)
            carried.append(name)
            logger.info(
                skipped.contains(name) ? "inputs unchanged; carried forward" : "carried forward unchanged",
                metadata: ["pipeline": "\(name)"])
        }
        return carried
    }
}
