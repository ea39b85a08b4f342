import CoreFoundation
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `lstat(2)` of a path: its kind and size, without the user and group
/// lookups (two files read per call) that `FileManager.attributesOfItem` makes.
struct FileStatus {
    enum Kind {
        case file, directory, link, other
    }

    var kind: Kind
    var bytes: Int

    init(kind: Kind, bytes: Int) {
        self.kind = kind
        self.bytes = bytes
    }

    init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .link
        default: kind = .other
        }
        bytes = Int(info.st_size)
    }
}
