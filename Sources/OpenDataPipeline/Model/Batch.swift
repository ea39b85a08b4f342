/// A block of rows flowing between stages.
///
/// Cells are stored row after row in one flat array (`width` cells a row), so
/// a batch of thousands of rows is a handful of allocations. Each row keeps
/// where it came from, so a later stage can still name the source line.
///
/// The UTF-8 of every text cell, and the canonical digits of every number, are also laid
/// out in one byte buffer (``text``, with a ``TextSpan`` per cell), as Arrow lays out a
/// string column: writers on other threads copy a cell's bytes from there instead of
/// touching its `String`, whose reference count the reader's threads would otherwise share
/// (the decode cache gives repeated cells one `String`), and a number is formatted once, not
/// once by each writer. Kept by construction: a batch's cells change only through
/// ``append(row:line:)``, ``appendCell(_:)`` and ``appendCell(copying:text:kind:)`` (which lay
/// out the bytes of what they append, ``Value/layOut(to:)``) and ``dropRow()`` (which takes back a row's bytes with its cells).
public struct Batch: Sendable {
    /// How many rows a stage gathers before passing a batch on.
    public static let preferredRowCount = 4096

    /// Where a cell's bytes lie in ``text``, and what they are.
    public struct TextSpan: Sendable {
        public enum Kind: UInt8, Sendable {
            /// Nothing laid out: null, a date or a boolean (writers format the value).
            case none
            /// A text cell's UTF-8 that neither CSV nor JSON must quote or escape (``ByteScan/isPlain(_:)``): copied as it is.
            case plainText
            /// A text cell's UTF-8 with a byte that CSV must quote for or JSON must escape.
            case text
            /// An integer's or a number's canonical text (``Value/appendCanonicalText(to:)``), the same in every format.
            case digits
        }

        public var start: Int
        private var length: Int32
        public var kind: Kind

        init(start: Int, count: Int, kind: Kind) {
            precondition(count <= Int(Int32.max), "a cell of more than 2 GB")
            self.start = start
            length = Int32(truncatingIfNeeded: count)
            self.kind = kind
        }

        @inline(__always) public var count: Int { Int(length) }
        @inline(__always) public var isText: Bool { kind == .text || kind == .plainText }

        /// The kind of a text cell's bytes.
        @inline(__always)
        static func textKind(of bytes: UnsafeBufferPointer<UInt8>) -> Kind {
            ByteScan.isPlain(bytes) ? .plainText : .text
        }
    }

    public let width: Int
    public private(set) var cells: [Value]
    /// The source line of each row; nil for rows a step made (an aggregate).
    public private(set) var lines: [Int?]
    /// The bytes of the cells' spans, one after another (copied on write).
    private var textStorage: BatchText
    /// The bytes of the cells' spans, one after another (a copy: writers read ``withCells(_:)``'s).
    public var text: [UInt8] { Array(textStorage.bytes) }
    /// One span a cell, in the order of ``cells``.
    public private(set) var spans: [TextSpan]

    public init(width: Int, capacity: Int = 0) {
        self.width = width
        cells = []
        lines = []
        textStorage = BatchText(capacity: capacity * width * 12)
        spans = []
        cells.reserveCapacity(capacity * width)
        spans.reserveCapacity(capacity * width)
        lines.reserveCapacity(capacity)
    }

    public var rowCount: Int { lines.count }
    public var isEmpty: Bool { lines.isEmpty }

    public subscript(row: Int, column: Int) -> Value {
        cells[row * width + column]
    }

    /// The cells of `row`.
    public func row(_ row: Int) -> ArraySlice<Value> {
        cells[row * width..<(row + 1) * width]
    }

    public mutating func append<C: Collection>(row: C, line: Int?) where C.Element == Value {
        precondition(row.count == width, "row width \(row.count) is not the batch width \(width)")
        for value in row { appendCell(value) }
        endRow(line: line)
    }

    /// Appends one cell of the row being built, which ``endRow(line:)`` closes and ``dropRow()`` takes back.
    @inline(__always)
    public mutating func appendCell(_ value: consuming Value) {
        ownText()
        let start = textStorage.count
        let kind = textStorage.layOut(value)
        spans.append(TextSpan(start: start, count: textStorage.count - start, kind: kind))
        // Its last use, so that a text cell's `String` moves into the batch without being retained again.
        cells.append(value)
    }

