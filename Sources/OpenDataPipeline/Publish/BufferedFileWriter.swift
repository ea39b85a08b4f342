import Crypto
import SystemPackage

/// Writes a new file through a buffer and makes it durable on `close()`;
/// hashes the bytes as they go out, so the file's SHA-256 is known without
/// reading it again (``WrittenFiles``).
///
/// The file must not exist (`O_EXCL`): publication only ever writes into a
/// fresh staging folder. Every failure (no space, read-only file system) is a
/// ``PipelineFailure/cannotPublish(path:reason:)`` naming the file.
final class BufferedFileWriter {
    let path: String
    private var descriptor: FileDescriptor?
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Bytes written so far, buffered or not.
    private(set) var byteCount = 0
    private var hasher = SHA256()
    /// Bytes up to here have been handed to the kernel's writeback (``Durability/startWriteback(_:offset:count:)``).
    private var writebackStart = 0
    /// Bytes before here are on disk and out of the page cache (``Durability/releaseWritten(_:offset:count:)``).
    private var releasedStart = 0
    /// How many written bytes start their writeback together.
    static let writebackBytes = 8 << 20
    /// How far behind the writeback a file's pages are let go: a release that waited for the
    /// window just before stalled the writer on the disk (measured, 1 GB: a third of the time idle).
    static let releaseLag = 32 << 20
    /// The SHA-256 of the whole file, once closed.
    private(set) var sha256: String?

    init(path: String, capacity: Int = 1 << 18) throws(PipelineFailure) {
        self.path = path
        self.capacity = capacity
        FaultInjection.checkpoint("file")
        do {
            descriptor = try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .truncate],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "\(error)")
        }
        buffer.reserveCapacity(capacity)
    }

    deinit {
        try? descriptor?.close()
    }

    func write(_ bytes: some Sequence<UInt8>) throws(PipelineFailure) {
        let before = buffer.count
        buffer.append(contentsOf: bytes)
        byteCount += buffer.count - before
        if buffer.count >= capacity { try flush() }
    }

    func write(_ bytes: [UInt8]) throws(PipelineFailure) {
        buffer.append(contentsOf: bytes)
        byteCount += bytes.count
        if buffer.count >= capacity { try flush() }
    }

    /// A writer's batch: as large as the buffer or larger, it goes to the file as it is, not through the buffer.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws(PipelineFailure) {
        guard bytes.count >= capacity else {
            buffer.append(contentsOf: bytes)
            byteCount += bytes.count
            if buffer.count >= capacity { try flush() }
            return
        }
        try flush()
        byteCount += bytes.count
        try send(UnsafeRawBufferPointer(bytes))
    }

    func write(_ text: String) throws(PipelineFailure) {
        try write(text.utf8)
    }

    func flush() throws(PipelineFailure) {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBytes { bytes in Result { () throws(PipelineFailure) in try send(bytes) } }
        try sent.get()
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hashes `bytes` and writes them to the file.
    private func send(_ bytes: UnsafeRawBufferPointer) throws(PipelineFailure) {
        guard let descriptor else { return }
        hasher.update(bufferPointer: bytes)
        do {
            _ = try descriptor.writeAll(bytes)
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "\(error)")
        }
        let written = byteCount
        if written - writebackStart >= Self.writebackBytes {
            Durability.startWriteback(descriptor, offset: writebackStart, count: written - writebackStart)
            // Bytes written back ``releaseLag`` ago have had the time to reach the disk: their pages are let go
            // (waiting for them only if the disk is slower than the writer).
            let releasable = writebackStart - Self.releaseLag
            if releasable > releasedStart {
                try Durability.releaseWritten(descriptor, offset: releasedStart, count: releasable - releasedStart, path: path)
                releasedStart = releasable
            }
            writebackStart = written
        }
    }

    /// Flushes, fsyncs and closes the file.
    func close() throws(PipelineFailure) {
        try flush()
        guard let descriptor else { return }
        self.descriptor = nil
        do {
            try Durability.sync(descriptor, path: path)
            try descriptor.close()
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "\(error)")
        }
        let digest = Digest.hex(hasher.finalize())
        sha256 = digest
        WrittenFiles.record(path, bytes: byteCount, sha256: digest)
    }

    /// Writes `bytes` as a whole new file at `path`.
    static func write(_ bytes: some Sequence<UInt8>, to path: String) throws(PipelineFailure) -> Int {
        let writer = try BufferedFileWriter(path: path)
        try writer.write(bytes)
        try writer.close()
        return writer.byteCount
    }
}
