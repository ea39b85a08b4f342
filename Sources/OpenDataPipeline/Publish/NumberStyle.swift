/// Writes values for a reader of a given language (feeds and pages, never data
/// files, which always use the canonical form): `1.883` and `29,5` in
/// Vietnamese, `1,883` and `29.5` in English.
public enum NumberStyle {
    public static func format(_ value: Value, for language: Language) -> String {
        switch value {
        case .null: return language == .vi ? "không có số liệu" : "no data"
        case let .integer(integer): return group(String(integer.magnitude), negative: integer < 0, language: language)
        case let .number(number):
            let text = number.description
            let negative = text.hasPrefix("-")
            let unsigned = negative ? String(text.dropFirst()) : text
            let pieces = unsigned.split(separator: ".", maxSplits: 1)
            let whole = group(String(pieces[0]), negative: negative, language: language)
            guard pieces.count == 2 else { return whole }
            return whole + (language == .vi ? "," : ".") + pieces[1]
        case let .boolean(flag):
            return language == .vi ? (flag ? "có" : "không") : (flag ? "yes" : "no")
        default:
            return value.text ?? ""
        }
    }

    static func group(_ digits: String, negative: Bool, language: Language) -> String {
        let separator: Character = language == .vi ? "." : ","
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(separator) }
            result.append(digit)
        }
        return negative ? "-" + result : result
    }
}
