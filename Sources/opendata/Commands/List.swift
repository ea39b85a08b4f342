import ArgumentParser
import OpenDataPipeline

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the pipelines and their datasets.")

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingFailures {
            for pipeline in try options.loadPipelines([]) {
                print(Terminal.safe("\(pipeline.id)  \(pipeline.file)"))
                print(Terminal.safe("  \(pipeline.title.en) / \(pipeline.title.vi)"))
                for dataset in pipeline.datasets {
                    let formats = dataset.formats.map(\.id).joined(separator: ", ")
                    print(Terminal.safe("  - \(dataset.id) [\(formats)]: \(dataset.title.en)"))
                }
            }
        }
    }
}
