#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The values of recently decoded cells, per field: long-format statistics repeat
/// a few codes, names, units and years on every row, so a cell whose bytes equal a
/// remembered cell's gets the same value (sharing its `String`) without being
/// decoded, checked and normalized again.
///
/// Decoding is a pure function of a cell's bytes and its field, so a hit is exactly
/// what decoding would give; only cells that decoded without an error are kept.
/// A hit is appended to the batch straight from the cache (``appendValue(at:to:)``): one copy of
/// the value, and its text's UTF-8 from the cache's own copy, so a repeated cell costs one retain
/// and a short copy (measured: the hit path had made three copies of each value, and each copy
/// and release of a `String` is an atomic operation).
///
/// Bounded: ``slots`` cells of at most ``maximumBytes`` bytes per field (and text values of at
/// most ``maximumTextBytes``), in flat
/// tables allocated once (not arrays, so a lookup is plain loads and stores, with no
/// uniqueness check or reference count), nothing allocated per cell. A field whose
/// cells rarely repeat (measured values) stops being looked up after ``trialLookups`` cells.
struct DecodeCache: ~Copyable {
    static let slots = 64
    static let maximumBytes = 128
    static let trialLookups = 2048
    /// The longest decoded text kept (NFC can make a text longer than its cell).
    static let maximumTextBytes = 160

    private let fields: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    /// The length of the cell in each slot; -1 when empty.
    private let lengths: UnsafeMutablePointer<Int>
    private let values: UnsafeMutablePointer<Value>
    /// The bytes a batch lays out for each slot's value (``Value/layOut(to:)``), their length and what they are.
    private let texts: UnsafeMutablePointer<UInt8>
    private let textLengths: UnsafeMutablePointer<Int>
    private let kinds: UnsafeMutablePointer<Batch.TextSpan.Kind>
    private let lookups: UnsafeMutablePointer<Int>
    private let hits: UnsafeMutablePointer<Int>
    private let enabled: UnsafeMutablePointer<Bool>

    init(fields: Int) {
        self.fields = fields
        bytes = .allocate(capacity: max(1, fields * Self.slots * Self.maximumBytes))
        lengths = .allocate(capacity: max(1, fields * Self.slots))
        lengths.initialize(repeating: -1, count: max(1, fields * Self.slots))
        values = .allocate(capacity: max(1, fields * Self.slots))
        values.initialize(repeating: .null, count: max(1, fields * Self.slots))
        texts = .allocate(capacity: max(1, fields * Self.slots * Self.maximumTextBytes))
        textLengths = .allocate(capacity: max(1, fields * Self.slots))
        textLengths.initialize(repeating: 0, count: max(1, fields * Self.slots))
        kinds = .allocate(capacity: max(1, fields * Self.slots))
        kinds.initialize(repeating: .none, count: max(1, fields * Self.slots))
        lookups = .allocate(capacity: max(1, fields))
        lookups.initialize(repeating: 0, count: max(1, fields))
        hits = .allocate(capacity: max(1, fields))
        hits.initialize(repeating: 0, count: max(1, fields))
        enabled = .allocate(capacity: max(1, fields))
        enabled.initialize(repeating: true, count: max(1, fields))
    }

    deinit {
        bytes.deallocate()
        lengths.deallocate()
        values.deinitialize(count: max(1, fields * Self.slots))
        values.deallocate()
        texts.deallocate()
        textLengths.deallocate()
        kinds.deallocate()
        lookups.deallocate()
        hits.deallocate()
        enabled.deallocate()
    }

    /// Where a lookup found a cell: a hit's slot (``appendValue(at:to:)``), or on a miss the slot where
    /// ``remember(_:of:in:)`` keeps the value decoding gives (-1: it is not to be kept).
    struct Found {
        let slot: Int
        let hit: Bool
    }

