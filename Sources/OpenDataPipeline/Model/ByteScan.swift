/// Finds the first byte that needs attention in a run of UTF-8, eight bytes at a
/// time (SWAR: a word holds a wanted byte when a borrow reaches its high bit), so
/// writers copy plain runs whole and look at single bytes only where one is found.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether some byte of `word` is `byte`.
    @inline(__always)
    private static func has(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs != 0
    }

    /// Whether some byte of `word` is below `limit` (at most 128).
    @inline(__always)
    private static func hasBelow(_ word: UInt64, _ limit: UInt8) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highs != 0
    }

    @inline(__always)
    private static func word(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
    }

    /// The index of the first byte CSV must quote for (`,` `"` CR LF), or nil.
    @inline(__always)
    static func firstCSVSpecial(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            let w = word(bytes, at: index)
            if has(w, UInt8(ascii: ",")) || has(w, UInt8(ascii: "\"")) || hasBelow(w, 0x0E) { break }
            index += 8
        }
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D { return index }
            index += 1
        }
        return nil
    }

    /// The index of the first byte JSON must escape (`"` `\` C0 controls, DEL), or nil.
    @inline(__always)
    static func firstJSONSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        var index = start
        let count = bytes.count
        while index + 8 <= count {
            let w = word(bytes, at: index)
            if has(w, UInt8(ascii: "\"")) || has(w, UInt8(ascii: "\\")) || has(w, 0x7F) || hasBelow(w, 0x20) { break }
            index += 8
        }
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F { return index }
            index += 1
        }
        return nil
    }

    /// The index of the first C0 control but tab, LF and CR, or nil.
    @inline(__always)
    static func firstControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            if hasBelow(word(bytes, at: index), 0x20) { break }
            index += 8
        }
        while index < count {
            let byte = bytes[index]
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return index }
            index += 1
        }
        return nil
    }
}
