import CFileWriteback
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

    /// Asks the kernel to start writing `count` bytes of the file from `offset` to disk now,
    /// without waiting for them (Linux's `sync_file_range(SYNC_FILE_RANGE_WRITE)`), so a large
    /// file goes to disk while it is written and its `fsync` at close has little left to do.
    /// Only a hint: where it is missing or fails, the `fsync` does all the work, as before.
    static func startWriteback(_ descriptor: FileDescriptor, offset: Int, count: Int) {
        _ = opendata_start_writeback(descriptor.rawValue, Int64(offset), Int64(count))
    }

    /// Waits until `count` bytes of the file from `offset` are on disk and lets the kernel drop
    /// their pages from its cache (Linux's `sync_file_range` and `POSIX_FADV_DONTNEED`): a file of
    /// gigabytes written once then takes its cache pages from the ones it has just released, not
    /// from memory never touched (measured: on a virtual machine, copying into fresh pages was a
    /// third of a 1 GB publication's time).
    ///
    /// Not only a hint: the wait reports a write error of those bytes (EIO, ENOSPC on thin or
    /// network storage) and a later `fsync` would then not report it again, so it is thrown here.
    /// A file system or descriptor that cannot do this (ENOSYS, EINVAL, ESPIPE) only keeps its pages.
    static func releaseWritten(_ descriptor: FileDescriptor, offset: Int, count: Int, path: String) throws(PipelineFailure) {
        guard opendata_release_written(descriptor.rawValue, Int64(offset), Int64(count)) != 0 else { return }
        let error = Errno(rawValue: errno)
        guard ![.noFunction, .invalidArgument, .illegalSeek].contains(error) else { return }
        throw PipelineFailure.cannotPublish(path: path, reason: "writing to the disk failed: \(error)")
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
