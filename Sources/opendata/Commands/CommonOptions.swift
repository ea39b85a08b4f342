import ArgumentParser
import Foundation
import Logging
import OpenDataPipeline

/// How logs are written.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    /// `time level message key=value…`, for a person at a terminal.
    case text
    /// One JSON object a line, for log collectors.
    case json
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "The folder of pipeline files.")
    var pipelines = "Pipelines"

    @Option(
        name: .customLong("allow-root"),
        help: "A folder outside a pipeline file's own from which its sources may be read (repeatable; none by default).")
    var allowedRoots: [String] = []

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log every step, also on a terminal (where a progress line shows by default).")
    var verbose = false

    @Option(help: "Log lines as text or json (one object a line).")
    var logFormat: LogFormat = .text

    /// Errors only with --quiet; every step for cron and pipes (not a terminal) or with
    /// --verbose; on a terminal, warnings, since the progress line and summary say the rest.
    func makeLogger() -> Logger {
        let level: Logger.Level = quiet ? .error : (verbose || !Terminal.interactive ? .info : .warning)
        let format = logFormat
        var logger = Logger(label: "opendata") { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                return JSONLineLogHandler(logLevel: level)
            }
        }
        logger.logLevel = level
        return logger
    }

    func loadPipelines(_ names: [String]) throws(PipelineFailure) -> [Pipeline] {
        let files = try PipelineCatalog(directory: pipelines).files(named: names)
        let loader = PipelineLoader(allowedRoots: allowedRoots)
        return try files.map { file throws(PipelineFailure) in try loader.load(path: file) }
    }
}

/// Runs `body`, turning a ``PipelineFailure`` into its exit status and one line on stderr
/// (with the input's line and a caret under the position where known), or, with
/// `--log-format json`, one JSON object with its `code` and position.
func reportingFailures(logFormat: LogFormat = .text, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as PipelineFailure where logFormat == .json {
        // One object a line: each issue of a report, then the failure (the run logged an interruption).
        if case let .invalidData(report) = failure {
            for issue in report.issues {
                logJSON(level: issue.severity.rawValue, message: "\(issue)", code: issue.code, location: issue.location)
            }
        }
        if case .interrupted = failure {
        } else {
            let location = failure.location.map { $0.excerpt == nil && $0.line != nil ? $0.withExcerpt() : $0 }
            logJSON(level: "error", message: "\(failure)", code: failure.code, location: location)
        }
        throw ExitCode(failure.exitStatus)
    } catch let PipelineFailure.invalidData(report) {
        FileHandle.standardError.write(Data(Terminal.safe(report.text).utf8))
        FileHandle.standardError.write(Data("nothing was published\n".utf8))
        throw ExitCode(65)
    } catch let PipelineFailure.damagedRelease(id, problems) {
        for problem in problems { standardError("  \(Terminal.safe(problem))") }
        standardError(
            "\(errorLabel): release \(id) is damaged: \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was changed "
                + "(`opendata rollback ID` switches to a release that verifies)")
        throw ExitCode(74)
    } catch PipelineFailure.interrupted(let signal) {
        // The run logged it: one line.
        throw ExitCode(PipelineFailure.interrupted(signal: signal).exitStatus)
    } catch let failure as PipelineFailure {
        let location = failure.location.map { $0.excerpt == nil && $0.line != nil ? $0.withExcerpt() : $0 }
        standardError("\(errorLabel): \(Terminal.safe("\(failure)"))")
        if let snippet = location?.snippet { standardError(Terminal.safe(snippet)) }
        throw ExitCode(failure.exitStatus)
    }
}

/// Writes a failure or an issue as one JSON object with its `code` and position.
private func logJSON(level: String, message: String, code: PipelineFailure.Code, location: SourceLocation?) {
    var fields = ["code": code.rawValue]
    fields["file"] = location?.file
    fields["line"] = location?.line.map(String.init)
    fields["column"] = location?.column.map(String.init)
    fields["row"] = location?.row.map(String.init)
    fields["field"] = location?.field
    fields["excerpt"] = location?.excerpt
    JSONLineLogHandler.write(level: level, message: message, fields: fields)
}

private var errorLabel: String { Terminal.interactive && Terminal.colours ? "\u{1B}[31merror\u{1B}[0m" : "error" }

/// Writes one line to standard error.
func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
