import ArgumentParser
import Foundation
import OpenDataPipeline

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check pipeline definitions and their data without publishing anything.",
        discussion: """
            Reads every source and runs every step and data test, collecting every issue \
            (blank-label, duplicate-label, missing-cell, extra-cell, blank-row, type-error, \
            constraint-error, unique-error, primary-key-error, foreign-key-error, step-error, \
            test-error). Exits 65 when any error is found; warnings do not change the status. \
            `--report json` prints the report on standard output in the format that \
            docs/pipeline-format.md describes.
            """)

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "Pipeline files or ids (default: every pipeline in the pipelines folder).")
    var pipeline: [String] = []

    @Option(help: "How to print the report: text (on standard error) or json (on standard output).")
    var report: ReportFormat = .text

    @Option(help: "How many issues the report lists; all are counted.")
    var maxIssues = ValidationCollector.defaultMaximumIssues

    @Option(help: "The publication root, whose current release tests that compare with published figures read.")
    var output = "Output"

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingFailures(logFormat: options.logFormat) {
            let pipelines = try options.loadPipelines(pipeline)
            var runner = PipelineRunner(output: URL(fileURLWithPath: output), logger: options.makeLogger())
            runner.maximumIssues = maxIssues
            let result = try runner.validate(pipelines)
            let validation = result.validation
            switch report {
            case .json:
                print(validation?.json() ?? "{}", terminator: "")
            case .text:
                if let validation, !validation.issues.isEmpty || !validation.isValid {
                    FileHandle.standardError.write(Data(Terminal.safe(validation.text).utf8))
                }
                if !options.quiet {
                    for dataset in validation?.datasets ?? [] {
                        print("\(dataset.errors == 0 ? "valid" : "invalid"): \(dataset.pipeline)/\(dataset.dataset) (\(dataset.rows) rows)")
                    }
                }
            }
            if validation?.isValid == false { throw ExitCode(65) }
        }
    }
}