    /// Appends a copy of `value` as the next cell of the row being built, with `text` and `kind`, what
    /// ``Value/layOut(to:)`` gives for it, copied from there rather than made again: one copy of the
    /// value, for cells a decode cache gives again (``DecodeCache/appendValue(at:to:)``).
    @inline(__always)
    mutating func appendCell(copying value: UnsafePointer<Value>, text: UnsafeBufferPointer<UInt8>, kind: TextSpan.Kind) {
        let start = textStorage.count
        if !text.isEmpty {
            ownText()
            textStorage.append(text)
        }
        spans.append(TextSpan(start: start, count: text.count, kind: kind))
        cells.append(value.pointee)
    }

    /// Makes the text bytes this batch's own before they change (other threads may read a copy's).
    @inline(__always)
    private mutating func ownText() {
        if !isKnownUniquelyReferenced(&textStorage) { textStorage = textStorage.copy() }
    }

    /// Closes the row that ``appendCell(_:)`` built.
    public mutating func endRow(line: Int?) {
        precondition(cells.count == (rowCount + 1) * width, "row width \(cells.count - rowCount * width) is not the batch width \(width)")
        lines.append(line)
    }

    /// Takes back the cells of the row being built.
    public mutating func dropRow() {
        let first = rowCount * width
        guard cells.count > first else { return }
        if let start = spans[first...].first(where: { $0.kind != .none })?.start {
            ownText()
            textStorage.truncate(to: start)
        }
        cells.removeSubrange(first...)
        spans.removeSubrange(first...)
    }

    /// Calls `body` with the cells, their spans and the text bytes, for a writer's inner loop.
    @inline(__always)
    public func withCells<R>(
        _ body: (_ cells: UnsafeBufferPointer<Value>, _ spans: UnsafeBufferPointer<TextSpan>, _ text: UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        try cells.withUnsafeBufferPointer { cells in
            try spans.withUnsafeBufferPointer { spans in
                try withExtendedLifetime(textStorage) { try body(cells, spans, textStorage.bytes) }
            }
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes of one ``Batch/TextSpan``.
    @inline(__always)
    func cell(_ span: Batch.TextSpan) -> UnsafeBufferPointer<UInt8> {
        cell(span.start, span.count)
    }

    /// `count` bytes from `start`.
    @inline(__always)
    func cell(_ start: Int, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: baseAddress.map { $0 + start }, count: count)
    }
}

/// The bytes of a batch's text cells, in memory it owns: an append is an inlined copy (an
/// `Array`'s `append(contentsOf:)` was a tenth of the CSV reader's instructions, callgrind).
/// Copy on write: a batch changes it only while it alone holds it (``Batch`` copies it first
/// otherwise), so a batch passed to other threads is never changed under them; hence
/// `@unchecked Sendable`.
final class BatchText: @unchecked Sendable {
    @exclusivity(unchecked) private var run: RecordRun<UInt8>

    init(capacity: Int) {
        run = RecordRun(capacity: max(capacity, 64))
    }

    deinit {
        run.free()
    }

    var count: Int { run.count }

    var bytes: UnsafeBufferPointer<UInt8> { run.elements }

    func copy() -> BatchText {
        let copy = BatchText(capacity: run.count)
        copy.append(bytes)
        return copy
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        run.append(bytes: bytes)
    }

    /// Appends what a batch lays out for `value` (``Value/layOut(to:)``), and says what it is.
    @inline(__always)
    func layOut(_ value: Value) -> Batch.TextSpan.Kind {
        value.layOut(to: &run)
    }

    /// Takes back the bytes from `start` on.
    func truncate(to start: Int) {
        precondition(start >= 0 && start <= run.count)
        run.count = start
    }
}

extension Value {
    /// Appends the bytes a batch lays out for the value (a text's UTF-8, a number's canonical
    /// text; nothing for the rest) and says what they are: the one definition that batches and
    /// the decode cache share.
    @inline(__always)
    func layOut<Output: ByteOutput & ~Copyable>(to output: inout Output) -> Batch.TextSpan.Kind {
        switch self {
        case let .string(text):
            if let kind = text.utf8.withContiguousStorageIfAvailable({ bytes in
                output.append(bytes: bytes)
                return Batch.TextSpan.textKind(of: bytes)
            }) {
                return kind
            }
            return Array(text.utf8).withUnsafeBufferPointer { bytes in
                output.append(bytes: bytes)
                return Batch.TextSpan.textKind(of: bytes)
            }
        case .integer, .number:
            appendCanonicalText(to: &output)
            return .digits
        case .null, .boolean, .date:
            return .none
        }
    }
}
