/// The type of a field, named as Frictionless Table Schema names it.
///
/// `datetime`, `time`, `yearmonth` and `duration` values are held as their
/// canonical ISO 8601 text (checked when read), which sorts and compares
/// correctly for times, months and datetimes written in one zone.
public enum FieldType: String, Sendable, Hashable, CaseIterable {
    case integer
    case number
    case string
    case date
    case datetime
    case time
    case year
    case yearmonth
    case duration
    case boolean

    /// Whether values of this type are numbers that arithmetic accepts.
    var isNumeric: Bool { self == .integer || self == .number }

    /// Whether values of this type are held as canonical text.
    var isTextual: Bool {
        switch self {
        case .string, .datetime, .time, .yearmonth, .duration: true
        default: false
        }
    }

    /// What a value of this type looks like, for error messages.
    func expectation(numberFormat: NumberFormat) -> String {
        switch self {
        case .integer: "a whole number (\(numberFormat.integerExample))"
        case .number: "a number (\(numberFormat.numberExample))"
        case .string: "text"
        case .date: "a date as YYYY-MM-DD"
        case .datetime: "a date and time as YYYY-MM-DDThh:mm:ss, optionally with fractions and a zone (Z or +07:00)"
        case .time: "a time as hh:mm:ss"
        case .year: "a year (four digits)"
        case .yearmonth: "a year and month as YYYY-MM"
        case .duration: "an ISO 8601 duration such as P1Y2M10DT2H30M"
        case .boolean: "true or false"
        }
    }
}
