#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// fsync for files and folders: a rename is atomic but not durable until the
/// data and the folder entries that name it are on disk.
enum Durability {
    static func sync(descriptor: Int32, path: String) throws(PipelineFailure) {
        guard fsync(descriptor) == 0 else {
            throw PipelineFailure.cannotPublish(path: path, reason: "fsync failed: \(Self.lastError)")
        }
    }

    /// Opens a folder read-only and fsyncs it, so that entries created or
    /// renamed in it survive a crash.
    static func syncDirectory(_ path: String) throws(PipelineFailure) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else {
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot open the folder: \(Self.lastError)")
        }
        defer { close(descriptor) }
        try sync(descriptor: descriptor, path: path)
    }

    static var lastError: String {
        String(cString: strerror(errno))
    }
}
