import ArgumentParser
import Foundation
import OpenDataPipeline

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "List the published release calendar; with --check, report the releases that are overdue.",
        discussion: """
            Reads calendar.json of the current release. An entry is overdue when its time \
            (the new time of a postponed one) has come, it is not cancelled, and no release \
            has published its datasets since. With --check, prints one line per overdue entry \
            and exits 80 when there is one, 0 (and prints nothing) when there is none; 64 when \
            the output folder has no current release. For a cron line every few minutes.
            """)

    @Option(help: "The publication root.")
    var output = "Output"

    @Flag(help: "Print only the overdue entries, and exit 80 when there is one.")
    var check = false

    @Option(help: "The time to check at, as ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970 (default: the clock).")
    var now: String?

    func validate() throws {
        if let now, ReleaseClock.parse(now) == nil {
            throw ValidationError("--now must be ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970")
        }
    }

    func run() throws {
        try reportingFailures {
            guard let date = ReleaseClock.releaseTime(option: now) else {
                throw ValidationError("SOURCE_DATE_EPOCH must be seconds since 1970")
            }
            let entries = try ReleaseCalendarCheck.entries(output: URL(fileURLWithPath: output), at: date)
            for entry in entries where !check || entry.overdue {
                let datasets = entry.datasets.joined(separator: ", ")
                let state =
                    entry.overdue ? "OVERDUE: not released" : entry.release.map { "released in \($0)" } ?? entry.status
                print(Terminal.safe("\(entry.pipeline)/\(entry.id)  due \(entry.due)  \(state)  (\(datasets))"))
            }
            if check, entries.contains(where: \.overdue) { throw ExitCode(80) }
        }
    }
}
