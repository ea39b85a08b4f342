/// One typed cell. A row is a fixed-width run of these in a ``Batch``; there
/// is no dictionary and no `Any` per cell.
public enum Value: Sendable, Hashable {
    case null
    case integer(Int64)
    case number(DecimalNumber)
    case string(String)
    case boolean(Bool)
    case date(CalendarDate)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as a decimal, when it is numeric.
    public var decimal: DecimalNumber? {
        switch self {
        case let .integer(integer): DecimalNumber(integer)
        case let .number(number): number
        default: nil
        }
    }

    /// Canonical text, as CSV and feeds print it; nil for null.
    public var text: String? {
        switch self {
        case .null: nil
        case let .integer(integer): String(integer)
        case let .number(number): number.description
        case let .string(string): string
        case let .boolean(flag): flag ? "true" : "false"
        case let .date(date): date.description
        }
    }

    /// The value as a key for sets and dictionaries: numerically equal numbers
    /// (`1.5`, `1.50`) are the same key.
    var keyForm: Value {
        if case let .number(number) = self { return .number(number.normalized(minimumScale: 0)) }
        return self
    }

    /// Orders values of one type; nulls first. Used by grouping and comparisons.
    static func compare(_ lhs: Value, _ rhs: Value) -> Int? {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case let (.string(a), .string(b)): return a == b ? 0 : (a < b ? -1 : 1)
        case let (.boolean(a), .boolean(b)): return a == b ? 0 : (!a ? -1 : 1)
        case let (.date(a), .date(b)): return a == b ? 0 : (a < b ? -1 : 1)
        default:
            guard let a = lhs.decimal, let b = rhs.decimal else { return nil }
            return a.isNumericallyEqual(to: b) ? 0 : (a < b ? -1 : 1)
        }
    }
}
