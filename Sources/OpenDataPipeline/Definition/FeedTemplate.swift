/// A sentence per row for feed items, in Vietnamese and English, with
/// `{field}` placeholders: `"Level {service_level}: {procedures} procedures"`.
///
/// Checked against the dataset's schema when the pipeline is loaded. Numbers
/// are written for the reader: `1.883` and `29,5` in Vietnamese, `1,883` and
/// `29.5` in English.
public struct FeedTemplate: Sendable {
    enum Part: Sendable, Equatable {
        case text(String)
        /// A field's index and whether it is a year (written without grouping: 2018, not 2.018).
        case field(Int, isYear: Bool)
    }

    let parts: [Language: [Part]]
    private let fieldNames: [String]

    /// Parses both templates; a placeholder must name a field of `schema`.
    init(_ text: LocalizedText, schema: TableSchema) throws(ExpressionError) {
        var parts: [Language: [Part]] = [:]
        for language in Language.allCases {
            parts[language] = try Self.parse(text[language], schema: schema)
        }
        self.parts = parts
        fieldNames = schema.fields.map(\.name)
    }

    /// The positions of the fields the sentence shows, in either language.
    var fields: [Int] {
        var result: [Int] = []
        for language in Language.allCases {
            for case let .field(index, _) in parts[language] ?? [] where !result.contains(index) { result.append(index) }
        }
        return result
    }

    /// The first placeholder that would be written as nothing for `row` (an empty text, a missing year), if any.
    func emptyPlaceholder(in row: ArraySlice<Value>) -> String? {
        for language in Language.allCases {
            for case let .field(index, isYear) in parts[language] ?? [] {
                let value = row[row.startIndex + index]
                let text = isYear ? (value.text ?? "") : NumberStyle.format(value, for: language)
                if text.allSatisfy(\.isWhitespace) { return fieldNames[index] }
            }
        }
        return nil
    }

    private static func parse(_ template: String, schema: TableSchema) throws(ExpressionError) -> [Part] {
        var parts: [Part] = []
        var literal = ""
        var characters = Array(template).makeIterator()
        var offset = 0
        while let character = characters.next() {
            offset += 1
            guard character == "{" else {
                literal.append(character)
                continue
            }
            let start = offset - 1
            var name = ""
            var closed = false
            while let next = characters.next() {
                offset += 1
                if next == "}" {
                    closed = true
                    break
                }
                name.append(next)
            }
            guard closed else { throw ExpressionError(offset: start, message: "'{' is never closed with '}'") }
            guard let index = schema.index(of: name) else {
                let known = schema.fields.map(\.name).joined(separator: ", ")
                throw ExpressionError(offset: start, message: "unknown field '\(name)'; the fields here are: \(known)")
            }
            if !literal.isEmpty { parts.append(.text(literal)) }
            literal = ""
            parts.append(.field(index, isYear: schema.fields[index].type == .year))
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        return parts
    }

    /// The sentence for one row in `language`.
    public func render(_ row: ArraySlice<Value>, language: Language) -> String {
        var result = ""
        for part in parts[language] ?? [] {
            switch part {
            case let .text(text): result += text
            case let .field(index, isYear):
                let value = row[row.startIndex + index]
                result += isYear ? (value.text ?? "") : NumberStyle.format(value, for: language)
            }
        }
        return result
    }
}
