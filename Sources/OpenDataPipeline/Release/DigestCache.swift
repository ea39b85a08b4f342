import Foundation

/// SHA-256 digests of files remembered by their `stat` (device, inode, size,
/// modification and change times), so that a run whose inputs did not change
/// opens none of them. Kept in `Output/.digests.json`, outside every release,
/// and read and written only under the run lock. A digest is remembered only
/// when the file's times are at least two seconds older than the moment it
/// was hashed, so a write within the clock's resolution cannot go unseen; any
/// write changes the change time (`ctime`), which no program can set back.
final class DigestCache {
    struct Entry: Codable, Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var bytes: Int64
        /// Modification and change times, in nanoseconds since 1970.
        var modified: Int64
        var changed: Int64
        var sha256: String
    }

    let file: URL?
    private var known: [String: Entry]
    /// The entries this run used or added: the only ones saved, so the cache never grows beyond one run's files.
    private var used: [String: Entry] = [:]
    /// Files hashed this run (not found in the cache), for the tests.
    private(set) var hashed: [String] = []
    /// Every digest this run checked, with the status the file had then: a file
    /// linked into a new release is known by it (see ``carry(from:sha256:)``).
    private var checked: [String: Entry] = [:]

    /// How much older than the moment of hashing a file's times must be for its digest to be remembered.
    let settleNanoseconds: Int64

    /// A cache read from `file` (none when nil: every digest is computed).
    init(file: URL?, settleSeconds: Double = 2) {
        self.file = file
        settleNanoseconds = Int64(settleSeconds * 1e9)
        if let file, let data = LocalFile.contents(atPath: file.path),
            let entries = try? JSONDecoder().decode([String: Entry].self, from: data)
        {
            known = entries
        } else {
            known = [:]
        }
    }

    /// The SHA-256 of the file at `path`, from the cache when its `stat` is unchanged.
    func sha256(file path: String) throws(PipelineFailure) -> String {
        if let known = knownDigest(of: path) { return known }
        let hashing = beginHashing(path)
        let digest = try Digest.sha256(file: path)
        record(hashing, sha256: digest)
        return digest
    }

    /// The remembered digest of the file at `path` when its `stat` is unchanged (and then used this run); else nil.
    func knownDigest(of path: String) -> String? {
        guard file != nil, let entry = Self.status(of: path), let cached = known[path], cached.device == entry.device,
            cached.inode == entry.inode, cached.bytes == entry.bytes, cached.modified == entry.modified, cached.changed == entry.changed
        else { return nil }
        used[path] = cached
        checked[path] = cached
        return cached.sha256
    }

    /// Whether the file at `path` is surely not the one whose digest is `sha256`: the cache
    /// remembers that digest under this path with another size than the file has now.
    func sizeDiffers(_ path: String, fromFileWithDigest sha256: String) -> Bool {
        guard let cached = known[path], cached.sha256 == sha256, let entry = Self.status(of: path) else { return false }
        return cached.bytes != entry.bytes
    }

    /// A file about to be hashed: its status and the moment, taken before its bytes are read.
    struct Hashing: Sendable {
        let path: String
        fileprivate let status: Entry?
        fileprivate let started: Int64
    }

    func beginHashing(_ path: String) -> Hashing {
        Hashing(path: path, status: file == nil ? nil : Self.status(of: path), started: Self.nanoseconds(Date()))
    }

    /// Records the digest of a file hashed since ``beginHashing(_:)`` (on any thread; recorded on the run's).
    func record(_ hashing: Hashing, sha256: String) {
        hashed.append(hashing.path)
        guard file != nil, var entry = hashing.status else { return }
        entry.sha256 = sha256
        if max(entry.modified, entry.changed) < hashing.started - settleNanoseconds { used[hashing.path] = entry }
        checked[hashing.path] = entry
    }

    /// Whether the file at `path`, just hard-linked to a new name, is still
    /// the one this run checked with `sha256`: same device, inode, size and
    /// modification time (linking changes only the change time). `settled`
    /// says whether that digest may be remembered under the new name.
    func carry(from path: String, sha256: String) -> (same: Bool, settled: Bool) {
        guard let before = checked[path], before.sha256 == sha256, let now = Self.status(of: path),
            now.device == before.device, now.inode == before.inode, now.bytes == before.bytes, now.modified == before.modified
        else { return (false, false) }
        return (true, used[path] != nil)
    }

    /// Remembers `sha256` for the file at `path` with its status now: for a file
    /// of a release this run wrote (hashed as written, under the run lock, never
    /// opened for writing again) or linked from a settled digest.
    func remember(_ path: String, sha256: String) {
        guard file != nil, var entry = Self.status(of: path) else { return }
        entry.sha256 = sha256
        used[path] = entry
    }

    /// Writes the entries this run used (atomically; a cache that cannot be written is only slower next time).
    func save() {
        guard let file, used != known else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(used) else { return }
        try? LocalFile.replace(file.path, with: Array(data))
    }

    private static func status(of path: String) -> Entry? {
        guard let status = FileStatus(path: path, followingLinks: true), status.kind == .file else { return nil }
        return Entry(
            device: status.device, inode: status.inode, bytes: Int64(status.bytes), modified: status.modified,
            changed: status.changed, sha256: "")
    }

    private static func nanoseconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970 * 1e9)
    }
}
