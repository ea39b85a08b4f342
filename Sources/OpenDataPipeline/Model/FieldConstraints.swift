import Foundation

/// Constraints on a field's values, as Table Schema (v2) spells them.
public struct FieldConstraints: Sendable, Hashable {
    public var required: Bool = false
    /// No two rows have the same non-null value (checked by the engine over the whole table).
    public var unique: Bool = false
    public var minimum: DecimalNumber?
    public var maximum: DecimalNumber?
    public var exclusiveMinimum: DecimalNumber?
    public var exclusiveMaximum: DecimalNumber?
    /// Lengths in Unicode code points, as Frictionless counts them.
    public var minLength: Int?
    public var maxLength: Int?
    /// A regular expression the whole text must match.
    public var pattern: Pattern?
    /// The only values allowed.
    public var allowed: [Value]?
    /// When true, a broken constraint is reported as a warning and the value is kept.
    public var isWarning = false

    public init(required: Bool = false, minimum: DecimalNumber? = nil, maximum: DecimalNumber? = nil) {
        self.required = required
        self.minimum = minimum
        self.maximum = maximum
    }

    /// A compiled `pattern` constraint.
    public struct Pattern: Sendable, Hashable {
        public let text: String
        // NSRegularExpression is immutable and documented as safe to share between threads.
        private let expression: NSRegularExpression

        /// Compiles `text`, anchored at both ends as Table Schema requires; nil when it is not a valid pattern.
        public init?(_ text: String) {
            guard let expression = try? NSRegularExpression(pattern: "^(?:\(text))$") else { return nil }
            self.text = text
            self.expression = expression
        }

        public func matches(_ value: String) -> Bool {
            let range = NSRange(value.startIndex..<value.endIndex, in: value)
            return expression.firstMatch(in: value, range: range) != nil
        }

        public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.text == rhs.text }
        public func hash(into hasher: inout Hasher) { hasher.combine(text) }
    }

    /// Which constraint a value breaks and what was expected instead.
    public struct Violation: Sendable, Hashable, Error {
        /// The constraint's Table Schema name, e.g. `minimum`.
        public var rule: String
        public var expected: String
    }

    /// What `value` breaks, phrased as what was expected; nil when it fits.
    public func violation(by value: Value) -> Violation? {
        if value.isNull {
            return required ? Violation(rule: "required", expected: "a value (the field is required)") : nil
        }
        if let number = value.decimal {
            if let minimum, number < minimum, let maximum {
                return Violation(rule: "minimum", expected: "a value from \(minimum) to \(maximum)")
            }
            if let maximum, maximum < number, let minimum {
                return Violation(rule: "maximum", expected: "a value from \(minimum) to \(maximum)")
            }
            if let minimum, number < minimum { return Violation(rule: "minimum", expected: "a value of at least \(minimum)") }
            if let maximum, maximum < number { return Violation(rule: "maximum", expected: "a value of at most \(maximum)") }
            if let exclusiveMinimum, !(exclusiveMinimum < number) {
                return Violation(rule: "exclusiveMinimum", expected: "a value above \(exclusiveMinimum)")
            }
            if let exclusiveMaximum, !(number < exclusiveMaximum) {
                return Violation(rule: "exclusiveMaximum", expected: "a value below \(exclusiveMaximum)")
            }
        }
        if case let .string(text) = value {
            // Counting characters walks the text: only when a length is constrained (called for every cell).
            if minLength != nil || maxLength != nil {
                let length = text.unicodeScalars.count
                if let minLength, length < minLength {
                    return Violation(rule: "minLength", expected: "at least \(minLength) characters")
                }
                if let maxLength, length > maxLength {
                    return Violation(rule: "maxLength", expected: "at most \(maxLength) characters")
                }
            }
            if let pattern, !pattern.matches(text) {
                return Violation(rule: "pattern", expected: "text matching the pattern \(pattern.text)")
            }
        }
        if let allowed, !allowed.contains(where: { Value.compare($0, value) == 0 }) {
            return Violation(rule: "enum", expected: "one of: \(allowed.compactMap(\.text).joined(separator: ", "))")
        }
        return nil
    }
}
