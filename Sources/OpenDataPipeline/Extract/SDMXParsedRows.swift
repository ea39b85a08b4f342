/// Observations of an SDMX message as their fields' bytes, parsed but not yet decoded: what
/// the SDMX extractor's parsing thread hands to its decoding thread (``SDMXRowDecoding``),
/// a batch's worth at a time. Every row has one cell per field; a cell no component gave is empty.
///
/// In memory it owns (appends are inlined copies: an `Array`'s `append(contentsOf:)` cost a
/// tenth of the parsing thread). Handed over whole: the parsing thread makes a new one after
/// each hand-over and never touches the old, so only one thread uses it at a time (hence
/// `@unchecked Sendable`).
final class SDMXParsedRows: @unchecked Sendable {
    @exclusivity(unchecked) private var bytes: RecordRun<UInt8>
    @exclusivity(unchecked) private var ends: RecordRun<Int>
    /// Each row's line (the line of its `Obs` element).
    private(set) var lines: [Int] = []

    init(rows: Int = Batch.preferredRowCount, width: Int) {
        bytes = RecordRun(capacity: rows * width * 8)
        ends = RecordRun(capacity: rows * width)
        lines.reserveCapacity(rows)
    }

    deinit {
        bytes.free()
        ends.free()
    }

    var count: Int { lines.count }

    @inline(__always)
    func append(cell: UnsafeBufferPointer<UInt8>) {
        bytes.append(cell)
        ends.append(bytes.count)
    }

    @inline(__always)
    func appendEmptyCell() {
        ends.append(bytes.count)
    }

    func endRow(line: Int) {
        lines.append(line)
    }

    /// Calls `body` with the cells' bytes back to back and where each cell ends.
    func withCells<R, E: Error>(
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<Int>) throws(E) -> R
    ) throws(E) -> R {
        try body(bytes.elements, ends.elements)
    }
}

/// What the parsing thread knows once the message is read, for the decoding thread's last checks.
struct SDMXReadSummary: Sendable {
    /// Observations read (rows handed over, before any was dropped for a bad value).
    var observations: Int
    /// Per field, whether any observation found its component.
    var found: [Bool]
    /// A footer's texts (a deferred or refused response).
    var footer: [String]
    /// The components of the first observation (with its series', groups' and dataset's), sorted.
    var firstComponents: [String]
}
