import Foundation

/// How much room a chart's text takes, estimated on the safe side, and how it
/// is wrapped to fit.
///
/// Widths are per character, in ems: for each printable ASCII character the
/// widest of Noto Sans, DejaVu Sans and Liberation Sans, regular or bold, as
/// Chromium measures them, rounded up. A Vietnamese letter is as wide as its
/// base letter (its marks stack, they do not widen it); any other character
/// counts as a full em. The vertical extent is Noto Sans's (the tallest of them):
/// 1.07 em above the baseline, 0.30 em below.
enum ChartText {
    /// Hundredths of an em, for the characters U+0020 to U+007E.
    private static let asciiWidths: [Int] = [
        35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 56, 84, 38, 42, 38, 42, 70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 40, 40, 84, 84, 84, 59,
        100, 78, 77, 74, 84, 69, 69, 83, 84, 39, 38, 78, 64, 100, 84, 86, 74, 86, 78, 73, 69, 82, 78, 111, 78, 73, 73, 46, 42, 46, 84, 50,
        50, 68, 72, 60, 72, 68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, 72, 72, 50, 60, 48, 72, 66, 93, 65, 66, 59, 72, 56, 72, 84,
    ]

    static let ascent = 1.07
    static let descent = 0.30
    /// Baseline to baseline: the boxes of two lines never meet.
    static let lineHeight = 1.45

    /// The width in ems of one character.
    static func em(_ character: Character) -> Double {
        switch character {
        case "đ": return 0.72
        case "Đ": return 0.84
        case "–", "·": return 0.5
        default: break
        }
        // The first scalar of the canonical decomposition is the base letter (ể → e).
        if let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first, base.value >= 0x20, base.value < 0x7F {
            return Double(asciiWidths[Int(base.value) - 0x20]) / 100
        }
        return 1
    }

    static func width(_ text: String, size: Double) -> Double {
        text.reduce(0) { $0 + em($1) } * size
    }

    /// Words in lines no wider than `width`; a word wider than a line is cut
    /// between characters. At most `maximumLines`, the last ending in `…` when
    /// text is left out.
    static func wrap(_ text: String, width: Double, size: Double, maximumLines: Int = 4) -> [String] {
        var lines: [String] = []
        var line = ""
        func fits(_ candidate: String) -> Bool { Self.width(candidate, size: size) <= width }
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if fits(candidate) {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            for character in word {
                if !line.isEmpty, !fits(line + String(character)) {
                    lines.append(line)
                    line = ""
                }
                line.append(character)
            }
        }
        if !line.isEmpty { lines.append(line) }
        guard lines.count > maximumLines else { return lines }
        var last = lines[maximumLines - 1]
        while !last.isEmpty, !fits(last + "…") { last.removeLast() }
        return Array(lines.prefix(maximumLines - 1)) + [last + "…"]
    }
}
