#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The components of the SDMX observation being read, by name, as bytes: a component a field
/// names has a slot of its own, found once from its name; any other is kept by name (group
/// keys and the first observation's list may name it). Values are copied into buffers kept
/// from one observation to the next, so reading one allocates nothing once they have grown.
/// Setting a component again replaces it; setting it to nil removes it.
struct SDMXObservation {
    /// The distinct component names the fields name: slot `i` holds `names[i]`.
    let names: [String]
    /// The names' UTF-8 bytes one after the other, where each starts, and how many each has.
    private let nameBytes: [UInt8]
    private let nameStarts: [Int]
    private let nameCounts: [Int]
    /// Whether a name is not all ASCII (then bytes that differ may still be equal text).
    private let textNames: Bool
    let slots: SlotBytes
    /// Components no field names, the first `otherCount` entries in use.
    private var others: [(name: String, value: [UInt8], present: Bool)] = []
    private var otherCount = 0

    init(names: [String]) {
        var distinct: [String] = []
        for name in names where !distinct.contains(name) { distinct.append(name) }
        self.names = distinct
        nameBytes = distinct.flatMap(\.utf8)
        let counts = distinct.map(\.utf8.count)
        nameCounts = counts
        nameStarts = counts.indices.map { counts[..<$0].reduce(0, +) }
        textNames = nameBytes.contains { $0 >= 0x80 }
        slots = SlotBytes(count: distinct.count)
    }

    /// The slot of the component `name`; nil when no field names it.
    func slot(of name: String) -> Int? {
        names.firstIndex(of: name)
    }

    /// The same for a name's UTF-8 bytes; names compare as `String`s do (canonically equivalent
    /// text is equal), so bytes other than ASCII are compared as text.
    @inline(__always)
    func slot(of name: UnsafeBufferPointer<UInt8>) -> Int? {
        let found = nameBytes.withUnsafeBufferPointer { stored -> Int? in
            for index in nameCounts.indices where nameCounts[index] == name.count {
                if name.isEmpty || DecodeCache.equal(stored.baseAddress! + nameStarts[index], name.baseAddress!, count: name.count) {
                    return index
                }
            }
            return nil
        }
        if let found { return found }
        guard textNames || name.contains(where: { $0 >= 0x80 }) else { return nil }
        return slot(of: String(decoding: name, as: UTF8.self))
    }

    /// Sets slot `slot`; nil removes it.
    @inline(__always)
    mutating func set(slot: Int, _ value: UnsafeBufferPointer<UInt8>?) {
        slots.set(slot, value)
    }

    /// Sets the component `name` (in its slot, if a field names it); nil removes it.
    @inline(__always)
    mutating func set(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>?) {
        if let slot = slot(of: name) { return slots.set(slot, value) }
        setOther(String(decoding: name, as: UTF8.self), value)
    }

    mutating func set(_ name: String, _ value: UnsafeBufferPointer<UInt8>?) {
        if let slot = slot(of: name) { return slots.set(slot, value) }
        setOther(name, value)
    }

    mutating func set(_ name: String, _ value: String?) {
        guard var value else { return set(name, nil as UnsafeBufferPointer<UInt8>?) }
        value.withUTF8 { set(name, $0) }
    }

    private mutating func setOther(_ name: String, _ value: UnsafeBufferPointer<UInt8>?) {
        let index: Int
        if let found = (0..<otherCount).first(where: { others[$0].name == name }) {
            index = found
        } else {
            if otherCount == others.count { others.append(("", [], false)) }
            index = otherCount
            otherCount += 1
            others[index].name = name
        }
        others[index].value.removeAll(keepingCapacity: true)
        if let value { others[index].value.append(contentsOf: value) }
        others[index].present = value != nil
    }

    /// The component `name`'s value; nil when the observation has none.
    func value(_ name: String) -> String? {
        if let slot = slot(of: name) { return slots.string(slot) }
        guard let index = (0..<otherCount).first(where: { others[$0].name == name }), others[index].present else { return nil }
        return String(decoding: others[index].value, as: UTF8.self)
    }

    /// The names of the components the observation has.
    var componentNames: [String] {
        names.indices.filter { slots.has($0) }.map { names[$0] } + others.prefix(otherCount).filter(\.present).map(\.name)
    }

    /// Empties every component, keeping the buffers' capacity.
    mutating func removeAll() {
        slots.removeAll()
        otherCount = 0
    }
}

/// A value's bytes (or none) for each of a fixed number of slots, in one buffer that is kept
/// (and grown) from one use to the next: setting a slot copies bytes and allocates nothing
/// once the buffer is large enough. A reference type: its owner keeps the only reference.
final class SlotBytes {
    let count: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 256
    private var used = 0
    private let starts: UnsafeMutablePointer<Int>
    /// -1: the slot has no value.
    private let counts: UnsafeMutablePointer<Int>
    /// The bytes of the values set, which the buffer holds with those replaced since.
    private var liveBytes = 0

    init(count: Int) {
        self.count = count
        buffer = .allocate(capacity: capacity)
        starts = .allocate(capacity: max(count, 1))
        starts.initialize(repeating: 0, count: max(count, 1))
        counts = .allocate(capacity: max(count, 1))
        counts.initialize(repeating: -1, count: max(count, 1))
    }

    deinit {
        buffer.deallocate()
        starts.deallocate()
        counts.deallocate()
    }

    @inline(__always)
    func has(_ slot: Int) -> Bool {
        precondition(slot >= 0 && slot < count)
        return counts[slot] >= 0
    }

    /// Sets `slot` to a copy of `value`; nil removes it.
    @inline(__always)
    func set(_ slot: Int, _ value: UnsafeBufferPointer<UInt8>?) {
        precondition(slot >= 0 && slot < count)
        if counts[slot] >= 0 {
            liveBytes -= counts[slot]
            counts[slot] = -1
        }
        guard let value else { return }
        // Replaced values are dropped once they would fill most of the buffer: memory stays
        // proportional to the values kept, however often one is set again.
        if used + value.count > capacity {
            if used > 2 * liveBytes { compact() }
            if used + value.count > capacity { grow(to: max(2 * capacity, used + value.count)) }
        }
        if let base = value.baseAddress { (buffer + used).update(from: base, count: value.count) }
        starts[slot] = used
        counts[slot] = value.count
        used += value.count
        liveBytes += value.count
    }

    private func grow(to newCapacity: Int) {
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: buffer, count: used)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    private func compact() {
        let kept = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var next = 0
        for slot in 0..<count where counts[slot] >= 0 {
            (kept + next).update(from: buffer + starts[slot], count: counts[slot])
            starts[slot] = next
            next += counts[slot]
        }
        buffer.deallocate()
        buffer = kept
        used = next
    }

    /// The bytes of `slot` (valid until the next ``set(_:_:)`` or ``removeAll()``); nil when it has none.
    @inline(__always)
    subscript(slot: Int) -> UnsafeBufferPointer<UInt8>? {
        guard has(slot) else { return nil }
        return UnsafeBufferPointer(start: buffer + starts[slot], count: counts[slot])
    }

    func string(_ slot: Int) -> String? {
        self[slot].map { String(decoding: $0, as: UTF8.self) }
    }

    func removeAll() {
        used = 0
        liveBytes = 0
        counts.update(repeating: -1, count: count)
    }
}
