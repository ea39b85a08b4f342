/// The character encoding a text source (CSV) is declared to use.
///
/// Only the declared encoding is used: nothing is guessed during a run
/// (`opendata inspect` suggests one). Bytes that are not valid in the declared
/// encoding are an error naming their byte offset, never replaced.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8, with or without a byte order mark.
    case utf8 = "utf-8"
    /// UTF-16 with a byte order mark (LE or BE), as Excel's "Unicode text" saves.
    case utf16 = "utf-16"
    /// Windows code page 1258 (Vietnamese): tone marks are combining characters,
    /// composed to NFC afterwards.
    case windows1258 = "windows-1258"
    /// TCVN 5712:1993 VN3, the "ABC" font encoding (.VnTime): one byte per
    /// lower-case Vietnamese letter; upper-case letters with tone marks lived
    /// in separate fonts (.VnTimeH) and cannot be told apart in the file.
    case tcvn3
    /// VNI Windows: a base letter followed by bytes for its marks.
    case vni
}

/// Why bytes could not be decoded: where, in the file's own bytes, and what was found.
struct EncodingFailure: Error, Sendable, Equatable {
    /// 0-based offset of the first offending byte in the file.
    var offset: Int
    var problem: String
}

/// Converts bytes of a declared encoding into UTF-8, chunk by chunk.
///
/// Keeps the few bytes of a character split across chunks, so any chunk size
/// works. Never substitutes: an invalid byte is an ``EncodingFailure``.
struct Transcoder {
    let encoding: TextEncoding
    /// Offset in the file of the next input byte.
    private(set) var offset = 0
    /// Bytes of an incomplete character carried to the next chunk.
    private var pending: [UInt8] = []
    private var sawStart = false
    private var bigEndian = false
    private var highSurrogate: UInt16?
    private var highSurrogateOffset = 0

    init(encoding: TextEncoding) {
        self.encoding = encoding
    }

    /// Decodes `input` (the next bytes of the file) and appends UTF-8 to `output`.
    /// With `final`, the input is the end of the file: an incomplete character is an error.
    mutating func transcode(_ input: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8]) throws(EncodingFailure) {
        switch encoding {
        case .utf8:
            try utf8(input, final: final, into: &output)
        case .utf16:
            try utf16(input, final: final, into: &output)
        case .windows1258, .tcvn3, .vni:
            let table = SingleByteTables.table(for: encoding)
            for (index, byte) in input.enumerated() {
                if byte < 0x80 {
                    output.append(byte)
                    continue
                }
                let scalars = table[Int(byte) - 0x80]
                guard !scalars.isEmpty else {
                    throw EncodingFailure(
                        offset: offset + index,
                        problem: "the byte 0x\(Self.hex(byte)) is not a character in \(encoding.rawValue)")
                }
                for scalar in scalars { Self.appendUTF8(scalar, to: &output) }
            }
            offset += input.count
        }
    }

    // MARK: UTF-8

    /// Copies valid UTF-8 through, drops a leading byte order mark, and stops at the first invalid byte.
    private mutating func utf8(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8]) throws(EncodingFailure) {
        var bytes = pending
        pending.removeAll()
        let pendingCount = bytes.count
        bytes.append(contentsOf: chunk)
        let startOffset = offset - pendingCount
        var start = 0
        if !sawStart {
            if bytes.count < 3 && !final {
                pending = bytes
                return
            }
            sawStart = true
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        }
        var mayNeedNFC = false
        let checked = bytes.withUnsafeBufferPointer { buffer in
            UTF8Validation.validPrefix(buffer, from: start, mayNeedNFC: &mayNeedNFC)
        }
        if checked.end < bytes.count {
            let remaining = bytes.count - checked.end
            if checked.incomplete && !final && remaining < 4 {
                pending = Array(bytes[checked.end...])
            } else {
                throw EncodingFailure(
                    offset: startOffset + checked.end,
                    problem: Self.utf8Problem(bytes, at: checked.end, fileStart: startOffset == 0 && checked.end == 0))
            }
        }
        output.append(contentsOf: bytes[start..<checked.end])
        offset += chunk.count
    }

    private static func utf8Problem(_ bytes: [UInt8], at index: Int, fileStart: Bool) -> String {
        if fileStart, bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return "the file starts with a UTF-16 byte order mark: declare encoding: utf-16"
        }
        let shown = bytes[index..<min(bytes.count, index + 4)].map { "0x\(hex($0))" }.joined(separator: " ")
        return "the bytes \(shown) are not valid UTF-8 (declare the file's encoding, e.g. windows-1258, tcvn3 or vni)"
    }

    // MARK: UTF-16

    private mutating func utf16(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8]) throws(EncodingFailure) {
        var bytes = pending
        pending.removeAll()
        var unitOffset = offset - bytes.count
        bytes.append(contentsOf: chunk)
        offset += chunk.count
        var index = 0
        if !sawStart {
            if bytes.count < 2 && !final {
                pending = bytes
                return
            }
            sawStart = true
            if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
                bigEndian = false
            } else if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
                bigEndian = true
            } else {
                throw EncodingFailure(
                    offset: 0, problem: "a UTF-16 file must start with a byte order mark (FF FE or FE FF); this one does not")
            }
            index = 2
            unitOffset += 2
        }
        while index + 1 < bytes.count {
            let unit =
                bigEndian
                ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
                : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
            if let high = highSurrogate {
                guard (0xDC00...0xDFFF).contains(unit) else {
                    throw EncodingFailure(
                        offset: highSurrogateOffset, problem: "a UTF-16 high surrogate 0x\(String(high, radix: 16)) is not followed by a low one")
                }
                let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                Self.appendUTF8(Unicode.Scalar(scalar)!, to: &output)
                highSurrogate = nil
            } else if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
                highSurrogateOffset = unitOffset
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw EncodingFailure(offset: unitOffset, problem: "a UTF-16 low surrogate 0x\(String(unit, radix: 16)) without a high one")
            } else {
                Self.appendUTF8(Unicode.Scalar(unit)!, to: &output)
            }
            index += 2
            unitOffset += 2
        }
        if index < bytes.count { pending = [bytes[index]] }
        if final {
            if !pending.isEmpty {
                throw EncodingFailure(offset: unitOffset, problem: "the file ends in the middle of a UTF-16 character (an odd number of bytes)")
            }
            if highSurrogate != nil {
                throw EncodingFailure(offset: highSurrogateOffset, problem: "the file ends after a UTF-16 high surrogate")
            }
        }
    }

    // MARK: Helpers

    static func appendUTF8(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            output.append(UInt8(value))
        case 0x80..<0x800:
            output.append(0xC0 | UInt8(value >> 6))
            output.append(0x80 | UInt8(value & 0x3F))
        case 0x800..<0x10000:
            output.append(0xE0 | UInt8(value >> 12))
            output.append(0x80 | UInt8((value >> 6) & 0x3F))
            output.append(0x80 | UInt8(value & 0x3F))
        default:
            output.append(0xF0 | UInt8(value >> 18))
            output.append(0x80 | UInt8((value >> 12) & 0x3F))
            output.append(0x80 | UInt8((value >> 6) & 0x3F))
            output.append(0x80 | UInt8(value & 0x3F))
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0" + digits : digits
    }
}

