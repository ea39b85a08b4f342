import Foundation
import OpenDataPipeline
import Synchronization

/// The SHA-256 of each file of the served release, from its `release.json`
/// (hashed once, when the file was written), so that an ETag costs no read of
/// the file. A release never changes once published: its digests are read
/// once per release folder and kept (a few releases at most).
final class ManifestDigests: Sendable {
    private let known = Mutex<[String: [String: String]]>([:])

    /// The digest of `relative` in the release at `release` (a real path), nil for a file the manifest does not list.
    func sha256(of relative: String, inRelease release: String) -> String? {
        let folder = URL(fileURLWithPath: release)
        guard let marker = ReleaseStore.marker(of: folder) else { return nil }
        let key = release + "\u{0}" + marker
        if let digests = known.withLock({ $0[key] }) { return digests[relative] }
        guard let manifest = ReleaseStore.completeManifest(folder) else { return nil }
        var digests = Dictionary(manifest.files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        // release.json itself: the completion marker is its SHA-256.
        digests[ReleaseLayout.manifest] = marker
        known.withLock { known in
            if known.count >= 8 { known.removeAll() }
            known[key] = digests
        }
        return digests[relative]
    }
}
