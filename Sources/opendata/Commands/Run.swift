import ArgumentParser
import Foundation
import OpenDataPipeline

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish pipelines as a new release of the output folder.",
        discussion: """
            With no pipeline named, runs every pipeline file in the pipelines folder. \
            Everything is written to a staging folder first; `current` switches to the \
            new release only when every dataset succeeded. When the content would equal \
            the current release, nothing is published and the run says "unchanged" \
            (exit 0). SOURCE_DATE_EPOCH, like --now, fixes the release time, so two runs \
            on the same inputs give byte-identical releases.
            """)

    @Argument(help: "Pipeline files or ids (default: every pipeline in the pipelines folder).")
    var pipeline: [String] = []

    @Option(help: "The publication root.")
    var output = "Output"

    @Flag(help: "Show what would change (files, feed items, revised values) and publish nothing.")
    var dryRun = false

    @Option(help: "Wait up to this many seconds for another run to finish instead of exiting with 75.")
    var wait: Double = 0

    @Option(help: "Keep at most this many releases, removing the oldest (never the current one).")
    var keep: Int?

    @Option(help: "The release time, as ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970.")
    var now: String?

    @Option(
        help: ArgumentHelp(
            "Prepare the release now and hold it until this time (ISO 8601); `opendata release-due` publishes it then.",
            discussion: "The release time is this time: its feeds, dates and manifest carry it. Not with --now."))
    var releaseAt: String?

    @Flag(help: "With --release-at: replace the held release of the same pipelines.")
    var replace = false

    @Flag(help: "Publish even when the release time is earlier than the current release's (a clock set back on purpose).")
    var allowEarlierTime = false

    @Option(help: "A note on the release, stored in release.json and changes.json and shown on its pages and feed items.")
    var note: String?

    @Flag(help: "The release corrects an error: its feed items are titled \"Correction\" (\"Đính chính\").")
    var correction = false

    @Option(help: "How many issues the report lists when validation finds any; all are counted.")
    var maxIssues = ValidationCollector.defaultMaximumIssues

    @OptionGroup var options: CommonOptions

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
        if wait < 0 { throw ValidationError("--wait must not be negative") }
        if let releaseAt {
            if now != nil { throw ValidationError("--release-at is the release time: give --now or --release-at, not both") }
            if ReleaseClock.parse(releaseAt) == nil {
                throw ValidationError("--release-at must be ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970")
            }
        }
        if replace, releaseAt == nil { throw ValidationError("--replace replaces a held release: it needs --release-at") }
        if let now, ReleaseClock.parse(now) == nil {
            throw ValidationError("--now must be ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970")
        }
        if let note, let problem = ReleaseWording.problem(note: note) { throw ValidationError("--note: \(problem)") }
    }

    var runOptions: RunOptions {
        var options = RunOptions(dryRun: dryRun, waitSeconds: wait, keep: keep, allowEarlierTime: allowEarlierTime)
        options.embargo = releaseAt != nil
        options.replaceHeld = replace
        options.note = note  // normalized by the runner
        options.correction = correction
        return options
    }

    func run() throws {
        Interruption.install()
        try reportingFailures(logFormat: options.logFormat) {
            let pipelines = try options.loadPipelines(pipeline)
            guard let date = ReleaseClock.releaseTime(option: releaseAt ?? now) else {
                throw ValidationError("SOURCE_DATE_EPOCH must be seconds since 1970")
            }
            var runner = PipelineRunner(output: URL(fileURLWithPath: output), logger: options.makeLogger(), now: { date })
            runner.maximumIssues = maxIssues
            let progress = ProgressLine()
            if Terminal.interactive, !options.quiet { runner.progress = { progress.update($0) } }
            defer { progress.finish() }
            let report = try runner.run(
                pipelines, options: runOptions)
            progress.finish()
            if let validation = report.validation, !validation.issues.isEmpty {
                FileHandle.standardError.write(Data(Terminal.safe(validation.text).utf8))
            }
            if !options.quiet { print(RunSummary(report: report, output: output, dryRun: dryRun).text) }
            if report.unchanged, note != nil || correction {
                standardError("warning: nothing changed, so no release was published: --note and --correction were not stored")
            }
            if !report.housekeepingWarnings.isEmpty {
                for warning in report.housekeepingWarnings {
                    standardError("warning: release \(report.releaseID ?? "") is published and current, but \(warning)")
                }
                throw ExitCode(79)
            }
        }
    }
}
