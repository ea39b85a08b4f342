import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// fsync for files and folders: a rename is atomic but not durable until the
/// data and the folder entries that name it are on disk.
enum Durability {
    static func sync(_ descriptor: FileDescriptor, path: String) throws(PipelineFailure) {
        do {
            try descriptor.sync()
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "fsync failed: \(error)")
        }
    }

    /// Opens a file or folder read-only and fsyncs it (a folder: so that entries created or
    /// renamed in it survive a crash).
    static func sync(path: String, isDirectory: Bool) throws(PipelineFailure) {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: isDirectory ? .directory : [])
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: isDirectory ? "cannot open the folder: \(error)" : "cannot open: \(error)")
        }
        defer { try? descriptor.close() }
        try sync(descriptor, path: path)
    }

    static func syncDirectory(_ path: String) throws(PipelineFailure) {
        try sync(path: path, isDirectory: true)
    }

    /// The text of `errno`, for the folder operations (rename, link, unlink, lock) done with POSIX calls.
    static var lastError: String {
        Errno(rawValue: errno).description
    }
}
