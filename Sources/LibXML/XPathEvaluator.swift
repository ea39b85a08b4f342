internal import CLibXML2

/// What an XPath expression evaluated to.
public enum XPathValue {
    case nodes([Node])
    case string(String)
    case number(Double)
    case boolean(Bool)
}

/// A compiled XPath expression; compile once, evaluate for every row.
///
/// Not `Sendable`: libxml2 2.9 writes into a compiled expression while evaluating it
/// (`xmlXPathCompOpEval` caches each function call's lookup in its step, `op->cache`), so
/// one must not be evaluated on two threads at once. Compile one where it is used.
public final class XPathQuery {
    let pointer: xmlXPathCompExprPtr
    /// The expression as written.
    public let expression: String

    /// The longest expression compiled, in bytes: real paths are a few dozen.
    public static let maximumLength = 4_096

    /// Compiles `expression`.
    /// - Throws: ``XMLError/invalidXPath(expression:message:)``, naming a short excerpt of a long expression.
    public init(_ expression: String) throws(XMLError) {
        prepareLibXML()
        guard expression.utf8.count <= Self.maximumLength else {
            throw XMLError.invalidXPath(
                expression: Self.excerpt(expression, around: 0),
                message: "the expression is \(expression.utf8.count) bytes long; XPath expressions are limited to \(Self.maximumLength)")
        }
        // xmlXPathCompile reports syntax errors through the generic error
        // handler; a context with a silent handler keeps them off stderr and
        // gives us the code and offset.
        guard let context = xmlXPathNewContext(nil) else {
            throw XMLError.invalidXPath(expression: expression, message: "out of memory")
        }
        defer { xmlXPathFreeContext(context) }
        context.pointee.error = { _, _ in }
        guard let compiled = xmlXPathCtxtCompile(context, expression) else {
            let error = context.pointee.lastError
            throw XMLError.invalidXPath(
                expression: Self.excerpt(expression, around: Int(error.int1)), message: Self.describe(error))
        }
        // libxml2 looks functions up only when it evaluates them (maybe never, inside a
        // predicate on no nodes): an unknown one is found here, before any data is read.
        if let unknown = Self.functionNames(in: expression).first(where: { !Self.functions.contains($0) }) {
            xmlXPathFreeCompExpr(compiled)
            throw XMLError.invalidXPath(
                expression: expression,
                message: "unknown function '\(unknown)()'; XPath 1.0's functions are \(Self.functions.sorted().joined(separator: ", "))")
        }
        pointer = compiled
        self.expression = expression
    }

    /// XPath 1.0's core function library, which libxml2 registers.
    static let functions: Set<String> = [
        "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string", "concat", "starts-with",
        "contains", "substring-before", "substring-after", "substring", "string-length", "normalize-space", "translate",
        "boolean", "not", "true", "false", "lang", "number", "sum", "floor", "ceiling", "round",
    ]

    /// The names called as functions in `expression` (outside string literals; not node
    /// tests such as `text()` nor the operators `and`, `or`, `div`, `mod`).
    static func functionNames(in expression: String) -> [String] {
        let scalars = Array(expression.unicodeScalars)
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
        func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || c == "-" || c == "." || ("0"..."9").contains(c) }
        var names: [String] = []
        var index = 0
        var afterVariable = false
        while index < scalars.count {
            let c = scalars[index]
            if c == "'" || c == "\"" {
                index += 1
                while index < scalars.count, scalars[index] != c { index += 1 }
                index += 1
                continue
            }
            if ("0"..."9").contains(c) {
                while index < scalars.count, isNameChar(scalars[index]) { index += 1 }
                continue
            }
            guard isNameStart(c) else {
                afterVariable = c == "$"
                index += 1
                continue
            }
            var name = String.UnicodeScalarView()
            while index < scalars.count,
                isNameChar(scalars[index])
                    || (scalars[index] == ":"
                        && index + 1 < scalars.count && scalars[index + 1] != ":" && isNameStart(scalars[index + 1])
                        && (index == 0 || scalars[index - 1] != ":"))
            {
                name.append(scalars[index])
                index += 1
            }
            var next = index
            while next < scalars.count, scalars[next].properties.isWhitespace { next += 1 }
            let text = String(name)
            if !afterVariable, next < scalars.count, scalars[next] == "(",
                !["node", "text", "comment", "processing-instruction", "and", "or", "div", "mod"].contains(text)
            {
                names.append(text)
            }
            afterVariable = false
        }
        return names
    }

    deinit {
        xmlXPathFreeCompExpr(pointer)
    }

    /// `expression` when it is short, else the 60 characters around `offset` with `…` where it is cut.
    static func excerpt(_ expression: String, around offset: Int) -> String {
        let scalars = Array(expression.unicodeScalars)
        let width = 60
        guard scalars.count > width else { return expression }
        let start = min(max(0, offset - width / 2), scalars.count - width)
        let piece = String(String.UnicodeScalarView(scalars[start..<start + width]))
        return (start > 0 ? "…" : "") + piece + (start + width < scalars.count ? "…" : "")
    }

    static func describe(_ error: xmlError) -> String {
        let reason: String
        // lastError carries the xmlParserErrors code (XML_XPATH_EXPRESSION_OK is 1200), not the xmlXPathError one.
        let code = Int(error.code) >= 1200 ? Int(error.code) - 1200 : Int(error.code)
        switch code {
        case Int(XPATH_EXPRESSION_OK.rawValue): reason = "unknown error"
        case Int(XPATH_NUMBER_ERROR.rawValue): reason = "number expected"
        case Int(XPATH_UNFINISHED_LITERAL_ERROR.rawValue): reason = "unfinished literal"
        case Int(XPATH_START_LITERAL_ERROR.rawValue): reason = "literal expected"
        case Int(XPATH_VARIABLE_REF_ERROR.rawValue): reason = "undefined variable"
        case Int(XPATH_UNDEF_VARIABLE_ERROR.rawValue): reason = "undefined variable"
        case Int(XPATH_INVALID_PREDICATE_ERROR.rawValue): reason = "invalid predicate"
        case Int(XPATH_EXPR_ERROR.rawValue): reason = "invalid expression"
        case Int(XPATH_UNCLOSED_ERROR.rawValue): reason = "missing closing bracket or parenthesis"
        case Int(XPATH_UNKNOWN_FUNC_ERROR.rawValue): reason = "unknown function"
        case Int(XPATH_INVALID_OPERAND.rawValue): reason = "invalid operand"
        case Int(XPATH_INVALID_TYPE.rawValue): reason = "invalid type"
        case Int(XPATH_INVALID_ARITY.rawValue): reason = "wrong number of arguments"
        case Int(XPATH_UNDEF_PREFIX_ERROR.rawValue): reason = "undeclared namespace prefix"
        case Int(XPATH_RECURSION_LIMIT_EXCEEDED.rawValue): reason = "nested too deeply"
        case Int(XPATH_OP_LIMIT_EXCEEDED.rawValue): reason = "too many operations"
        default: reason = "libxml2 XPath error \(error.code)"
        }
        return "\(reason) at character \(error.int1 + 1)"
    }
}

