public import Foundation

/// A dataset exactly as it was published at a moment (`opendata asof`): the
/// CSV of the release that was current then, byte for byte, when that release
/// is still in the output folder and nothing of the dataset changed between
/// its time and the moment; otherwise rebuilt from the dataset's vintages
/// (the newest release's, which hold the whole history), with the same
/// columns and the CSV writer's formatting. Follows release times: a
/// rollback does not change what was published when.
public struct AsOf: Sendable {
    public let output: URL

    public init(output: URL) {
        self.output = output
    }

    /// Where the bytes came from.
    public enum Origin: Sendable, Equatable {
        /// The CSV of this release.
        case release(String)
        /// Rebuilt from the vintages of this release.
        case vintages(String)
    }

    /// Every `pipeline/dataset` of the output folder's releases, sorted.
    public func datasets() -> [String] {
        let all = ReleaseStore(root: output).releases().flatMap { release in
            release.manifest.pipelines.flatMap { pipeline, entry in entry.datasets.keys.map { "\(pipeline)/\($0)" } }
        }
        return Array(Set(all)).sorted()
    }

    public func csv(pipeline: String, dataset: String, at date: Date) throws(PipelineFailure) -> (bytes: [UInt8], origin: Origin) {
        let store = ReleaseStore(root: output)
        let name = "\(pipeline)/\(dataset)"
        let releases = store.releases().filter { $0.manifest.pipelines[pipeline]?.datasets[dataset] != nil }
        guard !releases.isEmpty else {
            throw PipelineFailure.notPublished(
                name, reason: "is not a dataset of any release in \(output.path); datasets: \(datasets().joined(separator: ", "))")
        }
        let formatter = ISO8601DateFormatter()
        let shown = FeedDate.rfc3339(date, in: TimeZone(identifier: "UTC")!)
        var vintages: (DatasetVintages, String)?
        for release in releases.reversed() {
            let folder = store.releasesDirectory.appendingPathComponent(release.id).appendingPathComponent(pipeline)
            if let found = try DatasetVintages.read(pipelineFolder: folder, dataset: dataset) {
                vintages = (found, release.id)
                break
            }
        }
        let csvPath = ReleaseLayout.inPipeline(pipeline, CSVFormat.dataFile.path(for: dataset))
        if let release = releases.last(where: { (formatter.date(from: $0.manifest.created) ?? .distantFuture) <= date }),
            let released = formatter.date(from: release.manifest.created),
            !(vintages?.0.changes(after: released, through: date) ?? false),
            let bytes = LocalFile.contents(atPath: store.releasesDirectory.appendingPathComponent(release.id).appendingPathComponent(csvPath).path)
        {
            return ([UInt8](bytes), .release(release.id))
        }
        guard let (document, source) = vintages else {
            throw PipelineFailure.notPublished(
                name, reason: "was not published at \(shown): no release of it then is left, and its releases keep no vintages")
        }
        guard let bytes = document.csv(at: date) else {
            let first = document.layouts.first?.realtimeStart ?? "?"
            throw PipelineFailure.notPublished(name, reason: "was not published at \(shown): it was first published at \(first)")
        }
        return (bytes, .vintages(source))
    }
}

extension DatasetVintages {
    /// Whether a value or the columns changed after `start`, up to and including `end`.
    func changes(after start: Date, through end: Date) -> Bool {
        let formatter = ISO8601DateFormatter()
        func within(_ text: String?) -> Bool {
            guard let date = text.flatMap(formatter.date(from:)) else { return false }
            return start < date && date <= end
        }
        return layouts.contains { within($0.realtimeStart) } || vintages.contains { within($0.realtimeStart) || within($0.realtimeEnd) }
    }
}
