import SystemPackage

/// The bytes an ``XMLStreamReader`` or ``XMLEventReader`` hands libxml2: read from the file
/// chunk by chunk, each chunk checked by ``CommentCheck`` first. The bytes from a `--` inside a
/// comment on (or a failed read) are not handed over; libxml2 is told the input failed, and
/// ``failure(source:)`` says why.
final class CheckedInput {
    let descriptor: FileDescriptor
    private var check = CommentCheck()
    private var readError: String?
    /// Whether a chunk was held back: the reader asks ``failure(source:)`` only then.
    private(set) var hasFailed = false
    /// The bytes read so far.
    private var offset = 0

    init(descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    /// libxml2's read callback: up to `count` bytes into `buffer`; 0 at the end, -1 on a failure
    /// (the whole chunk held back).
    func read(into buffer: UnsafeMutablePointer<CChar>, count: Int32) -> Int32 {
        let (read, failed) = readChecked(into: buffer, count: count)
        return failed ? -1 : read
    }

    /// Up to `count` bytes into `buffer`, and whether the input failed: then the bytes given are
    /// those before the failure (before the `--`; none after a failed read).
    func readChecked(into buffer: UnsafeMutablePointer<CChar>, count: Int32) -> (count: Int32, failed: Bool) {
        guard !hasFailed else { return (0, true) }
        let bytes = UnsafeMutableRawBufferPointer(start: buffer, count: Int(count))
        let read: Int
        do {
            read = try descriptor.read(into: bytes)
        } catch {
            readError = "\(error)"
            hasFailed = true
            return (0, true)
        }
        let start = offset
        offset += read
        check.feed(UnsafeRawBufferPointer(rebasing: bytes[..<read]))
        guard let failure = check.failureOffset else { return (Int32(read), false) }
        hasFailed = true
        return (Int32(max(failure - start, 0)), true)
    }

    /// Why the input stopped: the file could not be read, or the comment error with its line and column.
    func failure(source: String) -> XMLError? {
        guard hasFailed else { return nil }
        if let readError { return .cannotOpen(source: source, reason: readError) }
        return check.error(source: source, document: FileBytes(descriptor: descriptor))
    }
}