/// Evaluates XPath queries against one document, with namespace prefixes registered.
///
/// Owns its `xmlXPathContext`; not `Sendable`.
public final class XPathEvaluator {
    private let context: xmlXPathContextPtr
    private let document: Document

    init(document: Document, namespaces: [String: String]) throws(XMLError) {
        guard let context = xmlXPathNewContext(document.pointer) else {
            throw XMLError.invalidXPath(expression: "", message: "out of memory")
        }
        // Keep libxml2 2.9 from printing XPath errors; we read lastError instead.
        context.pointee.error = { _, _ in }
        for (prefix, uri) in namespaces.sorted(by: { $0.key < $1.key }) {
            guard xmlXPathRegisterNs(context, prefix, uri) == 0 else {
                xmlXPathFreeContext(context)
                throw XMLError.invalidXPath(expression: "", message: "cannot register namespace prefix '\(prefix)'")
            }
        }
        self.context = context
        self.document = document
    }

    deinit {
        xmlXPathFreeContext(context)
    }

    /// Evaluates `query` with `node` as the context node (the root when nil).
    public func evaluate(_ query: XPathQuery, at node: Node? = nil) throws(XMLError) -> XPathValue {
        clibxml2_silence_this_thread()
        context.pointee.node = node?.pointer ?? xmlDocGetRootElement(document.pointer)
        guard let result = xmlXPathCompiledEval(query.pointer, context) else {
            throw XMLError.invalidXPath(
                expression: query.expression, message: XPathQuery.describe(context.pointee.lastError))
        }
        defer { xmlXPathFreeObject(result) }
        switch result.pointee.type {
        case XPATH_NODESET:
            guard let set = result.pointee.nodesetval else { return .nodes([]) }
            let count = Int(set.pointee.nodeNr)
            var nodes: [Node] = []
            nodes.reserveCapacity(count)
            for index in 0..<count {
                if let pointer = set.pointee.nodeTab[index] {
                    nodes.append(Node(pointer: pointer, document: document))
                }
            }
            return .nodes(nodes)
        case XPATH_STRING:
            return .string(result.pointee.stringval.map { String(cString: $0) } ?? "")
        case XPATH_NUMBER:
            return .number(result.pointee.floatval)
        case XPATH_BOOLEAN:
            return .boolean(result.pointee.boolval != 0)
        default:
            throw XMLError.unexpectedXPathResult(expression: query.expression, expected: "nodes, a string, a number or a boolean")
        }
    }

    /// The nodes `query` selects.
    public func nodes(_ query: XPathQuery, at node: Node? = nil) throws(XMLError) -> [Node] {
        guard case let .nodes(nodes) = try evaluate(query, at: node) else {
            throw XMLError.unexpectedXPathResult(expression: query.expression, expected: "a node set")
        }
        return nodes
    }

    /// The string value of `query` (XPath `string()` semantics): the text of the first
    /// node selected, or the scalar converted to text; nil when no node is selected.
    public func string(_ query: XPathQuery, at node: Node? = nil) throws(XMLError) -> String? {
        switch try evaluate(query, at: node) {
        case let .nodes(nodes): return nodes.first?.content
        case let .string(text): return text
        case let .number(number):
            if number.isNaN { return nil }
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case let .boolean(flag): return flag ? "true" : "false"
        }
    }
}
