/// How a source writes numbers. Declared per source (or per field) in the
/// pipeline file and never guessed: under `vi`, `1.5` is an error rather than
/// fifteen or one and a half.
public enum NumberFormat: String, Sendable, Hashable, CaseIterable {
    /// `1883`, `-7.5`: digits, `.` before decimals, no grouping.
    case plain
    /// Vietnamese: `1.883` (`.` groups thousands), `7,5` (`,` before decimals),
    /// `55%`, and the magnitude words `nghìn`/`ngàn`, `triệu`, `tỷ`/`tỉ` (`7,5 triệu` = 7 500 000).
    case vi
    /// English: `1,883`, `7.5`, `55%`, and `thousand`, `million`, `billion`.
    case en

    var groupSeparator: UInt8? {
        switch self {
        case .plain: nil
        case .vi: UInt8(ascii: ".")
        case .en: UInt8(ascii: ",")
        }
    }

    var decimalSeparator: UInt8 {
        self == .vi ? UInt8(ascii: ",") : UInt8(ascii: ".")
    }

    /// Magnitude words and their powers of ten, as UTF-8 bytes.
    var magnitudeWords: [(word: [UInt8], power: Int)] {
        switch self {
        case .plain: []
        case .vi:
            [("nghìn", 3), ("ngàn", 3), ("triệu", 6), ("tỷ", 9), ("tỉ", 9)].map { (Array($0.0.utf8), $0.1) }
        case .en:
            [("thousand", 3), ("million", 6), ("billion", 9)].map { (Array($0.0.utf8), $0.1) }
        }
    }

    var integerExample: String {
        switch self {
        case .plain: "e.g. 1883"
        case .vi: "e.g. 1.883 or 52 triệu, with '.' only between groups of three digits"
        case .en: "e.g. 1,883 or 52 million, with ',' only between groups of three digits"
        }
    }

    var numberExample: String {
        switch self {
        case .plain: "e.g. 1883 or 29.5"
        case .vi: "e.g. 1.883, 29,5, 55% or 7,5 triệu; ',' before decimals, '.' only between groups of three digits"
        case .en: "e.g. 1,883, 29.5, 55% or 7.5 million; '.' before decimals, ',' only between groups of three digits"
        }
    }
}
