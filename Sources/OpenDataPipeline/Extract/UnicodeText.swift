import Foundation

/// Text as the pipeline keeps it: Unicode NFC, so that "Hà Nội" typed in
/// decomposed form (NFD, or from an encoding with combining tone marks) is the
/// same value, and writes the same bytes, as the composed one.
enum UnicodeText {
    /// `text` in NFC. Text already in NFC by a quick check (ASCII, Latin up to
    /// U+02FF and the precomposed Vietnamese letters U+1E00–U+1EFF, none of
    /// which compose with what follows) is returned as it is, without the cost
    /// of Foundation's normalization.
    @inline(__always)
    static func nfc(_ text: String) -> String {
        if isQuickNFC(text) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    static func isQuickNFC(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isQuickNFC) ?? Array(text.utf8).withUnsafeBufferPointer(isQuickNFC)
    }

    /// The same check on valid UTF-8: lead bytes below 0xCC start scalars below
    /// U+0300; E1 B8–BB starts U+1E00–U+1EFF.
    static func isQuickNFC(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte < 0xCC {
                index += 1
            } else if byte == 0xE1, index + 1 < count, (0xB8...0xBB).contains(utf8[index + 1]) {
                index += 3
            } else {
                return false
            }
        }
        return true
    }

    /// The value with its text in NFC (other values unchanged).
    @inline(__always)
    static func nfc(_ value: Value) -> Value {
        if case let .string(text) = value, !isQuickNFC(text) {
            return .string(text.precomposedStringWithCanonicalMapping)
        }
        return value
    }
}
