import Synchronization

/// The SHA-256 and size of every file ``BufferedFileWriter`` wrote, computed
/// while the bytes were written, so that a release's manifest, `SHA256SUMS`,
/// the digest cache and the preview server's ETags reuse it instead of
/// reading the file again. Keyed by path; an entry serves only while the file
/// still has the device, inode and size it was written with (otherwise the
/// file is hashed as before). Taken out when a release's inventory is made,
/// and forgotten below a folder that is abandoned.
enum WrittenFiles {
    struct Entry: Sendable, Equatable {
        var bytes: Int
        var sha256: String
        var device: UInt64
        var inode: UInt64
    }

    private static let entries = Mutex<[String: Entry]>([:])

    static func record(_ path: String, bytes: Int, sha256: String) {
        guard let status = FileStatus(path: path), status.kind == .file else { return }
        entries.withLock { $0[path] = Entry(bytes: bytes, sha256: sha256, device: status.device, inode: status.inode) }
    }

    /// The digest written for `path`, when the file there is still the one written.
    static func take(_ path: String, status: FileStatus) -> String? {
        guard let entry = entries.withLock({ $0.removeValue(forKey: path) }),
            entry.device == status.device, entry.inode == status.inode, entry.bytes == status.bytes
        else { return nil }
        return entry.sha256
    }

    /// Drops the entries of files below `folder` (a staging folder removed, a file written aside).
    static func forget(below folder: String) {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        entries.withLock { entries in
            for key in entries.keys where key.hasPrefix(prefix) || key == folder { entries.removeValue(forKey: key) }
        }
    }
}
