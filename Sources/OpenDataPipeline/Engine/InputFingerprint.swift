import Foundation
import Synchronization

/// The fingerprint of what a pipeline's output depends on: this tool's
/// version, the pipeline file and every source file. When it equals the one
/// recorded in the current release, the run skips the pipeline's work.
///
/// Paths are recorded relative to the pipelines folder, so the same inputs
/// give the same fingerprint (and the same `release.json`) on every host.
/// Digests come from `cache` when a file's `stat` is unchanged, so an
/// unchanged run opens no source.
///
/// When the fingerprint cannot equal the current release's (there is none; a
/// source is not the file the release was fingerprinted from, as the digest
/// cache knows that file's size and the source has another; or a source gives
/// no fingerprint), the sources are hashed on a thread of their own while the
/// pipeline runs (``Pending``): hashing a 1 GB source takes half a second that
/// reading it need not wait for. Otherwise they are hashed first, so that an
/// unchanged source still skips the pipeline's work.
enum InputFingerprint {
    /// Begins the fingerprint. `current` is the current release's entry of the pipeline when its
    /// fingerprint could skip it (nil: it cannot, so the sources are hashed meanwhile).
    static func begin(_ pipeline: Pipeline, cache: DigestCache, current: ReleaseManifest.PipelineEntry?) throws(PipelineFailure) -> Pending {
        let folder = (pipeline.file as NSString).deletingLastPathComponent
        func relative(_ shown: String) -> String {
            folder.isEmpty || !shown.hasPrefix(folder + "/") ? shown : String(shown.dropFirst(folder.count + 1))
        }
        var slots: [Pending.Slot] = [
            .known(ReleaseManifest.InputEntry(path: relative(pipeline.file), sha256: try cache.sha256(file: pipeline.filePath)))
        ]
        var unhashed: [(path: String, shown: String)] = []
        var complete = true
        var seen = Set<String>()
        for dataset in pipeline.datasets {
            if let entry = try dataset.extractor.changeFingerprint() {
                slots.append(.known(entry))
                continue
            }
            guard let files = dataset.extractor.inputFiles else {
                complete = false
                continue
            }
            for file in files where seen.insert(file.path).inserted {
                if let digest = cache.knownDigest(of: file.path) {
                    slots.append(.known(.init(path: relative(file.shown), sha256: digest)))
                } else {
                    slots.append(.hashed(unhashed.count))
                    unhashed.append((file.path, relative(file.shown)))
                }
            }
        }
        let pipelineDigest = if case let .known(entry) = slots[0] { entry.sha256 } else { "" }
        let released = Dictionary((current?.inputs ?? []).map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        let meanwhile =
            current?.fingerprint == nil || !complete || released[relative(pipeline.file)] != pipelineDigest
            || unhashed.contains { file in released[file.shown].map { cache.sizeDiffers(file.path, fromFileWithDigest: $0) } ?? true }
        return Pending(slots: slots, unhashed: unhashed, complete: complete, cache: cache, inBackground: meanwhile && !unhashed.isEmpty)
    }

    /// A fingerprint whose source digests may still be computed on another thread. Used on the
    /// run's thread only; the other thread sees nothing but the paths and a ``Digests`` box.
    final class Pending {
        enum Slot {
            case known(ReleaseManifest.InputEntry)
            /// The digest of `unhashed[index]`.
            case hashed(Int)
        }

        /// The digests hashed on the other thread, handed over once.
        private final class Digests: Sendable {
            let results = Mutex<[Result<String, PipelineFailure>]?>(nil)
            let done = DispatchSemaphore(value: 0)
        }

        private let slots: [Slot]
        private let unhashed: [(path: String, shown: String)]
        private let complete: Bool
        private let cache: DigestCache
        private let hashing: [DigestCache.Hashing]
        private let digests: Digests?
        private var resolved: (fingerprint: String?, files: [ReleaseManifest.InputEntry])?

        /// Whether the sources are being hashed while the pipeline runs (then the fingerprint cannot skip it).
        var inBackground: Bool { digests != nil }

        fileprivate init(
            slots: [Slot], unhashed: [(path: String, shown: String)], complete: Bool, cache: DigestCache, inBackground: Bool
        ) {
            self.slots = slots
            self.unhashed = unhashed
            self.complete = complete
            self.cache = cache
            // Each file's status is taken before its bytes are read.
            hashing = unhashed.map { cache.beginHashing($0.path) }
            guard inBackground else {
                digests = nil
                return
            }
            let box = Digests()
            digests = box
            let paths = unhashed.map(\.path)
            let thread = Thread {
                let results = paths.map { path in Result { () throws(PipelineFailure) in try Digest.sha256(file: path) } }
                box.results.withLock { $0 = results }
                box.done.signal()
            }
            thread.name = "opendata-fingerprint"
            thread.start()
        }

        /// The fingerprint and its entries, in the pipeline's order; waits for the sources' digests
        /// (and records them in the cache).
        func resolve() throws(PipelineFailure) -> (fingerprint: String?, files: [ReleaseManifest.InputEntry]) {
            if let resolved { return resolved }
            let results: [Result<String, PipelineFailure>]
            if let digests {
                digests.done.wait()
                digests.done.signal()  // a second resolve after a failure waits no more
                results = digests.results.withLock { $0 } ?? []
            } else {
                results = unhashed.map { file in Result { () throws(PipelineFailure) in try Digest.sha256(file: file.path) } }
            }
            var sha256: [String] = []
            for (index, result) in results.enumerated() {
                let digest = try result.get()
                cache.record(hashing[index], sha256: digest)
                sha256.append(digest)
            }
            let entries = slots.map { slot -> ReleaseManifest.InputEntry in
                switch slot {
                case let .known(entry): entry
                case let .hashed(index): .init(path: unhashed[index].shown, sha256: sha256[index])
                }
            }
            let text = (["opendata-pipeline \(ToolVersion.current)"] + entries.map { "\($0.sha256)  \($0.path)" }).joined(separator: "\n")
            let value = (complete ? Digest.sha256(Array(text.utf8)) : nil, entries)
            resolved = value
            return value
        }
    }
}
