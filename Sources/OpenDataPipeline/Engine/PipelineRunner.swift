public import Foundation
public import Logging

/// Runs pipelines: validates them (reads and transforms everything, writes
/// nothing) or publishes them as one new release of the output folder.
///
/// A release is all or nothing: if any dataset of any pipeline fails, nothing
/// is published and the current release stays exactly as it was.
public struct PipelineRunner: Sendable {
    public var output: URL
    public var logger: Logger
    /// The release time; injectable so tests can fix it.
    public var now: @Sendable () -> Date
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
    public func run(_ pipelines: [Pipeline]) throws(PipelineFailure) -> RunReport {
        var seen = Set<String>()
        for pipeline in pipelines where !seen.insert(pipeline.id).inserted {
            throw PipelineFailure.invalidDefinition(
                SourceLocation(file: pipeline.file, field: "id"), problem: "another pipeline of this run has the id '\(pipeline.id)'")
        }
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.cannotPublish(path: output.path, reason: "cannot create the folder: \(error)")
        }
        let lock = try RunLock(path: output.appendingPathComponent(".lock").path)
        defer { withExtendedLifetime(lock) {} }

        let store = ReleaseStore(root: output)
        try store.prepare()
        let release = ReleaseInfo(id: store.newReleaseID(at: now()), date: now())
        let staging = try store.beginRelease(id: release.id)
        logger.info("release started", metadata: ["release": "\(release.id)"])
        do throws(PipelineFailure) {
            var report = RunReport(releaseID: release.id)
            let collector = ValidationCollector(maximumIssues: maximumIssues)
            for pipeline in pipelines {
                let publisher = PipelinePublisher(
                    pipeline: pipeline, release: release, folder: staging.appendingPathComponent(pipeline.id),
                    previousFolder: store.currentRelease?.appendingPathComponent(pipeline.id), logger: logger,
                    collector: collector)
                report.datasets += try publisher.publish()
            }
            // Every dataset was read to the end so that the report lists every error; any error blocks the release.
            report.validation = collector.report
            guard collector.errorCount == 0 else { throw PipelineFailure.invalidData(collector.report) }
            report.carriedForward = try carryForward(store: store, staging: staging, except: seen)
            try writeManifest(release: release, staging: staging, report: report)
            try store.commit(staging: staging, id: release.id)
            report.releasePath = output.appendingPathComponent("releases/\(release.id)").path
            logger.info("release published", metadata: ["release": "\(release.id)"])
            return report
        } catch {
            store.abandon(staging: staging)
            logger.error("nothing was published; the current release is unchanged")
            throw error
        }
    }

    private func carryForward(store: ReleaseStore, staging: URL, except published: Set<String>) throws(PipelineFailure) -> [String] {
        guard let current = store.currentRelease else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: current.path)) ?? []
        var carried: [String] = []
        for name in names.sorted() where !published.contains(name) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: current.appendingPathComponent(name).path, isDirectory: &isDirectory),
                isDirectory.boolValue
            else { continue }
            try store.carryForward(pipelineFolder: name, into: staging)
            carried.append(name)
            logger.info("carried forward unchanged", metadata: ["pipeline": "\(name)"])
        }
        return carried
    }

    private func writeManifest(release: ReleaseInfo, staging: URL, report: RunReport) throws(PipelineFailure) {
        let path = staging.appendingPathComponent("release.json").path
        let formatter = ISO8601DateFormatter()
        let manifest: [String: Any] = [
            "id": release.id,
            "created": formatter.string(from: release.date),
            "generator": "opendata-pipeline",
            "published": Dictionary(grouping: report.datasets, by: \.pipeline).mapValues { $0.map(\.dataset).sorted() },
            "carriedForward": report.carriedForward,
        ]
        var bytes = try JSONWriter.serialize(manifest, path: path, pretty: true)
        bytes.append(0x0A)
        _ = try BufferedFileWriter.write(bytes, to: path)
    }
}
