/// A Table Schema `format`: how a string's text is shaped, or how a source
/// writes its dates and times.
public enum FieldFormat: Sendable, Hashable {
    case email
    case uri
    case uuid
    /// Base64 text.
    case binary
    /// A strptime-style pattern for `date`, `datetime` and `time` cells, e.g. `%d/%m/%Y`:
    /// `%Y` four-digit year, `%m` month, `%d` day, `%H` hour, `%M` minute, `%S` second
    /// (one or two digits), `%%` a percent sign; anything else must match exactly.
    /// Values are published in the default ISO form, so the pattern is not published.
    case pattern(String)

    /// The format named `text` for a field of `type`; nil when the type has no such format.
    public init?(_ text: String, type: FieldType) {
        let text = text.hasPrefix("fmt:") ? String(text.dropFirst(4)) : text
        switch (type, text) {
        case (.string, "email"): self = .email
        case (.string, "uri"): self = .uri
        case (.string, "uuid"): self = .uuid
        case (.string, "binary"): self = .binary
        case (.date, _), (.datetime, _), (.time, _):
            guard text.contains("%"), Self.validPattern(text) else { return nil }
            self = .pattern(text)
        default: return nil
        }
    }

    /// The `format` written in the published schema; nil for a source pattern (values are published as ISO).
    public var publishedName: String? {
        switch self {
        case .email: "email"
        case .uri: "uri"
        case .uuid: "uuid"
        case .binary: "binary"
        case .pattern: nil
        }
    }

    /// What a value in this format looks like, for messages.
    var expectation: String {
        switch self {
        case .email: "an email address"
        case .uri: "a URI such as https://example.org/x"
        case .uuid: "a UUID such as 123e4567-e89b-12d3-a456-426614174000"
        case .binary: "base64 text"
        case let .pattern(pattern): "a value in the form \(pattern)"
        }
    }

    private static func validPattern(_ pattern: String) -> Bool {
        var scalars = pattern.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else { continue }
            guard let directive = scalars.next(), "YmdHMS%".unicodeScalars.contains(directive) else { return false }
        }
        return true
    }

    /// Whether `text` is a string in this format.
    func accepts(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        func isHex(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c) }
        switch self {
        case .email:
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
                && !parts[1].hasSuffix(".") && !scalars.contains { $0.properties.isWhitespace }
        case .uri:
            guard let colon = scalars.firstIndex(of: ":"), colon > 0, colon + 1 < scalars.count,
                ("a"..."z").contains(scalars[0]) || ("A"..."Z").contains(scalars[0])
            else { return false }
            let scheme = scalars[..<colon]
            return scheme.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)
            }
                && !scalars.contains { $0.properties.isWhitespace }
        case .uuid:
            guard scalars.count == 36 else { return false }
            return scalars.enumerated().allSatisfy { offset, c in
                [8, 13, 18, 23].contains(offset) ? c == "-" : isHex(c)
            }
        case .binary:
            guard scalars.count % 4 == 0 else { return false }
            let body = scalars.prefix { $0 != "=" }
            let padding = scalars.count - body.count
            return padding <= 2 && scalars.suffix(padding).allSatisfy { $0 == "=" }
                && body.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "+" || $0 == "/" }
        case .pattern:
            return false
        }
    }

    /// The parts of `text` read with a `.pattern`: year, month, day, hour, minute, second (nil when absent).
    func parts(of text: String) -> [Character: Int]? {
        guard case let .pattern(pattern) = self else { return nil }
        let input = Array(text.unicodeScalars)
        var position = 0
        var parts: [Character: Int] = [:]
        var iterator = pattern.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "%", let directive = iterator.next(), directive != "%" {
                let maximum = directive == "Y" ? 4 : 2
                let minimum = directive == "Y" ? 4 : 1
                var digits = 0
                var value = 0
                while digits < maximum, position < input.count, ("0"..."9").contains(input[position]) {
                    value = value * 10 + Int(input[position].value - 48)
                    digits += 1
                    position += 1
                }
                guard digits >= minimum else { return nil }
                parts[Character(directive)] = value
            } else {
                let literal: Unicode.Scalar = scalar == "%" ? "%" : scalar
                guard position < input.count, input[position] == literal else { return nil }
                position += 1
            }
        }
        return position == input.count ? parts : nil
    }
}
