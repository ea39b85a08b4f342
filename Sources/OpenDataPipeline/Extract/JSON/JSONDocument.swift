import Foundation

/// A JSON value as the extractors read it: numbers keep their exact text,
/// objects keep their keys in order, and every value knows its line and column.
///
/// Foundation's `JSONSerialization` keeps the last of two equal keys without a
/// word and turns numbers into `Double`; both would change published figures,
/// so JSON is parsed here (RFC 8259, strict: no comments, no trailing commas).
struct JSONNode: Sendable {
    indirect enum Kind: Sendable {
        case null
        case bool(Bool)
        /// The number's text as written, e.g. `1883`, `-0.295`, `1.5e3`.
        case number(String)
        case string(String)
        case array([JSONNode])
        case object([(key: String, value: JSONNode)])
    }

    var kind: Kind
    var line: Int
    var column: Int

    /// The member `key` of an object (nil for other kinds or a missing key).
    subscript(key: String) -> JSONNode? {
        guard case let .object(members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    var string: String? {
        if case let .string(text) = kind { return text }
        return nil
    }

    var array: [JSONNode]? {
        if case let .array(items) = kind { return items }
        return nil
    }

    var members: [(key: String, value: JSONNode)]? {
        if case let .object(members) = kind { return members }
        return nil
    }

    /// An integer value (a number without fraction or exponent).
    var integer: Int? {
        if case let .number(text) = kind { return Int(text) }
        return nil
    }

    var kindName: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The node at an RFC 6901 JSON Pointer ("" is the node itself; "/a/0/b").
    func at(pointer: String) -> JSONNode? {
        guard !pointer.isEmpty else { return self }
        guard pointer.hasPrefix("/") else { return nil }
        var node = self
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node.kind {
            case .object:
                guard let next = node[token] else { return nil }
                node = next
            case let .array(items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }
}

/// Why a JSON text could not be parsed: where and what.
struct JSONSyntaxError: Error, Sendable, Equatable {
    var line: Int
    var column: Int
    var problem: String
}

/// A strict JSON parser over UTF-8 bytes with a depth limit.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maximumDepth: Int
    private var index = 0
    private var line = 1
    private var lineStart = 0

    /// Parses `bytes` as one JSON text. `firstLine` numbers the first line (NDJSON).
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int = JSONExtractor.defaultMaximumDepth, firstLine: Int = 1
    ) throws(JSONSyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        parser.line = firstLine
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        parser.index = start
        parser.lineStart = start
        parser.skipWhitespace()
        let node = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return node
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private var column: Int { index - lineStart + 1 }

    private func error(_ problem: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, column: column, problem: problem)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        guard index < bytes.count else { throw error("the text ends where a value was expected") }
        let (startLine, startColumn) = (line, column)
        func node(_ kind: JSONNode.Kind) -> JSONNode { JSONNode(kind: kind, line: startLine, column: startColumn) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
            index += 1
            var members: [(key: String, value: JSONNode)] = []
            var keys: Set<String> = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return node(.object(members))
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
                let (keyLine, keyColumn) = (line, column)
                let key = try string()
                guard keys.insert(key).inserted else {
                    throw JSONSyntaxError(
                        line: keyLine, column: keyColumn,
                        problem: "the key '\(key)' appears twice in one object (a JSON reader would silently keep one)")
                }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                index += 1
                skipWhitespace()
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                guard index < bytes.count else { throw error("the text ends inside an object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return node(.object(members))
                } else {
                    throw error("expected ',' or '}' in an object")
                }
            }
        case UInt8(ascii: "["):
            guard depth < maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels") }
            index += 1
            var items: [JSONNode] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return node(.array(items))
            }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw error("the text ends inside an array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return node(.array(items))
                } else {
                    throw error("expected ',' or ']' in an array")
                }
            }
        case UInt8(ascii: "\""):
            return node(.string(try string()))
        case UInt8(ascii: "t"):
            try literal("true")
            return node(.bool(true))
        case UInt8(ascii: "f"):
            try literal("false")
            return node(.bool(false))
        case UInt8(ascii: "n"):
            try literal("null")
            return node(.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return node(.number(try number()))
        default:
            throw error("unexpected '\(Character(Unicode.Scalar(bytes[index])))' where a value was expected")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
            (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] })
        else { throw error("expected '\(word)'") }
        index += count
    }

    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        guard digits() > 0 else { throw error("expected digits in a number") }
        if bytes[intStart] == UInt8(ascii: "0"), index - intStart > 1 { throw error("a number may not start with 0") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("expected digits after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("expected digits in the exponent") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        index += 1  // the opening quote
        var output: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw error("the text ends inside a string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                break
            } else if byte == UInt8(ascii: "\\") {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                guard index < bytes.count else { throw error("the text ends inside a string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var unit = try hex4()
                    var scalar: Unicode.Scalar?
                    if (0xD800...0xDBFF).contains(unit) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("a \\u escape of a high surrogate is not followed by a low one")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("a high surrogate is not followed by a low one") }
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        scalar = Unicode.Scalar(unit)
                    } else {
                        scalar = Unicode.Scalar(unit)
                    }
                    guard let scalar else { throw error("a \\u escape of a lone low surrogate") }
                    Transcoder.appendUTF8(scalar, to: &output)
                default:
                    throw error("an unknown escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
                }
                runStart = index
            } else if byte < 0x20 {
                throw error("a control character (0x\(Transcoder.hex(byte))) in a string must be escaped")
            } else {
                index += 1
            }
        }
        guard let text = output.withUnsafeBufferPointer({ ValueDecoder.validatedText($0) }) else {
            throw error("a string that is not valid UTF-8")
        }
        return UnicodeText.nfc(text)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("expected four hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
