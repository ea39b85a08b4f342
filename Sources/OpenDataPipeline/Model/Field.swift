/// A column of a table: its name, type, constraints and what it means.
public struct Field: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public var title: LocalizedText?
    public var description: LocalizedText?
    /// The unit of the values, e.g. `người` / `persons`, `%`.
    public var unit: String?
    public var constraints: FieldConstraints

    public init(
        name: String, type: FieldType, title: LocalizedText? = nil, description: LocalizedText? = nil,
        unit: String? = nil, constraints: FieldConstraints = FieldConstraints()
    ) {
        self.name = name
        self.type = type
        self.title = title
        self.description = description
        self.unit = unit
        self.constraints = constraints
    }
}

/// Constraints on a field's values, as Table Schema spells them.
public struct FieldConstraints: Sendable, Hashable {
    public var required: Bool = false
    public var minimum: DecimalNumber?
    public var maximum: DecimalNumber?

    public init(required: Bool = false, minimum: DecimalNumber? = nil, maximum: DecimalNumber? = nil) {
        self.required = required
        self.minimum = minimum
        self.maximum = maximum
    }

    /// What `value` breaks, phrased as what was expected; nil when it fits.
    func violation(by value: Value) -> String? {
        if value.isNull {
            return required ? "a value (the field is required)" : nil
        }
        guard let number = value.decimal else { return nil }
        if let minimum, number < minimum, let maximum {
            return "a value from \(minimum) to \(maximum)"
        }
        if let maximum, maximum < number, let minimum {
            return "a value from \(minimum) to \(maximum)"
        }
        if let minimum, number < minimum { return "a value of at least \(minimum)" }
        if let maximum, maximum < number { return "a value of at most \(maximum)" }
        return nil
    }
}
