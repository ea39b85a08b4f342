/// Why a run stopped. Each case says what was found, where, and what was expected,
/// and maps to a distinct exit status (sysexits.h).
public enum PipelineFailure: Error, Sendable, Equatable {
    /// The pipeline file is not valid: unknown key, wrong type, missing key, bad expression.
    case invalidDefinition(SourceLocation, problem: String)
    /// A source file could not be found or read, or is not in the declared format.
    case sourceUnreadable(SourceLocation, reason: String)
    /// A source is readable but not in the declared shape (an unterminated quote,
    /// a missing column, a row of the wrong width, no rows).
    case malformedSource(SourceLocation, problem: String)
    /// A value in a source does not fit the schema.
    case badValue(SourceLocation, value: String, expected: String)
    /// The output could not be written.
    case cannotPublish(path: String, reason: String)
    /// Another run holds the lock on the output folder.
    case anotherRunInProgress(lockFile: String)
    /// Validation found errors (listed in the report); nothing was published.
    case invalidData(ValidationReport)

    /// The process exit status for this failure (sysexits.h).
    public var exitStatus: Int32 {
        switch self {
        case .badValue, .malformedSource, .invalidData: 65  // EX_DATAERR
        case .sourceUnreadable: 66  // EX_NOINPUT
        case .cannotPublish: 73  // EX_CANTCREAT
        case .anotherRunInProgress: 75  // EX_TEMPFAIL
        case .invalidDefinition: 78  // EX_CONFIG
        }
    }
}

extension PipelineFailure: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidDefinition(location, problem):
            "\(location): \(problem)"
        case let .sourceUnreadable(location, reason):
            "\(location): \(reason)"
        case let .malformedSource(location, problem):
            "\(location): \(problem)"
        case let .badValue(location, value, expected):
            "\(location): '\(Self.printable(value))' is not valid: expected \(expected)"
        case let .cannotPublish(path, reason):
            "cannot publish to \(path): \(reason)"
        case let .anotherRunInProgress(lockFile):
            "another run holds the lock \(lockFile); nothing was changed"
        case let .invalidData(report):
            "\(report.errors) error\(report.errors == 1 ? "" : "s") in the data; nothing was published"
        }
    }

    /// Shows control characters and long values so that one error stays one readable line.
    static func printable(_ value: String) -> String {
        var shown = ""
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                shown += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
            if shown.count > 80 { return shown + "…" }
        }
        return shown
    }
}
