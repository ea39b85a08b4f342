import Foundation

/// How feeds title and annotate a release that is not a plain new publication:
/// a revision of published figures, a correction (`--correction`), a calendar
/// postponement or cancellation, and the publisher's note (`--note`).
public enum ReleaseWording {
    /// The most bytes of a note.
    public static let maximumNoteBytes = 4_096

    /// Why a note cannot be used, nil when it can: empty, too long, or with a control
    /// character other than a tab or a line break.
    public static func problem(note: String) -> String? {
        if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "the note is empty" }
        if note.utf8.count > maximumNoteBytes {
            return "the note has \(note.utf8.count) bytes: expected at most \(maximumNoteBytes)"
        }
        for scalar in note.unicodeScalars where (scalar.value < 0x20 && !["\t", "\n", "\r"].contains(scalar)) || scalar.value == 0x7F {
            return "the note holds the control character U+\(String(scalar.value, radix: 16, uppercase: true)): expected text"
        }
        return nil
    }

    /// The note with CRLF and CR as LF and no surrounding blank space, as it is stored.
    public static func normalized(note: String) -> String {
        note.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "Điều chỉnh số liệu: …" / "Revised figures: …", "Đính chính: …" / "Correction: …".
    static func title(_ title: String, kind: FeedEntry.Kind?, language: Language) -> String {
        guard let kind else { return title }
        return "\(prefix(kind)[language]): \(title)"
    }

    static func prefix(_ kind: FeedEntry.Kind) -> LocalizedText {
        switch kind {
        case .revision: LocalizedText(vi: "Điều chỉnh số liệu", en: "Revised figures")
        case .correction: LocalizedText(vi: "Đính chính", en: "Correction")
        case .postponement: LocalizedText(vi: "Hoãn công bố", en: "Release postponed")
        case .cancellation: LocalizedText(vi: "Hủy công bố", en: "Release cancelled")
        }
    }

    /// A feed sentence followed by the release's note, when it has one.
    static func withNote(_ sentence: String, note: String?, language: Language) -> String {
        guard let note else { return sentence }
        return sentence + (language == .vi ? " Ghi chú: " : " Note: ") + note
    }
}
