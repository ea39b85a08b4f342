import ArgumentParser

@main
struct OpenData: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opendata",
        abstract: "Publish internal statistics as open data: CSV, JSON, RSS and a Data Package.",
        discussion: """
            Exit codes: 0 success, 64 bad arguments, 65 invalid data, 66 unreadable source, \
            73 cannot publish, 75 another run holds the lock, 78 invalid pipeline definition. \
            Shell completion: opendata --generate-completion-script bash|zsh|fish.
            """,
        subcommands: [Run.self, Validate.self, List.self, Inspect.self, Releases.self, Rollback.self, Serve.self]
    )
}
