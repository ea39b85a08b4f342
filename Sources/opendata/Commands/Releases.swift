import ArgumentParser
import Foundation
import OpenDataPipeline

struct Releases: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the complete releases of the output folder in publication order, checking each.",
        discussion: """
            `*` marks the current release. Every release is checked against its release.json \
            as `opendata verify` does; a damaged one is marked DAMAGED, its problems go to \
            standard error and the status is 74.
            """)

    @Option(help: "The publication root.")
    var output = "Output"

    func run() throws {
        let store = ReleaseStore(root: URL(fileURLWithPath: output))
        var damaged = false
        var listed: Set<String> = []
        for release in store.releases() {
            listed.insert(release.id)
            let problems = (try? store.verify(release.id).problems) ?? []
            let pipelines = release.manifest.pipelines.keys.sorted().joined(separator: ", ")
            let state = problems.isEmpty ? "" : "  DAMAGED (\(problems.count) problem\(problems.count == 1 ? "" : "s"))"
            print("\(release.isCurrent ? "*" : " ") \(release.id)  #\(release.sequence)  \(release.manifest.created)  \(pipelines)\(state)")
            for problem in problems { standardError("  \(ReleaseLayout.release(release.id)): \(problem)") }
            damaged = damaged || !problems.isEmpty
        }
        for folder in store.incompleteFolders() {
            standardError("warning: \(ReleaseLayout.release(folder)) is not a complete release (no matching completion marker); not listed")
        }
        if let current = try? store.verify(nil), current.problems.isEmpty == false, !listed.contains(current.id) {
            for problem in current.problems { standardError("  \(problem)") }
            damaged = true
        }
        if damaged { throw ExitCode(74) }
    }
}

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Switch `current` back to an earlier release (default: the one before current), atomically.",
        discussion: """
            The release must be a complete release of the output folder that verifies; \
            anything else (an empty id, '.', '..', a half-deleted or damaged release) exits \
            with 64 and lists the valid ids.
            """)

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

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a release (default: the current one) file by file against its release.json.",
        discussion: """
            Every file release.json lists must be there with its size and SHA-256, no other \
            file may be there, SHA256SUMS must match the list, the completion marker must \
            match release.json, and every file a datapackage.json names must be in the \
            release. Exits 0 when the release verifies; 74 when it does not, with each \
            problem on its own line on standard error; 64 when RELEASE is not the id of a \
            release in the output folder.
            """)

    @Argument(help: "The release id to check (default: the current release).")
    var release: String?

    @Option(help: "The publication root.")
    var output = "Output"

    func run() throws {
        try reportingFailures {
            let store = ReleaseStore(root: URL(fileURLWithPath: output))
            let result = try store.verify(release)
            guard result.problems.isEmpty else { throw PipelineFailure.damagedRelease(result.id, problems: result.problems) }
            print("release \(result.id) verifies: \(result.files) files match release.json")
        }
    }
}
