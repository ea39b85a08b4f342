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

extension ExpressionError {
    /// `text` when it is short, else the 60 characters around `offset` with `…` where it is cut;
    /// control characters shown as escapes, so that an error stays one short line.
    static func excerpt(_ text: String, around offset: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        let width = 60
        guard scalars.count > width else { return PipelineFailure.printable(text) }
        let start = min(max(0, offset - width / 2), scalars.count - width)
        let piece = String(String.UnicodeScalarView(scalars[start..<start + width]))
        return (start > 0 ? "…" : "") + PipelineFailure.printable(piece) + (start + width < scalars.count ? "…" : "")
    }
}
