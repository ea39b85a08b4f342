/// Byte-to-Unicode tables of the single-byte Vietnamese encodings (bytes
/// 0x80–0xFF; 0x00–0x7F are ASCII in all of them). An empty entry is a byte
/// the encoding does not define: an error, never a replacement character.
///
/// Marks that these encodings store as separate bytes (Windows-1258's tone
/// marks, VNI's accent bytes) decode to combining characters; the extractor
/// composes text to NFC, so "Hà Nội" in any encoding is the same value.
enum SingleByteTables {
    static func table(for encoding: TextEncoding) -> [[Unicode.Scalar]] {
        switch encoding {
        case .windows1258: windows1258
        case .tcvn3: tcvn3
        case .vni: vni
        case .utf8, .utf16: preconditionFailure("\(encoding) is not a single-byte encoding")
        }
    }

    /// Windows code page 1258, as Python's and Microsoft's cp1258 define it.
    static let windows1258: [[Unicode.Scalar]] = [UInt32](
        arrayLiteral:
            0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0000, 0x2039, 0x0152, 0x0000, 0x0000, 0x0000,
        0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0000, 0x203A, 0x0153, 0x0000, 0x0000, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,
        0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
    ).map { $0 == 0 ? [] : [Unicode.Scalar($0)!] }

    /// TCVN3 (ABC, TCVN 5712:1993 VN3): the 134 lower-case letters and the
    /// seven upper-case letters without tone marks (Ă Â Đ Ê Ô Ơ Ư).
    static let tcvn3: [[Unicode.Scalar]] = table([
        0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
        0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
        0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
        0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
        0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
        0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
        0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
        0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
        0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
        0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
        0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
        0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
        0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
        0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
    ])

    /// VNI Windows: vowels are an ASCII letter followed by one byte for the
    /// vowel mark and tone together (decoded to combining marks); ơ ư đ and the
    /// i/y forms are single bytes. Upper case uses the bytes 0x20 lower.
    static let vni: [[Unicode.Scalar]] = {
        let lower: [UInt8: String] = [
            // marks following a vowel
            0xF8: "\u{300}", 0xF9: "\u{301}", 0xFB: "\u{309}", 0xF5: "\u{303}", 0xEF: "\u{323}",
            0xE2: "\u{302}", 0xE0: "\u{302}\u{300}", 0xE1: "\u{302}\u{301}", 0xE5: "\u{302}\u{309}",
            0xE3: "\u{302}\u{303}", 0xE4: "\u{302}\u{323}",
            0xEA: "\u{306}", 0xE8: "\u{306}\u{300}", 0xE9: "\u{306}\u{301}", 0xFA: "\u{306}\u{309}",
            0xFC: "\u{306}\u{303}", 0xEB: "\u{306}\u{323}",
            // letters of their own
            0xF4: "ơ", 0xF6: "ư", 0xF1: "đ", 0xEC: "ì", 0xED: "í", 0xE6: "ỉ", 0xF3: "ĩ", 0xF2: "ị", 0xEE: "ỵ",
        ]
        var entries: [UInt8: String] = [:]
        for (byte, text) in lower {
            entries[byte] = text
            entries[byte - 0x20] = text.uppercased()
        }
        return table(entries)
    }()

    private static func table(_ entries: [UInt8: String]) -> [[Unicode.Scalar]] {
        var table = [[Unicode.Scalar]](repeating: [], count: 128)
        for (byte, text) in entries where byte >= 0x80 {
            table[Int(byte) - 0x80] = Array(text.unicodeScalars)
        }
        return table
    }
}
