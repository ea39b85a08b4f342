import ArgumentParser
import Foundation
import OpenDataPipeline

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check pipeline definitions and their data without publishing anything.")

    @Argument(help: "Pipeline files or ids (default: every pipeline in the pipelines folder).")
    var pipeline: [String] = []

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingFailures {
            let pipelines = try options.loadPipelines(pipeline)
            let runner = PipelineRunner(output: URL(fileURLWithPath: "/nonexistent"), logger: options.makeLogger())
            let report = try runner.validate(pipelines)
            if !options.quiet {
                for dataset in report.datasets {
                    print("valid: \(dataset.pipeline)/\(dataset.dataset) (\(dataset.rows) rows)")
                }
            }
        }
    }
}