/// A fast UTF-8 validity scan: eight ASCII bytes at a time, full checks
/// (overlongs, surrogates, range) on the rest.
enum UTF8Validation {
    /// The end of the longest valid prefix of `bytes[start...]`; `incomplete`
    /// when what follows is the start of a character cut off by the end of the buffer.
    /// Sets `mayNeedNFC` when a scalar from U+0300 on (outside U+1E00–U+1EFF) was seen:
    /// text without one is already NFC (see ``UnicodeText``).
    static func validPrefix(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, mayNeedNFC: inout Bool
    ) -> (end: Int, incomplete: Bool) {
        let count = bytes.count
        var index = start
        guard let base = bytes.baseAddress else { return (0, false) }
        let raw = UnsafeRawPointer(base)
        var needsNFC = mayNeedNFC
        defer { mayNeedNFC = needsNFC }
        @inline(__always) func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
        while index < count {
            let lead = base[index]
            if lead < 0x80 {
                // Skip ASCII eight bytes at a time where it comes in runs.
                while index + 8 <= count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                while index < count, base[index] < 0x80 { index += 1 }
            } else if lead < 0xE0 {
                guard lead >= 0xC2 else { return (index, false) }
                guard index + 1 < count else { return (index, true) }
                guard isContinuation(base[index + 1]) else { return (index, false) }
                if lead >= 0xCC { needsNFC = true }
                index += 2
            } else if lead < 0xF0 {
                guard index + 1 < count else { return (index, true) }
                let second = base[index + 1]
                let lower: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                let upper: UInt8 = lead == 0xED ? 0x9F : 0xBF
                guard second >= lower, second <= upper else { return (index, false) }
                guard index + 2 < count else { return (index, true) }
                guard isContinuation(base[index + 2]) else { return (index, false) }
                if !(lead == 0xE1 && second >= 0xB8 && second <= 0xBB) { needsNFC = true }
                index += 3
            } else {
                guard lead <= 0xF4 else { return (index, false) }
                guard index + 1 < count else { return (index, true) }
                let second = base[index + 1]
                let lower: UInt8 = lead == 0xF0 ? 0x90 : 0x80
                let upper: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                guard second >= lower, second <= upper else { return (index, false) }
                for offset in 2..<4 {
                    guard index + offset < count else { return (index, true) }
                    guard isContinuation(base[index + offset]) else { return (index, false) }
                }
                needsNFC = true
                index += 4
            }
        }
        return (count, false)
    }
}
