import Foundation
import Logging

/// The part of a run with `--release-at`: the release is written into a held
/// folder (``HeldReleaseStore``) instead of `releases/`, and `current` is not
/// touched. The runner's clock is the release time, so the release's feeds,
/// dates and manifest already carry it. Refuses a pipeline that already has a
/// held release unless it replaces it; the replaced one is deleted only once
/// the new one is held.
final class EmbargoedRun {
    let store: HeldReleaseStore
    let pipelines: [String]
    let keep: Int?
    let logger: Logger
    /// The held releases this run replaces.
    let replaced: [HeldRelease]
    private var token: String?

    /// Under the run lock: removes what a killed embargoed run left, and checks for held releases of the same pipelines.
    init(output: URL, pipelines: [Pipeline], options: RunOptions, logger: Logger) throws(PipelineFailure) {
        store = HeldReleaseStore(root: output)
        self.pipelines = pipelines.map(\.id)
        keep = options.keep
        self.logger = logger
        // A dry run leaves the output folder as it was.
        if !options.dryRun {
            for note in store.removeIncomplete() { logger.notice("\(note)") }
        }
        let holding = store.holding(self.pipelines)
        if let first = holding.first, !options.replaceHeld {
            let pipeline = self.pipelines.first { first.pipelines.contains($0) } ?? ""
            throw PipelineFailure.heldReleaseExists(pipeline: pipeline, held: first.id, releaseAt: first.releaseAt)
        }
        replaced = holding
    }

    func begin(id: String) throws(PipelineFailure) -> URL {
        let begun = try store.begin(id: id)
        token = begun.token
        return begun.staging
    }

    /// Holds the complete release in `staging`, then deletes the releases it replaces.
    func hold(
        staging: URL, release: ReleaseInfo, sequence: Int, base: String?, linked: Set<String>, into report: inout RunReport
    ) throws(PipelineFailure) {
        guard let token else { return }
        let utc = TimeZone(identifier: "UTC")!
        let record = HeldRelease(
            id: release.id, token: token, releaseAt: FeedDate.rfc3339(release.date, in: utc),
            preparedAt: FeedDate.rfc3339(Date(), in: utc), pipelines: pipelines, baseRelease: base, sequence: sequence, keep: keep)
        try store.hold(staging: staging, record: record, linked: linked)
        self.token = nil
        report.held = record
        logger.info("release held", metadata: ["release": "\(release.id)", "releaseAt": "\(record.releaseAt)"])
        for old in replaced where old.token != token {
            do {
                try store.remove(old)
                report.replacedHeld.append(old.id)
                logger.info("held release replaced", metadata: ["release": "\(old.id)"])
            } catch {
                report.housekeepingWarnings.append("removing the replaced held release \(old.id): \(error)")
            }
        }
    }

    /// Deletes the held folder of a run that failed or found nothing to hold.
    func abandon() {
        guard let token else { return }
        try? store.remove(token: token)
        self.token = nil
    }

    /// After a normal publication: each held release was prepared on an older release, and `release-due` will refuse it.
    static func warnStale(output: URL, published: String, logger: Logger) {
        for held in HeldReleaseStore(root: output).held() where held.baseRelease != published {
            logger.warning(
                "held release \(held.id) (due \(held.releaseAt)) was prepared on release \(held.baseRelease ?? "none"); release-due will refuse it: prepare it again with `opendata run --release-at \(held.releaseAt) --replace`"
            )
        }
    }
}
