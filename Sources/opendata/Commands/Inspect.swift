import ArgumentParser
import Foundation
import OpenDataPipeline

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Suggest how to read a new source file: a source and fields snippet to paste into a pipeline.",
        discussion: """
            Looks at the start of FILE and suggests its type and, for delimited text, the encoding, \
            delimiter, header line, footer rows and a field schema (types and number formats). \
            This is the only command that guesses: a run reads exactly what the pipeline declares, \
            so check the suggestion before using it.
            """
    )

    @Argument(help: "The file to inspect.")
    var file: String

    @Option(help: "How many bytes at the start of the file to look at.")
    var sampleBytes = 1 << 20

    func run() throws {
        try reportingFailures {
            let report = try Inspector(sampleBytes: sampleBytes).inspect(path: file, relativePath: file)
            for note in report.notes { FileHandle.standardError.write(Data("# \(Terminal.safe(note))\n".utf8)) }
            print(Terminal.safe(report.snippet), terminator: "")
        }
    }
}
