/// Keys in the order they were added, held as their canonical bytes
/// (``KeyBytes``) in one arena, each with a note (a line): the references a
/// self-referencing foreign key checks once every row has been seen.
struct CompactKeyList: Sendable, Sequence {
    /// Each key as a varint length, its bytes, and its note as a varint.
    private var arena: [UInt8] = []

    mutating func append(_ key: [UInt8], note: UInt64) {
        KeyBytes.appendVarint(UInt64(key.count), to: &arena)
        arena.append(contentsOf: key)
        KeyBytes.appendVarint(note, to: &arena)
    }

    func makeIterator() -> Iterator { Iterator(arena: arena) }

    /// Each key's bytes and note, in the order they were added.
    struct Iterator: IteratorProtocol {
        let arena: [UInt8]
        var position = 0

        mutating func next() -> (key: [UInt8], note: UInt64)? {
            guard position < arena.count else { return nil }
            let length = Int(KeyBytes.readVarint(arena, at: &position))
            let key = Array(arena[position..<position + length])
            position += length
            return (key, KeyBytes.readVarint(arena, at: &position))
        }
    }
}
