/// A token of the expression language with its offset in the text.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case number(String)
        case string(String)
        case identifier(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int
}

/// Splits an expression into tokens: numbers (`29.5`), strings in single or
/// double quotes (a quote is doubled to include it), identifiers and
/// keywords, and the symbols `+ - * / ( ) , = == != <> < <= > >=`.
enum ExpressionLexer {
    static func tokens(of text: String) throws(ExpressionError) -> [ExpressionToken] {
        let characters = Array(text.unicodeScalars)
        var tokens: [ExpressionToken] = []
        var index = 0
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        func isIdentifierStart(_ c: Unicode.Scalar) -> Bool { c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        while index < characters.count {
            let c = characters[index]
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                index += 1
            } else if isDigit(c) {
                let start = index
                while index < characters.count, isDigit(characters[index]) { index += 1 }
                if index < characters.count, characters[index] == "." {
                    index += 1
                    guard index < characters.count, isDigit(characters[index]) else {
                        throw ExpressionError(offset: index, message: "expected digits after the decimal point")
                    }
                    while index < characters.count, isDigit(characters[index]) { index += 1 }
                }
                tokens.append(.init(kind: .number(String(String.UnicodeScalarView(characters[start..<index]))), offset: start))
            } else if isIdentifierStart(c) {
                let start = index
                while index < characters.count, isIdentifierStart(characters[index]) || isDigit(characters[index]) {
                    index += 1
                }
                tokens.append(.init(kind: .identifier(String(String.UnicodeScalarView(characters[start..<index]))), offset: start))
            } else if c == "'" || c == "\"" {
                let start = index
                var text = String.UnicodeScalarView()
                index += 1
                while true {
                    guard index < characters.count else {
                        throw ExpressionError(offset: start, message: "this text literal is never closed")
                    }
                    if characters[index] == c {
                        if index + 1 < characters.count, characters[index + 1] == c {
                            text.append(c)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    text.append(characters[index])
                    index += 1
                }
                tokens.append(.init(kind: .string(String(text)), offset: start))
            } else {
                let two = index + 1 < characters.count ? String(String.UnicodeScalarView([c, characters[index + 1]])) : ""
                if ["==", "!=", "<>", "<=", ">="].contains(two) {
                    tokens.append(.init(kind: .symbol(two), offset: index))
                    index += 2
                } else if "+-*/(),=<>".unicodeScalars.contains(c) {
                    tokens.append(.init(kind: .symbol(String(c)), offset: index))
                    index += 1
                } else {
                    throw ExpressionError(offset: index, message: "unexpected character '\(c)'")
                }
            }
        }
        tokens.append(.init(kind: .end, offset: characters.count))
        return tokens
    }
}
