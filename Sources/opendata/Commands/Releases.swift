import ArgumentParser
import Foundation
import OpenDataPipeline

struct Releases: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the releases of the output folder, oldest first.")

    @Option(help: "The publication root.")
    var output = "Output"

    func run() throws {
        let store = ReleaseStore(root: URL(fileURLWithPath: output))
        for release in store.releases() {
            let pipelines = release.manifest.map { $0.pipelines.keys.sorted().joined(separator: ", ") } ?? "(no manifest)"
            print("\(release.isCurrent ? "*" : " ") \(release.id)  \(release.manifest?.created ?? "")  \(pipelines)")
        }
    }
}

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Switch `current` back to an earlier release (default: the one before current), atomically.")

    @Argument(help: "The release id to make current.")
    var release: String?

    @Option(help: "The publication root.")
    var output = "Output"

    @Option(help: "Wait up to this many seconds for a running publication to finish.")
    var wait: Double = 0

    func run() throws {
        try reportingFailures {
            let store = ReleaseStore(root: URL(fileURLWithPath: output))
            let target = try store.rollback(to: release, waitSeconds: wait)
            print("current is now release \(target)")
        }
    }
}
