/// Why a run stopped. Each case says what was found, where, and what was expected,
/// maps to a distinct exit status (sysexits.h) and carries a stable ``Code`` beside
/// its text, for scripts and tests (`code` in `--report json` and `--log-format json`).
public enum PipelineFailure: Error, Sendable, Equatable {
    /// The pipeline file is not valid: unknown key, wrong type, missing key, bad expression.
    case invalidDefinition(SourceLocation, problem: String, code: Code = .invalidDefinition)
    /// A source file could not be found or read, or is not in the declared format.
    case sourceUnreadable(SourceLocation, reason: String, code: Code = .sourceUnreadable)
    /// A source is readable but not in the declared shape (an unterminated quote,
    /// a missing column, a row of the wrong width, no rows).
    case malformedSource(SourceLocation, problem: String, code: Code = .malformedSource)
    /// A value in a source does not fit the schema.
    case badValue(SourceLocation, value: String, expected: String, code: Code = .typeError)
    /// The output could not be written.
    case cannotPublish(path: String, reason: String)
    /// Another run holds the lock on the output folder.
    case anotherRunInProgress(lockFile: String)
    /// Validation found errors (listed in the report); nothing was published.
    case invalidData(ValidationReport)
    /// A release id that is not the id of a complete release that verifies (`rollback`, `verify`).
    case unknownRelease(String, reason: String, valid: [String])
    /// A release does not match its manifest (edited, deleted or extra files), or
    /// `current` points at something that is not a complete release.
    case damagedRelease(String, problems: [String])
    /// The release time is earlier than the current release's (a clock gone backwards).
    case earlierReleaseTime(String, current: String, currentTime: String)
    /// SIGTERM, SIGINT or SIGHUP stopped the run at a safe point; nothing was published.
    case interrupted(signal: Int32)
    /// A pipeline of an embargoed run already has a held release (`--replace` replaces it).
    case heldReleaseExists(pipeline: String, held: String, releaseAt: String)
    /// A held release does not match its manifest: refused, and still held.
    case damagedHeldRelease(String, problems: [String])
    /// A held release was prepared on a release that is no longer current: refused, and still held.
    case staleHeldRelease(String, base: String, current: String)
    /// A held release id (or token) that is not held (`cancel-held`, `serve --embargoed`); an empty id:
    /// `serve --embargoed` without `--held` when none or several are held.
    case unknownHeldRelease(String, valid: [String])
    /// `asof`: the dataset was not published at that time, or is not a dataset of any release.
    case notPublished(String, reason: String)

    /// The process exit status for this failure (sysexits.h).
    public var exitStatus: Int32 {
        switch self {
        case .unknownRelease, .earlierReleaseTime: 64  // EX_USAGE
        case .badValue, .malformedSource, .invalidData: 65  // EX_DATAERR
        case .sourceUnreadable: 66  // EX_NOINPUT
        case .cannotPublish: 73  // EX_CANTCREAT
        case .damagedRelease: 74  // EX_IOERR: what is on disk is not what was written
        case .anotherRunInProgress: 75  // EX_TEMPFAIL
        case .invalidDefinition: 78  // EX_CONFIG
        case let .interrupted(signal): 128 + signal  // as a shell reports a process killed by the signal
        case .unknownHeldRelease: 64
        case .notPublished: 66
        case .damagedHeldRelease: 83
        case .heldReleaseExists: 84
        case .staleHeldRelease: 85
        }
    }
}

extension PipelineFailure {
    /// The stable reason: what kind of problem this is, whatever the wording of the text.
    public var code: Code {
        switch self {
        case let .invalidDefinition(_, _, code), let .sourceUnreadable(_, _, code), let .malformedSource(_, _, code),
            let .badValue(_, _, _, code):
            code
        case .cannotPublish: .cannotPublish
        case .anotherRunInProgress: .runInProgress
        case .invalidData: .invalidData
        case .unknownRelease: .unknownRelease
        case .damagedRelease: .damagedRelease
        case .earlierReleaseTime: .earlierReleaseTime
        case .interrupted: .interrupted
        case .heldReleaseExists: .heldReleaseExists
        case .damagedHeldRelease: .damagedHeldRelease
        case .staleHeldRelease: .staleHeldRelease
        case .unknownHeldRelease: .unknownHeldRelease
        case .notPublished: .notPublished
        }
    }

