import ArgumentParser
import Foundation
import OpenDataPipeline

struct AsOf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asof",
        abstract: "Write a dataset's CSV exactly as it was published at a moment.",
        discussion: """
            The CSV of the release that was current at TIME, byte for byte, when that release is still \
            in the output folder; otherwise rebuilt from the dataset's vintages \
            (data/<dataset>.vintages.json), with the same columns and number format. Exits 66 when \
            the dataset was not published at TIME.
            """)

    @Argument(help: "The moment, as ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970.")
    var time: String

    @Argument(help: "The dataset, as PIPELINE/DATASET (default: the only dataset of the releases).")
    var dataset: String?

    @Option(help: "The publication root.")
    var output = "Output"

    @Option(name: .customLong("to"), help: "Write to this file instead of standard output.")
    var file: String?

    func validate() throws {
        if ReleaseClock.parse(time) == nil { throw ValidationError("TIME must be ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970") }
        if let dataset, dataset.split(separator: "/").count != 2 { throw ValidationError("the dataset must be PIPELINE/DATASET") }
    }

    func run() throws {
        try reportingFailures {
            let lookup = OpenDataPipeline.AsOf(output: URL(fileURLWithPath: output))
            var name = dataset
            if name == nil {
                let all = lookup.datasets()
                guard all.count == 1 else {
                    throw PipelineFailure.notPublished(
                        "PIPELINE/DATASET", reason: "is needed: the releases have \(all.count) datasets (\(all.joined(separator: ", ")))")
                }
                name = all[0]
            }
            let parts = (name ?? "").split(separator: "/").map(String.init)
            let result = try lookup.csv(pipeline: parts[0], dataset: parts[1], at: ReleaseClock.parse(time)!)
            if let file {
                guard FileManager.default.createFile(atPath: file, contents: Data(result.bytes)) else {
                    throw PipelineFailure.cannotPublish(path: file, reason: "cannot write the file")
                }
            } else {
                FileHandle.standardOutput.write(Data(result.bytes))
            }
            switch result.origin {
            case let .release(id): standardError("from release \(id)")
            case let .vintages(id): standardError("rebuilt from the vintages of release \(id) (the release of that time is no longer kept)")
            }
        }
    }
}
