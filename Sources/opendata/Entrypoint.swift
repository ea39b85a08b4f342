import ArgumentParser

@main
struct OpenData: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opendata",
        abstract: "Publish internal statistics as open data: CSV, JSON, RSS and a Data Package.",
        discussion: """
            Exit codes: 0 success, 64 bad arguments (or not a valid release), 65 invalid data, \
            66 unreadable source, 73 cannot publish, 74 a release is damaged, 75 another run \
            holds the lock, 78 invalid pipeline definition, 79 published but housekeeping \
            failed, 80 a release of the calendar is overdue (`calendar --check`), 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM. \
            Shell completion: opendata --generate-completion-script bash|zsh|fish.
            """,
        subcommands: [
            Run.self, Validate.self, List.self, Inspect.self, Releases.self, Rollback.self, Verify.self, Serve.self, CalendarCommand.self,
            ReleaseDue.self, Held.self, CancelHeld.self, AsOf.self,
        ]
    )
}
