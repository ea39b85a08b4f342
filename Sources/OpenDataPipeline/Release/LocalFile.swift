public import Foundation
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way files are read and written: swift-system's `FileDescriptor`, whose errors are
/// a typed `Errno`, plus the `fsync` it lacks. (Folders are listed, created and removed with
/// `FileManager`; the release switch renames with `rename(2)`.)
public enum LocalFile {
    /// The whole file; nil when it cannot be opened or read (as `FileManager.contents(atPath:)`).
    public static func contents(atPath path: String) -> Data? {
        (try? read(path)).map { Data($0) }
    }

    /// The whole file.
    static func read(_ path: String) throws(Errno) -> [UInt8] {
        try typed {
            let descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
            return try descriptor.closeAfter {
                var bytes: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) }
                    if count == 0 { return bytes }
                    bytes += chunk[0..<count]
                }
            }
        }
    }

    /// The first `count` bytes of the file (fewer when it is shorter, or a read fails); nil when it cannot be opened.
    static func prefix(atPath path: String, count: Int) -> [UInt8]? {
        guard let descriptor = try? FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) else { return nil }
        defer { try? descriptor.close() }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = (try? bytes.withUnsafeMutableBytes { try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }) ?? 0
            if read == 0 { break }
            filled += read
        }
        return Array(bytes[..<filled])
    }

    /// Writes `bytes` over `path` through a new file beside it renamed into place, so that a
    /// reader sees the old file or the new one (as Foundation's `.atomic`; not fsynced).
    static func replace(_ path: String, with bytes: [UInt8]) throws(Errno) {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        try typed {
            let descriptor = try FileDescriptor.open(
                FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
            _ = try descriptor.closeAfter { try descriptor.writeAll(bytes) }
        }
        guard rename(temporary, path) == 0 else {
            let error = Errno(rawValue: errno)
            unlink(temporary)
            throw error
        }
    }

    /// swift-system's calls throw only `Errno`; this says so in the type.
    private static func typed<T>(_ body: () throws -> T) throws(Errno) -> T {
        do {
            return try body()
        } catch let error as Errno {
            throw error
        } catch {
            throw Errno.ioError
        }
    }
}

extension FileDescriptor {
    /// `fsync(2)`: the file's data and metadata are on disk when this returns.
    func sync() throws(Errno) {
        guard fsync(rawValue) == 0 else { throw Errno(rawValue: errno) }
    }
}
