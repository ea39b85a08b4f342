import SystemPackage

/// The bytes an ``XMLStreamReader`` hands libxml2: read from the file chunk by chunk, each chunk
/// checked by ``CommentCheck`` first. A chunk with a `--` inside a comment (or a failed read) is
/// not handed over; libxml2 is told the input failed, and ``failure(source:)`` says why.
final class CheckedInput {
    let descriptor: FileDescriptor
    private var check = CommentCheck()
    private var readError: String?
    /// Whether a chunk was held back: the reader asks ``failure(source:)`` only then.
    private(set) var hasFailed = false

    init(descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    /// libxml2's read callback: up to `count` bytes into `buffer`; 0 at the end, -1 on a failure.
    func read(into buffer: UnsafeMutablePointer<CChar>, count: Int32) -> Int32 {
        guard !hasFailed else { return -1 }
        let bytes = UnsafeMutableRawBufferPointer(start: buffer, count: Int(count))
        let read: Int
        do {
            read = try descriptor.read(into: bytes)
        } catch {
            readError = "\(error)"
            hasFailed = true
            return -1
        }
        check.feed(UnsafeRawBufferPointer(rebasing: bytes[..<read]))
        guard check.failureOffset == nil else {
            hasFailed = true
            return -1
        }
        return Int32(read)
    }

    /// Why the input stopped: the file could not be read, or the comment error with its line and column.
    func failure(source: String) -> XMLError? {
        guard hasFailed else { return nil }
        if let readError { return .cannotOpen(source: source, reason: readError) }
        return check.error(source: source, document: FileBytes(descriptor: descriptor))
    }
}
