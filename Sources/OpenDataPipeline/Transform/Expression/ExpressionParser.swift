/// A recursive-descent parser that builds a typed ``ExpressionNode`` tree.
///
/// Precedence, lowest first: `or`, `and`, `not`, comparisons, `+ -`, `* /`,
/// unary `-`, then literals, fields, calls and parentheses.
struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private let schema: TableSchema
    private var index = 0
    /// Nesting so far: parentheses, calls, `not`, unary `-` and each operator of a chain
    /// (`a + b + c` is two deep), so that the tree, which is evaluated recursively, stays shallow.
    private var depth = 0
    static let maximumDepth = 100

    init(tokens: [ExpressionToken], schema: TableSchema) {
        self.tokens = tokens
        self.schema = schema
    }

    private var current: ExpressionToken { tokens[index] }

    private mutating func advance() { index += 1 }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    private func isKeyword(_ word: String) -> Bool {
        if case let .identifier(name) = current.kind { return name.lowercased() == word }
        return false
    }

    mutating func expectEnd() throws(ExpressionError) {
        guard current.kind == .end else { throw error("unexpected \(describe(current)) after the end of the expression") }
    }

    mutating func parseExpression() throws(ExpressionError) -> ExpressionNode {
        try deeper()
        defer { depth -= 1 }
        return try parseOr()
    }

    /// One level deeper; the caller undoes it.
    private mutating func deeper() throws(ExpressionError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw error(
                "the expression nests more than \(Self.maximumDepth) levels deep (parentheses, operators, 'not', '-'); "
                    + "split it into several derived fields")
        }
    }

    private mutating func parseOr() throws(ExpressionError) -> ExpressionNode {
        let entry = depth
        defer { depth = entry }
        var left = try parseAnd()
        while isKeyword("or") {
            let offset = current.offset
            try deeper()
            advance()
            let right = try parseAnd()
            try requireBoolean(left, right, operator: "or", offset: offset)
            left = .logical(isAnd: false, left, right)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> ExpressionNode {
        let entry = depth
        defer { depth = entry }
        var left = try parseNot()
        while isKeyword("and") {
            let offset = current.offset
            try deeper()
            advance()
            let right = try parseNot()
            try requireBoolean(left, right, operator: "and", offset: offset)
            left = .logical(isAnd: true, left, right)
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> ExpressionNode {
        if isKeyword("not") {
            let offset = current.offset
            try deeper()
            defer { depth -= 1 }
            advance()
            let operand = try parseNot()
            guard operand.type == .boolean || operand.isNullLiteral else {
                throw ExpressionError(offset: offset, message: "'not' needs a true/false value, found \(operand.type.rawValue)")
            }
            return .not(operand)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ExpressionError) -> ExpressionNode {
        let left = try parseAdditive()
        let symbols: [String: ExpressionNode.ComparisonOperator] = [
            "=": .equal, "==": .equal, "!=": .notEqual, "<>": .notEqual,
            "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
        ]
        guard case let .symbol(symbol) = current.kind, let comparison = symbols[symbol] else { return left }
        let offset = current.offset
        advance()
        let right = try parseAdditive()
        guard
            left.isNullLiteral || right.isNullLiteral || left.type == right.type
                || (left.type.isNumeric && right.type.isNumeric)
        else {
            throw ExpressionError(
                offset: offset, message: "cannot compare \(left.type.rawValue) with \(right.type.rawValue)")
        }
        return .comparison(comparison, left, right)
    }

    private mutating func parseAdditive() throws(ExpressionError) -> ExpressionNode {
        let entry = depth
        defer { depth = entry }
        var left = try parseMultiplicative()
        while isSymbol("+") || isSymbol("-") {
            let offset = current.offset
            let isPlus = isSymbol("+")
            try deeper()
            advance()
            let right = try parseMultiplicative()
            if isPlus, left.type == .string, right.type == .string {
                left = .concatenate(left, right)
            } else {
                left = try arithmetic(isPlus ? .add : .subtract, left, right, offset: offset)
            }
        }
        return left
    }

    private mutating func parseMultiplicative() throws(ExpressionError) -> ExpressionNode {
        let entry = depth
        defer { depth = entry }
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let offset = current.offset
            let isTimes = isSymbol("*")
            try deeper()
            advance()
            let right = try parseUnary()
            left = try arithmetic(isTimes ? .multiply : .divide, left, right, offset: offset)
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        if isSymbol("-") {
            let offset = current.offset
            try deeper()
            defer { depth -= 1 }
            advance()
            let operand = try parseUnary()
            guard operand.type.isNumeric else {
                throw ExpressionError(offset: offset, message: "'-' needs a number, found \(operand.type.rawValue)")
            }
            return .negate(operand)
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case let .number(text):
            advance()
            guard let number = NumberParser.parse(text, format: .plain) else {
                throw ExpressionError(offset: token.offset, message: "the number '\(text)' is out of range")
            }
            if let integer = number.exactInteger, number.scale == 0 { return .literal(.integer(integer), .integer) }
            return .literal(.number(number), .number)
        case let .string(text):
            advance()
            return .literal(.string(text), .string)
        case let .identifier(name):
            advance()
            switch name.lowercased() {
            case "true": return .literal(.boolean(true), .boolean)
            case "false": return .literal(.boolean(false), .boolean)
            case "null": return .literal(.null, .string)
            default: break
            }
            if isSymbol("(") { return try parseCall(name, offset: token.offset) }
            guard let fieldIndex = schema.index(of: name) else {
                let known = schema.fields.map(\.name).joined(separator: ", ")
                throw ExpressionError(offset: token.offset, message: "unknown field '\(name)'; the fields here are: \(known)")
            }
            let fieldType = schema.fields[fieldIndex].type
            // Years are numbers and ISO texts (datetime, time, …) are text to the language.
            let type: FieldType = fieldType == .year ? .integer : (fieldType.isTextual ? .string : fieldType)
            return .field(index: fieldIndex, type)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            guard isSymbol(")") else { throw error("expected ')' to close the '(' at character \(token.offset + 1)") }
            advance()
            return inner
        default:
            throw error("expected a value, a field or '(', found \(describe(token))")
        }
    }

    private mutating func parseCall(_ name: String, offset: Int) throws(ExpressionError) -> ExpressionNode {
        advance()  // "("
        var arguments: [(node: ExpressionNode, offset: Int)] = []
        if !isSymbol(")") {
            while true {
                let argumentOffset = current.offset
                arguments.append((try parseExpression(), argumentOffset))
                if isSymbol(",") {
                    advance()
                    continue
                }
                break
            }
        }
        guard isSymbol(")") else { throw error("expected ',' or ')' in the call to \(name)") }
        advance()
        func arity(_ count: Int) throws(ExpressionError) {
            guard arguments.count == count else {
                throw ExpressionError(offset: offset, message: "\(name) takes \(count) arguments, found \(arguments.count)")
            }
        }
        switch name.lowercased() {
        case "round":
            try arity(2)
            try requireNumeric(arguments[0].node, at: arguments[0].offset, in: name)
            guard case .literal(.integer, _) = arguments[1].node else {
                throw ExpressionError(offset: arguments[1].offset, message: "round's places must be a whole number such as 1")
            }
            return .round(arguments[0].node, places: arguments[1].node)
        case "percent":
            try arity(2)
            try requireNumeric(arguments[0].node, at: arguments[0].offset, in: name)
            try requireNumeric(arguments[1].node, at: arguments[1].offset, in: name)
            let ratio = ExpressionNode.arithmetic(.divide, arguments[0].node, arguments[1].node, .number)
            return .arithmetic(.multiply, ratio, .literal(.integer(100), .integer), .number)
        case "if":
            try arity(3)
            guard arguments[0].node.type == .boolean else {
                throw ExpressionError(offset: arguments[0].offset, message: "if's condition must be true/false")
            }
            let type = try unify(arguments[1].node, arguments[2].node, offset: arguments[2].offset)
            return .conditional(arguments[0].node, arguments[1].node, arguments[2].node, type)
        case "coalesce":
            guard arguments.count >= 2 else {
                throw ExpressionError(offset: offset, message: "coalesce takes at least 2 arguments")
            }
            var type: FieldType?
            for argument in arguments where !argument.node.isNullLiteral {
                guard let known = type else {
                    type = argument.node.type
                    continue
                }
                if known == argument.node.type { continue }
                guard known.isNumeric, argument.node.type.isNumeric else {
                    throw ExpressionError(
                        offset: argument.offset,
                        message: "expected \(known.rawValue) here, found \(argument.node.type.rawValue)")
                }
                type = .number
            }
            return .coalesce(arguments.map(\.node), type ?? .string)
        default:
            guard let function = ExpressionNode.ScalarFunction(rawValue: name.lowercased()) else {
                let known = ["round", "percent", "if", "coalesce"] + ExpressionNode.ScalarFunction.allCases.map(\.rawValue)
                throw ExpressionError(offset: offset, message: "unknown function '\(name)'; known: \(known.joined(separator: ", "))")
            }
            try arity(1)
            let argument = arguments[0]
            let type = argument.node.type
            switch function {
            case .upper, .lower, .trim, .length:
                guard type == .string else {
                    throw ExpressionError(offset: argument.offset, message: "\(name) needs text, found \(type.rawValue)")
                }
            case .year, .month, .day:
                guard type == .date || type == .string else {
                    throw ExpressionError(
                        offset: argument.offset, message: "\(name) needs a date (or a datetime's text), found \(type.rawValue)")
                }
            case .abs:
                try requireNumeric(argument.node, at: argument.offset, in: name)
            case .isNull:
                break
            }
            return .function(function, argument.node)
        }
    }

    private func arithmetic(
        _ operation: ExpressionNode.ArithmeticOperator, _ left: ExpressionNode, _ right: ExpressionNode, offset: Int
    ) throws(ExpressionError) -> ExpressionNode {
        guard left.type.isNumeric, right.type.isNumeric else {
            throw ExpressionError(
                offset: offset,
                message: "'\(operation.rawValue)' needs numbers, found \(left.type.rawValue) and \(right.type.rawValue)")
        }
        let type: FieldType = operation == .divide || left.type == .number || right.type == .number ? .number : .integer
        return .arithmetic(operation, left, right, type)
    }

    private func unify(_ a: ExpressionNode, _ b: ExpressionNode, offset: Int) throws(ExpressionError) -> FieldType {
        if a.isNullLiteral { return b.type }
        if b.isNullLiteral || a.type == b.type { return a.type }
        if a.type.isNumeric, b.type.isNumeric { return .number }
        throw ExpressionError(offset: offset, message: "expected \(a.type.rawValue) here, found \(b.type.rawValue)")
    }

    private func requireNumeric(_ node: ExpressionNode, at offset: Int, in function: String) throws(ExpressionError) {
        guard node.type.isNumeric else {
            throw ExpressionError(offset: offset, message: "\(function) needs a number, found \(node.type.rawValue)")
        }
    }

    private func requireBoolean(
        _ left: ExpressionNode, _ right: ExpressionNode, operator name: String, offset: Int
    ) throws(ExpressionError) {
        guard left.type == .boolean, right.type == .boolean else {
            throw ExpressionError(offset: offset, message: "'\(name)' joins true/false values")
        }
    }

    private func error(_ message: String) -> ExpressionError {
        ExpressionError(offset: current.offset, message: message)
    }

    private func describe(_ token: ExpressionToken) -> String {
        switch token.kind {
        case let .number(text): "the number \(PipelineFailure.printable(text))"
        case let .string(text): "the text '\(PipelineFailure.printable(text))'"
        case let .identifier(name): "'\(PipelineFailure.printable(name))'"
        case let .symbol(symbol): "'\(symbol)'"
        case .end: "the end of the expression"
        }
    }
}

extension ExpressionNode {
    var isNullLiteral: Bool {
        if case .literal(.null, _) = self { return true }
        return false
    }
}
