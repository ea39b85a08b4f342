/// A set of keys held compactly: each key's canonical bytes (``KeyBytes``) are
/// appended to one growing arena, found through an open-addressing table of
/// 8-byte slots (part of the key's hash and its offset in the arena). No
/// object is made per key, and a hash match is confirmed by comparing the
/// bytes, so two keys are never taken for one. Each key carries a note kept
/// from its first insertion (the line a primary key was first seen on).
struct CompactKeySet: Sendable {
    /// Each key as a varint length, its bytes, and its note as a varint.
    private var arena: [UInt8] = []
    /// 0 when empty; otherwise the hash's top 24 bits above the key's offset plus one (40 bits).
    private var slots = [UInt64](repeating: 0, count: 16)
    private(set) var count = 0

    private static let offsetBits: UInt64 = 40
    private static let offsetMask: UInt64 = (1 << offsetBits) - 1

    /// Whether an equal key has been inserted.
    func contains(_ key: [UInt8]) -> Bool {
        key.withUnsafeBufferPointer { find($0, hash: Self.hash($0)).offset != nil }
    }

    /// Inserts `key` and tells whether it was new.
    @discardableResult
    mutating func insert(_ key: [UInt8]) -> Bool {
        insert(key, note: 0) == nil
    }

    /// Inserts `key` with `note`; nil when it was new, otherwise the note kept
    /// with the equal key inserted first (which stays as it was).
    mutating func insert(_ key: [UInt8], note: UInt64) -> UInt64? {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        return key.withUnsafeBufferPointer { key in
            let hash = Self.hash(key)
            let (slot, offset) = find(key, hash: hash)
            if let offset { return storedNote(at: offset) }
            let start = UInt64(arena.count)
            precondition(start < Self.offsetMask, "more than 1 TiB of keys")
            KeyBytes.appendVarint(UInt64(key.count), to: &arena)
            arena.append(contentsOf: key)
            KeyBytes.appendVarint(note, to: &arena)
            slots[slot] = (hash >> Self.offsetBits) << Self.offsetBits | (start + 1)
            count += 1
            return nil
        }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// The slot holding an equal key (and the key's offset), or the empty slot where it belongs.
    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (slot: Int, offset: Int?) {
        let mask = slots.count - 1
        let tag = hash >> Self.offsetBits
        var index = Int(truncatingIfNeeded: hash) & mask
        return arena.withUnsafeBufferPointer { arena in
            slots.withUnsafeBufferPointer { slots in
                while true {
                    let slot = slots[index]
                    if slot == 0 { return (index, nil) }
                    if slot >> Self.offsetBits == tag {
                        let offset = Int(slot & Self.offsetMask) - 1
                        let stored = Self.key(at: offset, in: arena)
                        if stored.count == key.count, stored.elementsEqual(key) { return (index, offset) }
                    }
                    index = (index + 1) & mask
                }
            }
        }
    }

    /// The bytes of the key stored at `offset`.
    private static func key(at offset: Int, in arena: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var position = offset
        let length = Int(KeyBytes.readVarint(arena, at: &position))
        return arena[position..<position + length]
    }

    private func storedNote(at offset: Int) -> UInt64 {
        arena.withUnsafeBufferPointer { arena in
            var position = Self.key(at: offset, in: arena).endIndex
            return KeyBytes.readVarint(arena, at: &position)
        }
    }

    /// Doubles the table, placing each key again by its hash.
    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        arena.withUnsafeBufferPointer { arena in
            for slot in slots where slot != 0 {
                let key = Self.key(at: Int(slot & Self.offsetMask) - 1, in: arena)
                var index = Int(truncatingIfNeeded: Self.hash(UnsafeBufferPointer(rebasing: key))) & mask
                while larger[index] != 0 { index = (index + 1) & mask }
                larger[index] = slot
            }
        }
        slots = larger
    }
}
