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

    /// Whether `test` holds for some word of `bytes[start...]`, its tail included, with no loop over
    /// single bytes: a tail is covered by a word that overlaps the last one, a cell of four to seven
    /// bytes by its first and last four in one word, a shorter one padded with spaces (which no
    /// test looks for). A false positive costs only the exact search that follows.
    @inline(__always)
    private static func anyWord(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ test: (UInt64) -> Bool) -> Bool {
        let count = bytes.count - start
        guard count > 0, let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base + start)
        if count >= 8 {
            var index = 0
            while index + 8 <= count {
                if test(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))) { return true }
                index += 8
            }
            return index < count && test(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)))
        }
        if count >= 4 {
            let head = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let tail = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            return test(head | tail << 32)
        }
        var word: UInt64 = ones &* 0x20
        for index in 0..<count {
            word = word & ~(0xFF << UInt64(8 * index)) | UInt64(raw.load(fromByteOffset: index, as: UInt8.self)) << UInt64(8 * index)
        }
        return test(word)
    }

    /// Whether `bytes` hold nothing that CSV must quote for or JSON must escape (`,` `"` `\\`,
    /// C0 controls, DEL): a text cell that both writers copy as it is.
    @inline(__always)
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !anyWord(bytes, from: 0) {
            has($0, UInt8(ascii: ",")) || has($0, UInt8(ascii: "\"")) || has($0, UInt8(ascii: "\\")) || has($0, 0x7F) || hasBelow($0, 0x20)
        }
    }

    /// The index of the first byte CSV must quote for (`,` `"` CR LF), or nil.
    @inline(__always)
    static func firstCSVSpecial(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard anyWord(bytes, from: 0, { has($0, UInt8(ascii: ",")) || has($0, UInt8(ascii: "\"")) || hasBelow($0, 0x0E) }) else {
            return nil
        }
        return bytes.firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
    }

    /// The index of the first byte JSON must escape (`"` `\` C0 controls, DEL), or nil.
    @inline(__always)
    static func firstJSONSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        guard
            anyWord(
                bytes, from: start, { has($0, UInt8(ascii: "\"")) || has($0, UInt8(ascii: "\\")) || has($0, 0x7F) || hasBelow($0, 0x20) })
        else { return nil }
        return bytes[start...].firstIndex { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 == 0x7F }
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
