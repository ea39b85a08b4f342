import Foundation

/// The fingerprint of what a pipeline's output depends on: this tool's
/// version, the pipeline file and every source file. When it equals the one
/// recorded in the current release, the run skips the pipeline's work.
///
/// Paths are recorded relative to the pipelines folder, so the same inputs
/// give the same fingerprint (and the same `release.json`) on every host.
/// Digests come from `cache` when a file's `stat` is unchanged, so an
/// unchanged run opens no source.
///
/// When the fingerprint cannot equal the current release's (there is none, or
/// a source has another size than the one last hashed under its path, or a
/// source gives no fingerprint), the sources are hashed on a thread of their
/// own while the pipeline runs (``Pending``): hashing a 1 GB source takes half
/// a second that reading it need not wait for. Otherwise they are hashed first,
/// so that an unchanged source still skips the pipeline's work.
enum InputFingerprint {
    /// Begins the fingerprint; `mayBeUnchanged` says whether the current release holds a fingerprint it could equal.
    static func begin(_ pipeline: Pipeline, cache: DigestCache, mayBeUnchanged: Bool) throws(PipelineFailure) -> Pending {
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
        let meanwhile = !mayBeUnchanged || !complete || unhashed.contains { cache.sizeChanged($0.path) }
        return Pending(slots: slots, unhashed: unhashed, complete: complete, cache: cache, inBackground: meanwhile && !unhashed.isEmpty)
    }

    /// A fingerprint whose source digests may still be computed on another thread.
    final class Pending: @unchecked Sendable {
        enum Slot {
            case known(ReleaseManifest.InputEntry)
            /// The digest of `unhashed[index]`.
            case hashed(Int)
        }

        private let slots: [Slot]
        private let unhashed: [(path: String, shown: String)]
        private let complete: Bool
        private let cache: DigestCache
        private let hashing: [DigestCache.Hashing]
        private let condition = NSCondition()
        // Guarded by `condition`.
        private var digests: [Result<String, PipelineFailure>]?
        private var resolved: (fingerprint: String?, files: [ReleaseManifest.InputEntry])?

        /// Whether the sources are being hashed while the pipeline runs (then the fingerprint cannot skip it).
        let inBackground: Bool

        fileprivate init(
            slots: [Slot], unhashed: [(path: String, shown: String)], complete: Bool, cache: DigestCache, inBackground: Bool
        ) {
            self.slots = slots
            self.unhashed = unhashed
            self.complete = complete
            self.cache = cache
            self.inBackground = inBackground
            hashing = unhashed.map { cache.beginHashing($0.path) }
            guard inBackground else { return }
            let paths = unhashed.map(\.path)
            let thread = Thread { [self] in
                let results = paths.map { path in Result { () throws(PipelineFailure) in try Digest.sha256(file: path) } }
                condition.lock()
                digests = results
                condition.broadcast()
                condition.unlock()
            }
            thread.name = "opendata-fingerprint"
            thread.start()
        }

        /// The fingerprint and its entries, in the pipeline's order; waits for the sources' digests.
        /// Call on the run's thread (the digests are recorded in the cache there).
        func resolve() throws(PipelineFailure) -> (fingerprint: String?, files: [ReleaseManifest.InputEntry]) {
            if let resolved { return resolved }
            let results: [Result<String, PipelineFailure>]
            if inBackground {
                condition.lock()
                while digests == nil { condition.wait() }
                results = digests!
                condition.unlock()
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
