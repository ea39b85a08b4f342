import SystemPackage

/// `stat(2)` or `lstat(2)` of a path, through swift-system: its kind, size,
/// identity and times, without the user and group lookups (two files read
/// per call) that `FileManager.attributesOfItem` makes. (Glibc's `struct
/// stat` is not used directly: which C module owns it varies from build to
/// build, and member import visibility then refuses its fields.)
struct FileStatus {
    enum Kind {
        case file, directory, link, other
    }

    var kind: Kind
    var bytes: Int
    var device: UInt64 = 0
    var inode: UInt64 = 0
    /// Modification and change times, in nanoseconds since 1970.
    var modified: Int64 = 0
    var changed: Int64 = 0

    init(kind: Kind, bytes: Int) {
        self.kind = kind
        self.bytes = bytes
    }

    /// The status of `path`, of a link itself unless `followingLinks`; nil when there is nothing there.
    init?(path: String, followingLinks: Bool = false) {
        guard let info = try? Stat(FilePath(path), followTargetSymlink: followingLinks) else { return nil }
        switch info.type {
        case .regular: kind = .file
        case .directory: kind = .directory
        case .symbolicLink: kind = .link
        default: kind = .other
        }
        bytes = Int(info.size)
        device = UInt64(info.deviceID.rawValue)
        inode = UInt64(info.inode.rawValue)
        modified = Self.nanoseconds(info.st_mtim)
        changed = Self.nanoseconds(info.st_ctim)
    }

    /// A `timespec` (seconds, then nanoseconds, both 64-bit on the 64-bit Linux this runs on) in nanoseconds.
    private static func nanoseconds<Time>(_ time: Time) -> Int64 {
        withUnsafeBytes(of: time) { bytes in
            guard bytes.count >= 16 else { return 0 }
            return bytes.loadUnaligned(as: Int64.self) * 1_000_000_000 + bytes.loadUnaligned(fromByteOffset: 8, as: Int64.self)
        }
    }
}
