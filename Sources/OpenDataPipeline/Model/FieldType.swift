/// The type of a field, named as Frictionless Table Schema names it.
public enum FieldType: String, Sendable, Hashable, CaseIterable {
    case integer
    case number
    case string
    case date
    case year
    case boolean

    /// Whether values of this type are numbers that arithmetic accepts.
    var isNumeric: Bool { self == .integer || self == .number }

    /// What a value of this type looks like, for error messages.
    func expectation(numberFormat: NumberFormat) -> String {
        switch self {
        case .integer: "a whole number (\(numberFormat.integerExample))"
        case .number: "a number (\(numberFormat.numberExample))"
        case .string: "text"
        case .date: "a date as YYYY-MM-DD"
        case .year: "a year (four digits)"
        case .boolean: "true or false"
        }
    }
}
