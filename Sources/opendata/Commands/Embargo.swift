import ArgumentParser
import Foundation
import OpenDataPipeline

struct ReleaseDue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release-due",
        abstract: "Publish the held releases whose time has come (for a cron line every minute).",
        discussion: """
            Each held release due (its time at or before now) is checked against its release.json, \
            then renamed into releases/ and made current, under the run lock. Without a release due \
            it prints nothing and exits 0 without taking the lock. A held release that does not \
            verify is refused (83), as is one prepared on a release that is no longer current (85); \
            both stay held.
            """)

    @Option(help: "The publication root.")
    var output = "Output"

    @Option(help: "The time to compare with (ISO 8601 or seconds since 1970; default: the clock).")
    var now: String?

    @Option(help: "Wait up to this many seconds for a running publication to finish instead of exiting with 75.")
    var wait: Double = 50

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    func validate() throws {
        if let now, ReleaseClock.parse(now) == nil {
            throw ValidationError("--now must be ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970")
        }
    }

    func run() throws {
        try reportingFailures {
            let date = now.flatMap(ReleaseClock.parse) ?? Date()
            let outcome = try HeldReleaseStore(root: URL(fileURLWithPath: output)).releaseDue(now: date, waitSeconds: wait)
            if !quiet {
                for id in outcome.published { print("published held release \(id) in \(output)/\(ReleaseLayout.release(id))") }
            }
            for warning in outcome.warnings { standardError("warning: the held release is published and current, but \(warning)") }
            if !outcome.warnings.isEmpty { throw ExitCode(79) }
        }
    }
}

struct Held: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the held (embargoed) releases, checking each against its release.json.",
        discussion: """
            One line a held release: its id, when it is due, the pipelines it publishes, the release \
            it was prepared on, and DUE, STALE (prepared on a release that is no longer current) or \
            DAMAGED (then the problems go to standard error and the status is 83).
            """)

    @Option(help: "The publication root.")
    var output = "Output"

    func run() throws {
        let root = URL(fileURLWithPath: output)
        let store = HeldReleaseStore(root: root)
        let current = ReleaseStore(root: root).currentID
        var damaged = false
        for held in store.held() {
            let problems = store.problems(held)
            var states: [String] = []
            if held.isDue(at: Date()) { states.append("DUE") }
            if held.baseRelease != current { states.append("STALE (current is \(current ?? "none"))") }
            if !problems.isEmpty { states.append("DAMAGED (\(problems.count) problem\(problems.count == 1 ? "" : "s"))") }
            print(
                "\(held.id)  due \(held.releaseAt)  \(held.pipelines.joined(separator: ", "))  on \(held.baseRelease ?? "none")"
                    + "  prepared \(held.preparedAt)\(states.isEmpty ? "" : "  " + states.joined(separator: " "))")
            for problem in problems { standardError("  \(held.id): \(problem)") }
            damaged = damaged || !problems.isEmpty
        }
        if damaged { throw ExitCode(83) }
    }
}

struct CancelHeld: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel-held", abstract: "Delete a held release before its time: it is never published.")

    @Argument(help: "The held release's id (or its token).")
    var release: String

    @Option(help: "The publication root.")
    var output = "Output"

    @Option(help: "Wait up to this many seconds for a running publication to finish.")
    var wait: Double = 0

    func run() throws {
        try reportingFailures {
            let held = try HeldReleaseStore(root: URL(fileURLWithPath: output)).cancel(release, waitSeconds: wait)
            print("cancelled the held release \(held.id) (was due \(held.releaseAt))")
        }
    }
}