    /// Where the problem is, for the failures about an input.
    public var location: SourceLocation? {
        switch self {
        case let .invalidDefinition(location, _, _), let .sourceUnreadable(location, _, _),
            let .malformedSource(location, _, _), let .badValue(location, _, _, _):
            location
        default:
            nil
        }
    }

    /// The same failure with its location changed by `change` (used to add an excerpt).
    public func relocated(_ change: (SourceLocation) -> SourceLocation) -> PipelineFailure {
        switch self {
        case let .invalidDefinition(location, problem, code): .invalidDefinition(change(location), problem: problem, code: code)
        case let .sourceUnreadable(location, reason, code): .sourceUnreadable(change(location), reason: reason, code: code)
        case let .malformedSource(location, problem, code): .malformedSource(change(location), problem: problem, code: code)
        case let .badValue(location, value, expected, code):
            .badValue(change(location), value: value, expected: expected, code: code)
        default: self
        }
    }
}

extension PipelineFailure: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidDefinition(location, problem, _):
            "\(location): \(problem)"
        case let .sourceUnreadable(location, reason, _):
            "\(location): \(reason)"
        case let .malformedSource(location, problem, _):
            "\(location): \(problem)"
        case let .badValue(location, value, expected, _):
            "\(location): '\(Self.printable(value))' is not valid: expected \(expected)"
        case let .cannotPublish(path, reason):
            "cannot publish to \(path): \(reason)"
        case let .anotherRunInProgress(lockFile):
            "another run holds the lock on \(lockFile); nothing was changed"
        case let .invalidData(report):
            "\(report.errors) error\(report.errors == 1 ? "" : "s") in the data; nothing was published"
        case let .unknownRelease(id, reason, valid):
            "'\(Self.printable(id))' \(reason); valid release ids: \(valid.isEmpty ? "none" : valid.joined(separator: ", "))"
        case let .damagedRelease(id, problems):
            "release \(id) is damaged (\(problems.count) problem\(problems.count == 1 ? "" : "s")): "
                + problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; …" : "")
                + "; nothing was changed (`opendata verify` lists every problem; `opendata rollback ID` switches to a release that verifies)"
        case let .earlierReleaseTime(time, current, currentTime):
            "the release time \(time) is earlier than that of the current release \(current) (\(currentTime)); "
                + "nothing was published (is the clock wrong? --allow-earlier-time publishes anyway)"
        case let .interrupted(signal):
            "interrupted by \(Self.signalName(signal)); nothing was published; the current release is unchanged"
        case let .heldReleaseExists(pipeline, held, releaseAt):
            "pipeline '\(pipeline)' already has held release \(held) (due \(releaseAt)); nothing was held "
                + "(--replace replaces it; `opendata cancel-held \(held)` cancels it)"
        case let .damagedHeldRelease(id, problems):
            "held release \(id) does not match its manifest (\(problems.count) problem\(problems.count == 1 ? "" : "s")): "
                + problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; …" : "")
                + "; it was not published and stays held"
        case let .staleHeldRelease(id, base, current):
            "held release \(id) was prepared on release \(base), but 'current' is now \(current); it was not published and stays held "
                + "(prepare it again with `opendata run --release-at TIME --replace`)"
        case let .unknownHeldRelease(id, valid) where id.isEmpty:
            // No id given: none is held, or several are and one must be named.
            valid.isEmpty
                ? "no release is held (`opendata run --release-at TIME` holds one)"
                : "\(valid.count) releases are held (\(valid.joined(separator: ", "))): name one with --held ID"
        case let .unknownHeldRelease(id, valid):
            "'\(Self.printable(id))' is not a held release; held: \(valid.isEmpty ? "none" : valid.joined(separator: ", "))"
        case let .notPublished(what, reason):
            "\(Self.printable(what)) \(reason)"
        }
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 1: "SIGHUP"
        case 2: "SIGINT"
        case 15: "SIGTERM"
        default: "signal \(signal)"
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
