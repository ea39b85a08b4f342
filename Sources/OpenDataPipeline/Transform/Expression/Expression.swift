/// A compiled expression over the fields of one row, checked against a schema
/// when the pipeline is loaded.
///
/// The language: numbers, `'text'`, `true`, `false`, `null`, field names;
/// `+ - * /` (on text, `+` joins); `= != < <= > >=`; `and`, `or`, `not`;
/// functions `round(x, places)`, `percent(part, whole)` (= part / whole × 100),
/// `if(condition, then, else)`, `coalesce(a, b, …)`, `abs(x)`, text functions
/// `upper`, `lower`, `trim`, `length`, `isnull(x)`, and date parts `year`, `month`, `day`
/// (of a date, or of a datetime or year-month's ISO text). Arithmetic is exact
/// decimal arithmetic (see ``DecimalNumber``); null in gives null out.
public struct Expression: Sendable {
    /// The type of the expression's result.
    public let type: FieldType
    /// The expression as written.
    public let text: String
    let root: ExpressionNode

    /// The longest expression accepted, in characters (Unicode scalars).
    public static let maximumLength = 4_096

    /// Parses and type-checks `text` against `schema`.
    public init(_ text: String, schema: TableSchema) throws(ExpressionError) {
        let length = text.unicodeScalars.count
        guard length <= Self.maximumLength else {
            throw ExpressionError(
                offset: Self.maximumLength,
                message: "the expression is \(length) characters long; expressions are limited to \(Self.maximumLength)")
        }
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(of: text), schema: schema)
        let root = try parser.parseExpression()
        try parser.expectEnd()
        self.root = root
        self.type = root.type
        self.text = text
    }

    /// Evaluates the expression on one row.
    public func evaluate(_ row: ArraySlice<Value>) throws(EvaluationError) -> Value {
        try root.evaluate(row)
    }
}

/// A node of a compiled expression, typed.
indirect enum ExpressionNode: Sendable {
    case literal(Value, FieldType)
    case field(index: Int, FieldType)
    case negate(ExpressionNode)
    case not(ExpressionNode)
    case arithmetic(ArithmeticOperator, ExpressionNode, ExpressionNode, FieldType)
    case concatenate(ExpressionNode, ExpressionNode)
    case comparison(ComparisonOperator, ExpressionNode, ExpressionNode)
    case logical(isAnd: Bool, ExpressionNode, ExpressionNode)
    case round(ExpressionNode, places: ExpressionNode)
    case conditional(ExpressionNode, ExpressionNode, ExpressionNode, FieldType)
    case coalesce([ExpressionNode], FieldType)
    case function(ScalarFunction, ExpressionNode)

    enum ArithmeticOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
    }

    /// Functions of one argument.
    enum ScalarFunction: String, Sendable, CaseIterable {
        case upper, lower, trim, length, year, month, day, abs
        case isNull = "isnull"

        var resultType: FieldType {
            switch self {
            case .upper, .lower, .trim: .string
            case .length, .year, .month, .day: .integer
            case .abs: .number
            case .isNull: .boolean
            }
        }
    }

    enum ComparisonOperator: String, Sendable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    var type: FieldType {
        switch self {
        case let .literal(_, type), let .field(_, type), let .arithmetic(_, _, _, type),
            let .conditional(_, _, _, type), let .coalesce(_, type):
            type
        case let .negate(operand): operand.type
        case .not, .comparison, .logical: .boolean
        case .concatenate: .string
        case .round: .number
        case let .function(function, operand): function == .abs ? operand.type : function.resultType
        }
    }
}
