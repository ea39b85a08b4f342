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
    /// How old a file must be for the digest cache to remember it (see ``DigestCache``); tests set 0.
    var digestSettleSeconds: Double = 2

    public init(output: URL, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.output = output
        self.logger = logger
        self.now = now
    }

    /// Reads every source and runs every step, checking every value and
    /// collecting every issue (see ``RunReport/validation``); writes nothing.
    /// Data tests that compare with the published release read the current one
    /// in `output`, which must verify (``PipelineFailure/damagedRelease(_:problems:)``).
    public func validate(_ pipelines: [Pipeline]) throws(PipelineFailure) -> RunReport {
        var report = RunReport()
        _ = try SiteDefinition.load(besidePipelines: pipelines)
        let collector = ValidationCollector(maximumIssues: maximumIssues)
        let store = ReleaseStore(root: output)
        if store.currentTarget != nil {
            let check = try store.verify(nil)
            guard check.problems.isEmpty else { throw PipelineFailure.damagedRelease(check.id, problems: check.problems) }
        }
        let current = store.currentRelease
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
    /// release are carried forward unchanged, after checking them against its
    /// manifest. Once `current` has switched, the release is published: what
    /// fails afterwards (syncing, pruning, removing orphans) is reported in
    /// ``RunReport/housekeepingWarnings`` and never undoes it.
    public func run(_ pipelines: [Pipeline], options: RunOptions = RunOptions()) throws(PipelineFailure) -> RunReport {
        let started = ContinuousClock.now
        var ids = Set<String>()
        for pipeline in pipelines where !ids.insert(pipeline.id).inserted {
            throw PipelineFailure.invalidDefinition(
                SourceLocation(file: pipeline.file, field: "id"), problem: "another pipeline of this run has the id '\(pipeline.id)'")
        }
        // The page templates and the site file are part of the definition: refused before anything is read or locked.
        let siteFile = try SiteDefinition.load(besidePipelines: pipelines)
        let templates = try SiteTemplates.load(
            overridesIn: pipelines.first.map {
                URL(fileURLWithPath: $0.filePath).deletingLastPathComponent().appendingPathComponent("templates")
            })
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.cannotPublish(path: output.path, reason: "cannot create the folder: \(error)")
        }
        let lock: RunLock
        do {
            lock = try RunLock(path: output.path, waitSeconds: options.waitSeconds)
        } catch {
            if case .interrupted = error { logger.error("\(error)") }
            throw error
        }
        defer { withExtendedLifetime(lock) {} }

        let store = ReleaseStore(root: output)
        let prepared = try store.prepare()
        for note in prepared.notes { logger.notice("\(note)") }
        let cache = DigestCache(file: store.digestCacheFile, settleSeconds: digestSettleSeconds)
        let current = store.currentRelease
        let currentManifest = prepared.releases.first(where: \.isCurrent)?.manifest
        if let current, let currentManifest {
            let problems = ReleaseVerifier(cache: cache).problems(release: current, complete: currentManifest)
            guard problems.isEmpty else { throw PipelineFailure.damagedRelease(currentManifest.id, problems: problems) }
        }
        let date = now()
        if let currentManifest, let currentDate = FeedDate.parse(currentManifest.created), date < currentDate,
            !options.allowEarlierTime
        {
            throw PipelineFailure.earlierReleaseTime(
                FeedDate.rfc3339(date, in: TimeZone(identifier: "UTC")!), current: currentManifest.id, currentTime: currentManifest.created)
        }
        let release = ReleaseInfo(
            id: store.newReleaseID(at: date), date: date, note: options.note.map { ReleaseWording.normalized(note: $0) },
            correction: options.correction)
        let sequence = ReleaseStore.nextSequence(after: prepared.releases)
        let embargo = options.embargo ? try EmbargoedRun(output: output, pipelines: pipelines, options: options, logger: logger) : nil
        let staging: URL
        if let embargo, !options.dryRun {
            staging = try embargo.begin(id: release.id)
        } else if options.dryRun {
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
        var report = RunReport(releaseID: release.id)
        var inventory = ReleaseStore.Inventory()
        var pageKey = ""
        do throws(PipelineFailure) {
            try Interruption.check()
            var entries: [String: ReleaseManifest.PipelineEntry] = [:]
            var anyChange = false
            let collector = ValidationCollector(maximumIssues: maximumIssues)
            for pipeline in pipelines {
                let previousFolder = current?.appendingPathComponent(pipeline.id)
                let previousEntry = currentManifest?.pipelines[pipeline.id]
                let skippable = previousEntry?.fingerprint != nil && previousFolder.map { FileManager.default.fileExists(atPath: $0.path) } == true
                let inputs = try InputFingerprint.begin(pipeline, cache: cache, current: skippable ? previousEntry : nil)
                if skippable, !inputs.inBackground, let fingerprint = try inputs.resolve().fingerprint, fingerprint == previousEntry?.fingerprint {
                    report.skipped.append(pipeline.id)
                    logger.info("inputs unchanged; skipped", metadata: ["pipeline": "\(pipeline.id)"])
                    continue
                }
                let outcome = try PipelinePublisher(
                    pipeline: pipeline, release: release, folder: staging.appendingPathComponent(pipeline.id),
                    previousFolder: previousFolder, previousEntry: previousEntry, inputs: inputs, logger: logger,
                    progress: progress, collector: collector
                ).publish()
                try Interruption.check()
                report.datasets += outcome.reports
                report.feedEntries += outcome.feedEntries
                if outcome.changed {
                    anyChange = true
                    var entry = outcome.entry
                    entry.url = pipeline.folderURL
                    entries[pipeline.id] = entry
                } else {
                    // Same content: the current folder is carried forward byte for byte below.
                    try? FileManager.default.removeItem(at: staging.appendingPathComponent(pipeline.id))
                }
            }
            // Every dataset was read to the end so that the report lists every error; any error blocks the release.
            report.validation = collector.report
            guard collector.errorCount == 0 else { throw PipelineFailure.invalidData(collector.report) }
            FaultInjection.checkpoint("pipelines-written")
            // A change of the site file alone publishes the site again, every pipeline carried forward.
            let siteChanged = current.map { SiteDefinition.changed(siteFile, sinceReleaseIn: $0) } ?? false
            if !anyChange, siteChanged { logger.info("the site file changed: the site's feeds, catalogue and pages are published again") }
            guard anyChange || siteChanged else {
                embargo?.abandon()
                discard(staging, store: store, dryRun: options.dryRun)
                // A dry run leaves Output/ as it was, the digest cache included.
                if !options.dryRun { cache.save() }
                logger.info("unchanged: the current release already holds this content; nothing was published")
                report.hashedFiles = cache.hashed
                report.releaseID = nil
                report.seconds = Self.seconds(since: started)
                return report
            }
            var carried = CarriedFiles()
            report.carriedForward = try carryForward(
                store: store, staging: staging, manifest: currentManifest, except: Set(entries.keys), skipped: Set(report.skipped),
                cache: cache, carried: &carried)
            for name in report.carriedForward {
                if let entry = currentManifest?.pipelines[name] { entries[name] = entry }
            }
            for (name, entry) in entries {
                entries[name]?.releaseURL = entry.url.map { ReleaseManifest.releaseURL(stable: $0, pipeline: name, release: release.id) }
            }
            let site: SiteDefinition
            if let siteFile { site = siteFile } else { site = try fallbackSite(staging: staging, release: release, pipelines: pipelines) }
            try SiteCatalog(folder: staging, release: release, site: site).write()
            try ReleaseCalendarFiles(folder: staging, release: release, site: site).write()
            var pages = SitePages(folder: staging, release: release, templates: templates, site: site)
            pages.pipelineReleases = entries.mapValues(\.release)
            pageKey = try pages.write(
                carried: Set(report.carriedForward), previousKey: PageKey.recorded(in: output, release: currentManifest?.id))
            inventory = try ReleaseStore.inventory(of: staging, carried: carried)
            let files = inventory.files
            let manifest = ReleaseManifest(
                id: release.id, sequence: sequence, created: FeedDate.rfc3339(release.date, in: TimeZone(identifier: "UTC")!),
                generator: .init(name: "opendata-pipeline", version: ToolVersion.current), pipelines: entries, files: files,
                note: release.note, correction: release.correction ? true : nil)
            _ = try BufferedFileWriter.write(try manifest.encoded(), to: staging.appendingPathComponent(ReleaseLayout.manifest).path)
            _ = try BufferedFileWriter.write(Array(manifest.sums.utf8), to: staging.appendingPathComponent(ReleaseLayout.sums).path)
            let previousFiles = Dictionary(
                (currentManifest?.files ?? []).map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
            report.changedFiles = files.filter { previousFiles[$0.path] != $0.sha256 }.map(\.path)
            FaultInjection.checkpoint("release-written")
            if options.dryRun {
                discard(staging, store: store, dryRun: true)
                report.seconds = Self.seconds(since: started)
                return report
            }
            try Interruption.check()
            if let embargo {
                try embargo.hold(
                    staging: staging, release: release, sequence: sequence, base: currentManifest?.id, linked: Set(inventory.linked.keys),
                    into: &report)
                cache.save()
                report.seconds = Self.seconds(since: started)
                return report
            }
            try store.commit(staging: staging, id: release.id, sequence: sequence, linked: Set(inventory.linked.keys))
        } catch {
            embargo?.abandon()
            discard(staging, store: store, dryRun: options.dryRun)
            if case .interrupted = error {
                logger.error("\(error)")
            } else {
                logger.error("nothing was published; the current release is unchanged")
            }
            throw error
        }
        // `current` has switched: the release is published, whatever fails below.
        report.releasePath = output.appendingPathComponent(ReleaseLayout.release(release.id)).path
        logger.info("release published", metadata: ["release": "\(release.id)"])
        WrittenFiles.forget(below: staging.path)
        // Before pruning, which may delete the files the linked ones were checked as.
        remember(inventory, of: output.appendingPathComponent(ReleaseLayout.release(release.id)), in: cache)
        PageKey.record(pageKey, release: release.id, in: output)
        report.housekeepingWarnings = housekeeping(store: store, release: release.id, sequence: sequence, keep: options.keep)
        EmbargoedRun.warnStale(output: output, published: release.id, logger: logger)
        cache.save()
        report.seconds = Self.seconds(since: started)
        return report
    }

    /// What follows the switch: syncing it, recording the release, removing
    /// orphans and pruning. A failure is a warning (returned and logged): the
    /// release stays published.
    private func housekeeping(store: ReleaseStore, release: String, sequence: Int, keep: Int?) -> [String] {
        var warnings: [String] = []
        func attempt(_ what: String, _ body: () throws(PipelineFailure) -> Void) {
            do {
                try body()
            } catch {
                warnings.append("\(what): \(error)")
                logger.warning("release \(release) is published, but \(what) failed: \(error)")
            }
        }
        attempt("syncing the switch of 'current'") { () throws(PipelineFailure) in try store.syncSwitch() }
        attempt("recording the release in .published") { () throws(PipelineFailure) in try store.recordPublished(release) }
        attempt("housekeeping") { () throws(PipelineFailure) in try FaultInjection.failable("after-switch") }
        attempt("removing orphan releases") { () throws(PipelineFailure) in
            for orphan in try store.removeOrphans(olderThan: sequence) {
                logger.notice("\(ReleaseStore.orphanRemoved(orphan))")
            }
        }
        if let keep {
            attempt("pruning old releases") { () throws(PipelineFailure) in
                for removed in try store.prune(keep: keep) {
                    logger.info("old release removed", metadata: ["release": "\(removed)"])
                }
            }
        }
        return warnings
    }

    /// The site's identity without a site file, from what every pipeline of the release shares; logged as a warning.
    private func fallbackSite(staging: URL, release: ReleaseInfo, pipelines: [Pipeline]) throws(PipelineFailure) -> SiteDefinition {
        let site = try SiteDefinition.fallback(
            SiteCatalog(folder: staging, release: release).pipelineFolders(),
            expectedFile: SiteDefinition.shownPath(besidePipelines: pipelines))
        logger.warning("\(site.fallbackWarning)")
        return site
    }

    /// The digests of the release just published, for the next run's check of
    /// it: those written this run, and those of linked files checked unchanged.
    private func remember(_ inventory: ReleaseStore.Inventory, of release: URL, in cache: DigestCache) {
        for file in inventory.files {
            let path = release.appendingPathComponent(file.path).path
            if inventory.written.contains(file.path) {
                cache.remember(path, sha256: file.sha256)
            } else if let from = inventory.linked[file.path], cache.carry(from: from, sha256: file.sha256).settled {
                cache.remember(path, sha256: file.sha256)
            }
        }
    }

    private func discard(_ staging: URL, store: ReleaseStore, dryRun: Bool) {
        if dryRun {
            try? FileManager.default.removeItem(at: staging)
            WrittenFiles.forget(below: staging.path)
        } else {
            store.abandon(staging: staging)
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Carries forward (as hard links) the pipelines of the current release
    /// that this run does not publish (those its manifest lists, nothing else
    /// in the folder). Says once when files had to be copied instead.
    private func carryForward(
        store: ReleaseStore, staging: URL, manifest: ReleaseManifest?, except published: Set<String>, skipped: Set<String>,
        cache: DigestCache, carried: inout CarriedFiles
    ) throws(PipelineFailure) -> [String] {
        guard let manifest else { return [] }
        var names: [String] = []
        for name in manifest.pipelines.keys.sorted() where !published.contains(name) {
            guard !FileManager.default.fileExists(atPath: staging.appendingPathComponent(name).path) else { continue }
            let copiedBefore = carried.copyReason != nil
            try store.carryForward(pipelineFolder: name, into: staging, manifest: manifest, cache: cache, carried: &carried)
            if !copiedBefore, let reason = carried.copyReason {
                logger.notice("files carried forward are copied, not hard-linked: the file system refused a link: \(reason)")
            }
            names.append(name)
            logger.info(
                skipped.contains(name) ? "inputs unchanged; carried forward" : "carried forward unchanged",
                metadata: ["pipeline": "\(name)"])
        }
        return names
    }
}
