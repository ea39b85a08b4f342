import ArgumentParser
import Foundation
import Logging
import OpenDataPipeline

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "The folder of pipeline files.")
    var pipelines = "Pipelines"

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    func makeLogger() -> Logger {
        let quiet = self.quiet
        var logger = Logger(label: "opendata") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .error : .info
            return handler
        }
        logger.logLevel = quiet ? .error : .info
        return logger
    }

    func loadPipelines(_ names: [String]) throws(PipelineFailure) -> [Pipeline] {
        let files = try PipelineCatalog(directory: pipelines).files(named: names)
        let loader = PipelineLoader()
        return try files.map { file throws(PipelineFailure) in try loader.load(path: file) }
    }
}

/// Runs `body`, turning a ``PipelineFailure`` into one line on stderr and its exit status.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let PipelineFailure.invalidData(report) {
        FileHandle.standardError.write(Data(report.text.utf8))
        FileHandle.standardError.write(Data("nothing was published\n".utf8))
        throw ExitCode(65)
    } catch let failure as PipelineFailure {
        FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
        throw ExitCode(failure.exitStatus)
    }
}
