/// A column of a table: its name, type, constraints and what it means.
public struct Field: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public var title: LocalizedText?
    public var description: LocalizedText?
    /// The unit of the values, e.g. `người` / `persons`, `%`.
    public var unit: String?
    /// How the text is shaped (`email`, `uri`, …) or how the source writes dates (`%d/%m/%Y`).
    public var format: FieldFormat?
    /// The power of ten the values are counted in: 3 for thousands, 6 for millions (`triệu`).
    /// A value of 7.5 with a multiplier of 6 means 7,500,000 units.
    public var unitMultiplier: Int?
    /// The decimals every value is published with: `17.9` is published `17.90` with 2.
    /// A value with more decimals than declared is a constraint error, never silently rounded.
    public var decimals: Int?
    /// What the field says about the data, beyond its values (see ``FieldRole``).
    public var role: FieldRole?
    /// Cell texts that mean "no value" for this field (Table Schema v2 per-field `missingValues`);
    /// nil means the source's (by default only the empty cell).
    public var missingValues: [String]?
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
