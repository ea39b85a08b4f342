import Foundation

/// What a file that fails to parse looks like, from its first bytes: a
/// compressed file, an archive, a PDF or another binary format handed to a
/// text reader gets a message that says so, rather than the parser's first
/// complaint ("Document is empty", "Start tag expected").
enum FileSignature {
    static let known: [(magic: [UInt8], name: String, hint: String)] = [
        ([0x1F, 0x8B], "gzip-compressed data", "decompress it (gunzip) first"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (such as .zip, .xlsx or .docx)", "unpack it, or use type: xlsx for a workbook"),
        (Array("%PDF".utf8), "a PDF document", "export the table from it as CSV first"),
        (Array("SQLite format 3\0".utf8), "an SQLite database", "use type: sqlite with a query"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "an old binary Office file (.xls or .doc)", "save it as .xlsx or CSV first"),
        (Array("BZh".utf8), "bzip2-compressed data", "decompress it (bunzip2) first"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz-compressed data", "decompress it (unxz) first"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd-compressed data", "decompress it (unzstd) first"),
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image", "point 'path' at the data file"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image", "point 'path' at the data file"),
    ]

    /// The problem to report when `prefix` (the file's first bytes) is not `expected`
    /// but recognisably something else, or empty; nil when it looks like text.
    static func problem(_ prefix: some Collection<UInt8>, expected: String) -> String? {
        if prefix.isEmpty { return "the file is empty; expected \(expected)" }
        for entry in known where prefix.starts(with: entry.magic) {
            let bytes = entry.magic.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " ")
            return "the file is \(entry.name) (it starts with the bytes \(bytes)), not \(expected): \(entry.hint)"
        }
        return nil
    }

    /// The same for a file on disk (its first 16 bytes); nil when it cannot be read.
    static func problem(path: String, expected: String) -> String? {
        guard let prefix = LocalFile.prefix(atPath: path, count: 16) else { return nil }
        return problem(prefix, expected: expected)
    }
}
