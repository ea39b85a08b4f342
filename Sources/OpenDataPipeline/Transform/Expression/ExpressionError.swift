/// A problem with an expression found when the pipeline is loaded.
public struct ExpressionError: Error, Sendable, Equatable {
    /// 0-based character offset into the expression.
    public var offset: Int
    public var message: String
}

/// A problem while evaluating an expression on one row.
public enum EvaluationError: Error, Sendable, Equatable {
    case divisionByZero
    case overflow

    var expected: String {
        switch self {
        case .divisionByZero: "a non-zero divisor (division by zero)"
        case .overflow: "a result that fits in 64 bits (the arithmetic overflowed)"
        }
    }
}
