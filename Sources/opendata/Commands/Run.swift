import ArgumentParser
import Foundation
import OpenDataPipeline

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish pipelines as a new release of the output folder.",
        discussion: """
            With no pipeline named, runs every pipeline file in the pipelines folder. \
            Everything is written to a staging folder first; `current` switches to the \
            new release only when every dataset succeeded.
            """)

    @Argument(help: "Pipeline files or ids (default: every pipeline in the pipelines folder).")
    var pipeline: [String] = []

    @Option(help: "The publication root.")
    var output = "Output"

    @Option(help: "How many issues the report lists when validation finds any; all are counted.")
    var maxIssues = ValidationCollector.defaultMaximumIssues

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingFailures {
            let pipelines = try options.loadPipelines(pipeline)
            var runner = PipelineRunner(output: URL(fileURLWithPath: output), logger: options.makeLogger())
            runner.maximumIssues = maxIssues
            let report = try runner.run(pipelines)
            if let validation = report.validation, !validation.issues.isEmpty {
                FileHandle.standardError.write(Data(validation.text.utf8))
            }
            if !options.quiet {
                print("published release \(report.releaseID ?? "") in \(output)/releases/\(report.releaseID ?? "")")
                for dataset in report.datasets {
                    let files = dataset.files.map(\.path).joined(separator: ", ")
                    print("  \(dataset.pipeline)/\(dataset.dataset): \(dataset.rows) rows → \(files)")
                }
                for carried in report.carriedForward {
                    print("  \(carried): carried forward unchanged")
                }
            }
        }
    }
}
