#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the bytes of one cell into a typed ``Value`` for a field.
///
/// Works on UTF-8 bytes: numbers, years, dates and booleans are parsed
/// without making a `String`; only text fields become strings.
public struct ValueDecoder: Sendable {
    public let field: Field
    public let numberFormat: NumberFormat
    /// Cell texts that mean "no value" (Table Schema `missingValues`), as bytes; the empty cell always does.
    private let missingValues: [[UInt8]]
    /// Set by a reader that has already checked that every byte it hands over is
    /// valid UTF-8 (the CSV reader does, for every encoding), so text is not checked twice.
    var bytesAreValidUTF8 = false
    /// The most bytes one cell may hold (a dataset's `maximumCellBytes`): every text value
    /// is copied into some thirty published files.
    public var maximumCellBytes = ValueDecoder.defaultMaximumCellBytes
    public static let defaultMaximumCellBytes = 1 << 20
    /// Whether text keeps C0 control characters other than tab, line feed and carriage
    /// return (a dataset's `controlCharacters: keep`), as their inert Unicode control
    /// pictures (U+2400–U+241F); otherwise such a character is a type error.
    public var keepsControlCharacters = false

    public init(field: Field, numberFormat: NumberFormat, missingValues: [String] = [""]) {
        self.field = field
        self.numberFormat = numberFormat
        self.missingValues = (field.missingValues ?? missingValues).filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// Why a cell could not be decoded: what was expected instead.
    public struct Failure: Error, Sendable, Equatable {
        public var expected: String
        /// The constraint broken (`minimum`, `pattern`, …); nil when the cell is not of the field's type.
        public var rule: String? = nil
        /// The decoded value, when only a constraint is broken.
        public var value: Value? = nil

        public init(expected: String, rule: String? = nil, value: Value? = nil) {
            self.expected = expected
            self.rule = rule
            self.value = value
        }
    }

    /// Decodes `bytes`; an empty cell (or one of only spaces, for non-text
    /// types) or one of the missing values is null. Checks the field's
    /// constraints (not `unique`, which needs the whole table).
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> Value {
        guard bytes.count <= maximumCellBytes else {
            throw Failure(
                expected: "a cell of at most \(maximumCellBytes) bytes; this one has \(bytes.count) "
                    + "(a dataset can raise the limit with maximumCellBytes)")
        }
        var value = try decodeType(bytes)
        if let decimals = field.decimals, case let .number(number) = value {
            guard number.scale <= decimals, let padded = try? number.rounded(toPlaces: decimals) else {
                throw Failure(expected: "at most \(decimals) decimals", rule: "decimals", value: value)
            }
            value = .number(padded)
        }
        if let violation = field.constraints.violation(by: value) {
            throw Failure(expected: violation.expected, rule: violation.rule, value: value)
        }
        return value
    }

    /// Decodes a `String` the same way.
    public func decode(_ text: String) throws(Failure) -> Value {
        var text = text
        let result: Result<Value, Failure> = text.withUTF8 { bytes in Result { () throws(Failure) in try decode(bytes) } }
        return try result.get()
    }

    private func isMissing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for missing in missingValues where missing.count == bytes.count {
            if missing.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return true
            }
        }
        return false
    }

    private func decodeType(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> Value {
        if !missingValues.isEmpty, !bytes.isEmpty, isMissing(bytes) { return .null }
        if field.type == .string {
            guard !bytes.isEmpty else { return .null }
            // The CSV reader has already checked every byte; other sources are checked here.
            let validated = bytesAreValidUTF8 ? String(decoding: bytes, as: UTF8.self) : Self.validatedText(bytes)
            guard let text = validated else {
                throw Failure(expected: "UTF-8 text (the bytes are not valid UTF-8)")
            }
            if let format = field.format, !format.accepts(text) { throw Failure(expected: format.expectation) }
            return .string(try Self.withoutControlCharacters(text, bytes: bytes, keep: keepsControlCharacters))
        }
        if let format = field.format, case .pattern = format {
            return try decodePattern(format, bytes)
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .null }
        switch field.type {
        case .integer:
            guard let number = NumberParser.parse(bytes, format: numberFormat), let integer = number.exactInteger else {
                throw numberFailure(bytes)
            }
            return .integer(integer)
        case .number:
            guard let number = NumberParser.parse(bytes, format: numberFormat) else { throw numberFailure(bytes) }
            return .number(number)
        case .year:
            guard let year = Self.digits(bytes, count: 4) else { throw failure }
            return .integer(Int64(year))
        case .date:
            guard let date = Self.date(bytes) else { throw failure }
            return .date(date)
        case .datetime, .time, .yearmonth, .duration:
            guard let text = Self.validatedText(bytes), TemporalText.isValid(text, as: field.type) else { throw failure }
            return .string(text)
        case .boolean:
            switch String(decoding: bytes, as: UTF8.self) {
            case "true", "True", "TRUE", "1": return .boolean(true)
            case "false", "False", "FALSE", "0": return .boolean(false)
            default: throw failure
            }
        case .string:
            preconditionFailure("handled above")
        }
    }

    /// A date, datetime or time written in a source's own pattern, as the canonical ISO value.
    private func decodePattern(_ format: FieldFormat, _ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> Value {
        let failure = Failure(expected: format.expectation)
        guard let text = Self.validatedText(bytes), let parts = format.parts(of: text) else { throw failure }
        func pad(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }
        var date: CalendarDate?
        if field.type != .time {
            guard let year = parts["Y"], let month = parts["m"], let day = parts["d"],
                let valid = CalendarDate(year: year, month: month, day: day)
            else { throw failure }
            date = valid
        }
        var time = ""
        if field.type != .date {
            let hour = parts["H"] ?? 0
            let minute = parts["M"] ?? 0
            let second = parts["S"] ?? 0
            guard hour < 24, minute < 60, second < 61 else { throw failure }
            time = "\(pad(hour)):\(pad(minute)):\(pad(second))"
        }
        switch field.type {
        case .date: return .date(date!)
        case .datetime: return .string("\(date!)T\(time)")
        default: return .string(time)
        }
    }

    static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Self.digits(UnsafeBufferPointer(rebasing: bytes[0..<4]), count: 4),
            let month = Self.digits(UnsafeBufferPointer(rebasing: bytes[5..<7]), count: 2),
            let day = Self.digits(UnsafeBufferPointer(rebasing: bytes[8..<10]), count: 2)
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// `text` when it has no C0 control character but tab, line feed and carriage return;
    /// with `keep`, those characters replaced by their control pictures (ESC becomes ␛);
    /// otherwise a failure naming the first one and its 1-based byte in the cell.
    static func withoutControlCharacters(
        _ text: String, bytes: UnsafeBufferPointer<UInt8>, keep: Bool
    ) throws(Failure) -> String {
        func isControl(_ byte: UInt8) -> Bool { byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D }
        guard let first = ByteScan.firstControl(bytes) else { return text }
        guard keep else {
            let code = String(bytes[first], radix: 16, uppercase: true)
            throw Failure(
                expected: "text without control characters: U+\(String(repeating: "0", count: 4 - code.count))\(code) "
                    + "at byte \(first + 1) of the cell (a dataset that means to keep them declares controlCharacters: keep)")
        }
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20, isControl(UInt8(scalar.value)) {
                kept.append(Unicode.Scalar(0x2400 + scalar.value)!)
            } else {
                kept.append(scalar)
            }
        }
        return String(kept)
    }

    /// The text of `bytes` when they are valid UTF-8, nil otherwise.
    ///
    /// `String(decoding:as:)` validates in one fast pass but repairs invalid
    /// input with U+FFFD; comparing its bytes with the input tells the two
    /// apart. Twice as fast as the generic `String(validating:as:)`, which
    /// took a sixth of the benchmark's time (perf).
    static func validatedText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            decoded.count == bytes.count
                && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return same ? text : nil
    }

    private var failure: Failure {
        Failure(expected: field.type.expectation(numberFormat: numberFormat))
    }

    /// The most significant digits a number may have (it is held in 64 bits: any 18-digit number fits).
    static let maximumSignificantDigits = 18

    /// Why `bytes` is not a number: too many digits for 64 bits (said with the limit), or not a number at all.
    private func numberFailure(_ bytes: UnsafeBufferPointer<UInt8>) -> Failure {
        var significant = 0
        var decimals = 0
        var inFraction = false
        for byte in bytes {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if significant > 0 || byte != UInt8(ascii: "0") { significant += 1 }
                if inFraction { decimals += 1 }
            } else if byte == numberFormat.decimalSeparator {
                inFraction = true
            } else if !(byte == UInt8(ascii: "-") || byte == numberFormat.groupSeparator || byte == 0x20 || byte == 0x25) {
                return failure  // not only digits: not a number at all
            }
        }
        if significant > Self.maximumSignificantDigits {
            return Failure(
                expected: "at most \(Self.maximumSignificantDigits) significant digits (this has \(significant)); "
                    + "a longer number does not fit in 64 bits: publish it as a string field")
        }
        if decimals > DecimalNumber.maximumScale {
            return Failure(expected: "at most \(DecimalNumber.maximumScale) digits after the decimal separator (this has \(decimals))")
        }
        return failure
    }

    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, count: Int) -> Int? {
        guard bytes.count == count else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
