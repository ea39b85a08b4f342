extension ExpressionNode {
    /// Evaluates this node on `row`. Null propagates through arithmetic and
    /// comparisons; `and`/`or` treat null as false.
    func evaluate(_ row: ArraySlice<Value>) throws(EvaluationError) -> Value {
        switch self {
        case let .literal(value, _):
            return value
        case let .field(index, _):
            return row[row.startIndex + index]
        case let .negate(operand):
            switch try operand.evaluate(row) {
            case let .integer(integer):
                guard integer != .min else { throw .overflow }
                return .integer(-integer)
            case let .number(number):
                guard number.units != .min else { throw .overflow }
                return .number(DecimalNumber(units: -number.units, scale: number.scale))
            default:
                return .null
            }
        case let .not(operand):
            guard case let .boolean(flag) = try operand.evaluate(row) else { return .null }
            return .boolean(!flag)
        case let .arithmetic(operation, left, right, type):
            let a = try left.evaluate(row)
            let b = try right.evaluate(row)
            if case let .integer(x) = a, case let .integer(y) = b, type == .integer {
                return .integer(try Self.integerArithmetic(operation, x, y))
            }
            guard let x = a.decimal, let y = b.decimal else { return .null }
            do {
                switch operation {
                case .add: return .number(try x + y)
                case .subtract: return .number(try x - y)
                case .multiply: return .number(try x * y)
                case .divide: return .number(try x / y)
                }
            } catch {
                throw error == .divisionByZero ? .divisionByZero : .overflow
            }
        case let .concatenate(left, right):
            guard let a = try left.evaluate(row).text, let b = try right.evaluate(row).text else { return .null }
            return .string(a + b)
        case let .comparison(operation, left, right):
            let a = try left.evaluate(row)
            let b = try right.evaluate(row)
            guard !a.isNull, !b.isNull, let order = Value.compare(a, b) else { return .null }
            switch operation {
            case .equal: return .boolean(order == 0)
            case .notEqual: return .boolean(order != 0)
            case .less: return .boolean(order < 0)
            case .lessOrEqual: return .boolean(order <= 0)
            case .greater: return .boolean(order > 0)
            case .greaterOrEqual: return .boolean(order >= 0)
            }
        case let .logical(isAnd, left, right):
            let a = try left.evaluate(row) == .boolean(true)
            if isAnd, !a { return .boolean(false) }
            if !isAnd, a { return .boolean(true) }
            return .boolean(try right.evaluate(row) == .boolean(true))
        case let .round(operand, placesNode):
            guard let number = try operand.evaluate(row).decimal,
                case let .integer(places) = try placesNode.evaluate(row)
            else { return .null }
            do {
                return .number(try number.rounded(toPlaces: Int(places)))
            } catch {
                throw .overflow
            }
        case let .conditional(condition, then, otherwise, type):
            let chosen = try condition.evaluate(row) == .boolean(true) ? then : otherwise
            return Self.widen(try chosen.evaluate(row), to: type)
        case let .function(function, operand):
            return try Self.apply(function, to: operand.evaluate(row))
        case let .coalesce(candidates, type):
            for candidate in candidates {
                let value = try candidate.evaluate(row)
                if !value.isNull { return Self.widen(value, to: type) }
            }
            return .null
        }
    }

    private static func integerArithmetic(_ operation: ArithmeticOperator, _ x: Int64, _ y: Int64) throws(EvaluationError) -> Int64 {
        let (result, overflow): (Int64, Bool)
        switch operation {
        case .add: (result, overflow) = x.addingReportingOverflow(y)
        case .subtract: (result, overflow) = x.subtractingReportingOverflow(y)
        case .multiply: (result, overflow) = x.multipliedReportingOverflow(by: y)
        case .divide: preconditionFailure("division is always decimal")
        }
        if overflow { throw .overflow }
        return result
    }

    private static func apply(_ function: ScalarFunction, to value: Value) throws(EvaluationError) -> Value {
        switch (function, value) {
        case (.isNull, _): return .boolean(value.isNull)
        case (_, .null): return .null
        case let (.upper, .string(text)): return .string(text.uppercased())
        case let (.lower, .string(text)): return .string(text.lowercased())
        case let (.trim, .string(text)):
            let scalars = text.unicodeScalars
            let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
            let end = scalars.lastIndex { !$0.properties.isWhitespace }.map { scalars.index(after: $0) } ?? start
            return .string(String(scalars[start..<max(start, end)]))
        case let (.length, .string(text)): return .integer(Int64(text.unicodeScalars.count))
        case let (.year, .date(date)): return .integer(Int64(date.year))
        case let (.month, .date(date)): return .integer(Int64(date.month))
        case let (.day, .date(date)): return .integer(Int64(date.day))
        case let (.year, .string(text)), let (.month, .string(text)), let (.day, .string(text)):
            // ISO text: YYYY-MM[-DD[Thh:mm:ss…]]
            let parts = text.prefix(10).split(separator: "-").map { Int($0) }
            let index = function == .year ? 0 : (function == .month ? 1 : 2)
            guard index < parts.count, let part = parts[index] else { return .null }
            return .integer(Int64(part))
        case let (.abs, .integer(integer)):
            guard integer != .min else { throw .overflow }
            return .integer(Swift.abs(integer))
        case let (.abs, .number(number)):
            guard number.units != .min else { throw .overflow }
            return .number(DecimalNumber(units: Swift.abs(number.units), scale: number.scale))
        default:
            return .null
        }
    }

    /// An integer where a number is expected becomes a number of scale 0.
    private static func widen(_ value: Value, to type: FieldType) -> Value {
        if type == .number, case let .integer(integer) = value { return .number(DecimalNumber(integer)) }
        return value
    }
}