    /// Looks `cell` of `field` up.
    @inline(__always)
    mutating func lookUp(_ cell: UnsafeBufferPointer<UInt8>, field: Int) -> Found {
        let count = cell.count
        guard enabled[field], count <= Self.maximumBytes, count > 0 else { return Found(slot: -1, hit: false) }
        let slot = field * Self.slots + Self.slot(of: cell)
        let offset = slot * Self.maximumBytes
        lookups[field] += 1
        if lengths[slot] == count, Self.equal(bytes + offset, cell.baseAddress!, count: count) {
            hits[field] += 1
            return Found(slot: slot, hit: true)
        }
        // Checked on every miss from the trial's end on, so a hit at exactly the trial's last lookup cannot skip it.
        if lookups[field] >= Self.trialLookups, hits[field] * 4 < lookups[field] { enabled[field] = false }
        return Found(slot: slot, hit: false)
    }

    /// The value remembered in a hit's `slot`.
    @inline(__always)
    func value(at slot: Int) -> Value {
        values[slot]
    }

    /// Appends the value remembered in a hit's `slot` as the next cell of `batch`'s row, its bytes from the cache's copy.
    @inline(__always)
    func appendValue(at slot: Int, to batch: inout BatchBuilder) {
        batch.appendCell(
            copying: values + slot, text: UnsafeBufferPointer(start: texts + slot * Self.maximumTextBytes, count: textLengths[slot]),
            kind: kinds[slot])
    }

    /// Keeps `value`, decoded from `cell` without an error, in `slot` (from ``lookUp(_:field:)``), with the
    /// bytes a batch lays out for it (``Value/layOut(to:)``); one whose bytes pass ``maximumTextBytes`` is not kept.
    @inline(__always)
    mutating func remember(_ value: Value, of cell: UnsafeBufferPointer<UInt8>, in slot: Int) {
        guard slot >= 0 else { return }
        var laidOut: [UInt8] = []
        let kind = value.layOut(to: &laidOut)
        guard laidOut.count <= Self.maximumTextBytes else {
            lengths[slot] = -1
            return
        }
        laidOut.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { (texts + slot * Self.maximumTextBytes).update(from: base, count: source.count) }
        }
        textLengths[slot] = laidOut.count
        kinds[slot] = kind
        (bytes + slot * Self.maximumBytes).update(from: cell.baseAddress!, count: cell.count)
        lengths[slot] = cell.count
        values[slot] = value
    }

    /// Whether `count` bytes at `a` and `b` are equal; short cells (codes, years) without a call to memcmp.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count <= 16 else { return memcmp(a, b, count) == 0 }
        let (x, y) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        // Two overlapping words cover 8 to 16 bytes (two half-words, 4 to 7).
        if count >= 8 {
            return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
                && x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        if count >= 4 {
            return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                && x.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        }
        for index in 0..<count where a[index] != b[index] { return false }
        return true
    }

    /// Forgets the remembered values (not what the trial measured). Called when a batch is
    /// passed on, so that each batch's text cells share only `String`s of its own: the sink
    /// threads that release a finished batch then never touch the reference counts that the
    /// reader is incrementing for the next one (the same count on two cores costs a cache-line
    /// transfer on each increment).
    mutating func forgetValues() {
        lengths.update(repeating: -1, count: max(1, fields * Self.slots))
        values.update(repeating: .null, count: max(1, fields * Self.slots))
    }

    /// A slot from the cell's length and its first and last eight bytes.
    @inline(__always)
    private static func slot(of cell: UnsafeBufferPointer<UInt8>) -> Int {
        let count = cell.count
        let base = UnsafeRawPointer(cell.baseAddress!)
        var mixed: UInt64
        if count >= 8 {
            mixed = base.loadUnaligned(as: UInt64.self) ^ (base + count - 8).loadUnaligned(as: UInt64.self).rotatedLeft(29)
        } else {
            mixed = 0
            for index in 0..<count { mixed = mixed << 8 | UInt64(cell[index]) }
        }
        mixed = (mixed ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15
        // The top bits, as many as `slots` (a power of two) needs.
        return Int(truncatingIfNeeded: mixed >> UInt64(64 - Self.slots.trailingZeroBitCount))
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ bits: UInt64) -> UInt64 { self << bits | self >> (64 - bits) }
}
