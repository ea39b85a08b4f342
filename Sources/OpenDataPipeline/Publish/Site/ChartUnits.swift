import Foundation

/// A field's `unit` in the page's language. A unit is declared once, in one
/// language (`unit: persons`); the common ones are known in both, and any other
/// is shown as declared (a symbol such as `km²` or `USD` reads the same in both).
enum ChartUnits {
    /// (English, Vietnamese); the first English spelling is the one shown.
    private static let pairs: [(en: String, vi: String)] = [
        ("persons", "người"), ("person", "người"), ("people", "người"), ("residents", "người"), ("inhabitants", "người"),
        ("thousand persons", "nghìn người"), ("million persons", "triệu người"),
        ("households", "hộ"), ("procedures", "thủ tục"), ("services", "dịch vụ"), ("users", "người dùng"),
        ("enterprises", "doanh nghiệp"), ("students", "học sinh"), ("schools", "trường"), ("years", "năm"),
        ("percent", "%"), ("%", "%"), ("VND", "đồng"), ("dong", "đồng"), ("thousand VND", "nghìn đồng"),
        ("million VND", "triệu đồng"), ("billion VND", "tỷ đồng"), ("tonnes", "tấn"), ("tons", "tấn"),
        ("hectares", "ha"), ("ha", "ha"), ("km2", "km²"), ("km²", "km²"),
    ]

    static func localized(_ unit: String, _ language: Language) -> String {
        let key = unit.trimmingCharacters(in: .whitespaces)
        switch language {
        case .vi:
            return pairs.first { $0.en.caseInsensitiveCompare(key) == .orderedSame }?.vi ?? unit
        case .en:
            if pairs.contains(where: { $0.en.caseInsensitiveCompare(key) == .orderedSame }) { return unit }
            return pairs.first { $0.vi == key }?.en ?? unit
        }
    }
}
