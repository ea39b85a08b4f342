import Foundation
import Testing

/// Golden files: outputs pinned byte for byte in `Tests/EndToEndTests/Golden/`.
///
/// `RECORD_GOLDEN=1 swift test` writes every compared output as its new golden file and fails
/// each comparison, so recording is never mistaken for a pass; review the change with `git diff`.
enum Golden {
    static let folder = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Golden")

    /// Whether this run records: `RECORD_GOLDEN=1` in the environment.
    static var recording: Bool { recording(in: ProcessInfo.processInfo.environment) }

    static func recording(in environment: [String: String]) -> Bool { environment["RECORD_GOLDEN"] == "1" }

    enum Outcome: Equatable {
        case matches
        /// The golden file exists and differs; the message shows where and a diff.
        case differs(String)
        case missing(String)
        /// Recording wrote the file; always a failure.
        case recorded(String)

        var failure: String? {
            switch self {
            case .matches: nil
            case let .differs(message), let .missing(message), let .recorded(message): message
            }
        }
    }

    /// Compares `actual` with the golden file `name` (a path relative to `folder`), or writes it when `record` is set.
    static func compare(_ actual: Data, named name: String, in folder: URL, record: Bool) throws -> Outcome {
        let url = folder.appendingPathComponent(name)
        let expected = FileManager.default.contents(atPath: url.path)
        if record {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url)
            let what = expected == nil ? "new" : expected == actual ? "unchanged" : "changed"
            return .recorded(
                "recorded golden file \(name) (\(what), \(actual.count) bytes) because RECORD_GOLDEN=1; "
                    + "review it with git diff and run the tests again without RECORD_GOLDEN")
        }
        guard let expected else {
            return .missing("golden file \(name) is missing; record it with RECORD_GOLDEN=1 swift test")
        }
        guard expected != actual else { return .matches }
        return .differs(
            "output differs from golden file \(name) (\(expected.count) bytes expected, \(actual.count) found); "
                + "if the change is intended, record it with RECORD_GOLDEN=1 swift test\n"
                + GoldenDiff(expected: expected, actual: actual).description)
    }
}

/// Checks `actual` against the golden file `name` byte for byte, recording an issue with a diff when it differs.
func assertGolden(
    _ actual: Data, named name: String, in folder: URL = Golden.folder, record: Bool = Golden.recording,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        if let failure = try Golden.compare(actual, named: name, in: folder, record: record).failure {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record(error, "golden file \(name)", sourceLocation: sourceLocation)
    }
}

func assertGolden(
    _ actual: String, named name: String, in folder: URL = Golden.folder, record: Bool = Golden.recording,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    assertGolden(Data(actual.utf8), named: name, in: folder, record: record, sourceLocation: sourceLocation)
}

/// Where two byte strings first differ, and a line diff (longest common subsequence) of the part that differs.
struct GoldenDiff: CustomStringConvertible {
    /// Lines of context around each change, and the most diff lines shown.
    static let context = 2
    static let maximumLines = 60

    let expected: Data
    let actual: Data

    var description: String {
        let old = [UInt8](expected)
        let new = [UInt8](actual)
        var offset = 0
        while offset < old.count, offset < new.count, old[offset] == new[offset] { offset += 1 }
        let line = old[..<offset].filter { $0 == UInt8(ascii: "\n") }.count + 1
        let column = offset - (old[..<offset].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        var text = "first difference at byte \(offset) (line \(line), byte \(column) of the line)"
        if expected.last == UInt8(ascii: "\n") && actual.last != UInt8(ascii: "\n") {
            text += "; the golden file ends with a line break, the output does not"
        } else if expected.last != UInt8(ascii: "\n") && actual.last == UInt8(ascii: "\n") {
            text += "; the output ends with a line break, the golden file does not"
        }
        return text + "\n--- golden\n+++ output\n" + lines().joined(separator: "\n")
    }

    /// The diff lines: ` ` context, `-` golden only, `+` output only, and `@@ line N @@` (of the golden file) before each hunk.
    private func lines() -> [String] {
        let old = Self.split(expected)
        let new = Self.split(actual)
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
            suffix += 1
        }
        let edits = Self.middle(Array(old[prefix..<(old.count - suffix)]), Array(new[prefix..<(new.count - suffix)]), firstLine: prefix + 1)
        // Context around each change: unchanged lines before, inside and after the middle.
        let changes = edits.indices.filter { edits[$0].kind != " " }
        var shown: [String] = []
        var lastLine = 0
        func show(_ kind: Character, _ text: String, line: Int) {
            if shown.isEmpty || line > lastLine + 1 { shown.append("@@ line \(line) @@") }
            shown.append("\(kind)\(Self.visible(text))")
            lastLine = line
        }
        for index in max(0, prefix - Self.context)..<prefix { show(" ", old[index], line: index + 1) }
        for (position, edit) in edits.enumerated()
        where edit.kind != " " || changes.contains(where: { abs($0 - position) <= Self.context }) {
            show(edit.kind, edit.text, line: edit.line)
        }
        for index in (old.count - suffix)..<min(old.count, old.count - suffix + Self.context) { show(" ", old[index], line: index + 1) }
        guard shown.count > Self.maximumLines else { return shown }
        return shown.prefix(Self.maximumLines) + ["… \(shown.count - Self.maximumLines) more diff lines"]
    }

    /// The changed middle as a line diff; too large for a quadratic table, all of one side then all of the other.
    private static func middle(_ old: [String], _ new: [String], firstLine: Int) -> [Edit] {
        guard old.count * new.count <= 4_000_000 else {
            return old.enumerated().map { Edit(kind: "-", text: $0.element, line: firstLine + $0.offset) }
                + new.map { Edit(kind: "+", text: $0, line: firstLine + old.count) }
        }
        // common[i][j]: the longest common subsequence of old[i...] and new[j...].
        var common = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                common[i][j] = old[i] == new[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var result: [Edit] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                result.append(Edit(kind: " ", text: old[i], line: firstLine + i))
                i += 1
                j += 1
            } else if i < old.count, j == new.count || common[i + 1][j] >= common[i][j + 1] {
                result.append(Edit(kind: "-", text: old[i], line: firstLine + i))
                i += 1
            } else {
                result.append(Edit(kind: "+", text: new[j], line: firstLine + i))
                j += 1
            }
        }
        return result
    }

    /// One line of the diff and its line number in the golden file (for an added line, the golden line it comes before).
    private struct Edit {
        var kind: Character
        var text: String
        var line: Int
    }

    /// Lines split at each LF byte (a CR stays in its line, where `visible` shows it).
    private static func split(_ data: Data) -> [String] {
        data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A line with its carriage returns and tabs shown, so that a diff of invisible bytes is not blank.
    private static func visible(_ line: String) -> String {
        line.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\t", with: "\\t")
    }
}
