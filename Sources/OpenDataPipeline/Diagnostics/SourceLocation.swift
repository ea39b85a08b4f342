import Foundation
import SystemPackage

/// Where in an input a problem was found.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file, as the user named it or relative to the working directory.
    public var file: String
    /// 1-based line in the file (for CSV: the line on which the record starts).
    public var line: Int?
    /// 1-based column within the line, in characters (YAML, expressions, JSON, XML).
    public var column: Int?
    /// 1-based record number where the format counts records apart from lines: a CSV
    /// record's row as Frictionless counts it (the header is row 1), which a quoted
    /// line break or a blank line sets apart from `line`.
    public var row: Int?
    /// The field: a CSV column, a YAML key, an XML path.
    public var field: String?
    /// The input's text at `line` (shortened around `column`), shown with a caret under
    /// `column` as Yams' `Mark.snippet` does. Presentation only: not part of equality.
    public var excerpt: String?

    public init(
        file: String, line: Int? = nil, column: Int? = nil, row: Int? = nil, field: String? = nil, excerpt: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.row = row
        self.field = field
        self.excerpt = excerpt
    }

    public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.file == rhs.file && lhs.line == rhs.line && lhs.column == rhs.column && lhs.row == rhs.row
            && lhs.field == rhs.field
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(line)
        hasher.combine(column)
        hasher.combine(row)
        hasher.combine(field)
    }

    public var description: String {
        var parts = [file]
        if let line { parts.append(column.map { "line \(line), column \($0)" } ?? "line \(line)") }
        if let row { parts.append("row \(row)") }
        if let field { parts.append("'\(field)'") }
        return parts.joined(separator: ", ")
    }
}

extension SourceLocation {
    /// The most characters of a line an excerpt keeps.
    static let excerptWidth = 72

    /// The excerpt and, when the column is known, a caret under it (two lines, each
    /// indented by two spaces), or nil without an excerpt.
    public var snippet: String? {
        guard let excerpt else { return nil }
        guard let caret = caretOffset else { return "  \(excerpt)" }
        return "  \(excerpt)\n  \(String(repeating: " ", count: caret))^"
    }

    /// Where the caret goes under ``excerpt``, in characters: the column's place in the
    /// shortened text (columns count code points; a combining accent takes no place).
    var caretOffset: Int? {
        guard let column, let excerpt else { return nil }
        let scalars = excerpt.hasPrefix("…") ? Self.excerptWidth / 2 + 1 : column - 1
        return String(String.UnicodeScalarView(excerpt.unicodeScalars.prefix(max(0, scalars)))).count
    }

    /// This location with ``excerpt`` read from the file at `path` (by default ``file``):
    /// at most `maximumBytes` are read, and a line that is not UTF-8 gives no excerpt.
    public func withExcerpt(fromFile path: String? = nil, maximumBytes: Int = 1 << 24) -> SourceLocation {
        guard excerpt == nil, let line, line >= 1,
            let descriptor = try? FileDescriptor.open(FilePath(path ?? file), .readOnly, options: .closeOnExec)
        else { return self }
        defer { try? descriptor.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var seen = 1
        var current: [UInt8] = []
        var read = 0
        while read < maximumBytes {
            let count = (try? buffer.withUnsafeMutableBytes { try descriptor.read(into: $0) }) ?? 0
            guard count > 0 else {
                // The file ends: its last line has no line feed.
                return seen == line ? finish(current) : self
            }
            read += count
            for byte in buffer[..<count] {
                if byte == 0x0A {
                    if seen == line { return finish(current) }
                    seen += 1
                } else if seen == line {
                    current.append(byte)
                    if current.count > 1 << 16 { return finish(current) }
                }
            }
        }
        return self

        func finish(_ bytes: [UInt8]) -> SourceLocation {
            var bytes = bytes[...]
            if bytes.first == 0xEF, bytes.starts(with: [0xEF, 0xBB, 0xBF]), line == 1 { bytes = bytes.dropFirst(3) }
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else { return self }
            var copy = self
            copy.excerpt = Self.shortened(text, around: column)
            return copy
        }
    }

    /// `line` as one printable line of at most ``excerptWidth`` characters, cut around `column`.
    static func shortened(_ line: String, around column: Int?) -> String {
        let scalars = Array(line.unicodeScalars)
        let width = excerptWidth
        // One character shown for each: a tab or a control character stays one column wide under the caret.
        func printable(_ part: ArraySlice<Unicode.Scalar>) -> String {
            var shown = String.UnicodeScalarView()
            for scalar in part {
                let value = scalar.value
                let hidden =
                    value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                    || (0x2066...0x2069).contains(value)
                shown.append(scalar == "\t" ? " " : hidden ? "?" : scalar)
            }
            return String(shown)
        }
        guard scalars.count > width else { return printable(scalars[...]) }
        let position = max(0, (column ?? 1) - 1)
        guard position >= width / 2 else { return printable(scalars[..<width]) + "…" }
        // The column stays at the same place under the caret: after `…` and half the width.
        let start = min(position, scalars.count) - width / 2
        let end = min(scalars.count, start + width)
        return "…" + printable(scalars[start..<end]) + (end < scalars.count ? "…" : "")
    }
}
