import Foundation
import OpenDataPipeline

/// The closing summary of a run, for stdout.
struct RunSummary {
    let report: RunReport
    let output: String
    let dryRun: Bool

    var text: String {
        var lines: [String] = []
        let time = String(format: "%.2f s", report.seconds)
        if report.unchanged {
            lines.append(Terminal.paint("unchanged", "1") + ": the current release already holds this content; nothing was published (\(time))")
        } else if let held = report.held, !dryRun {
            lines.append(
                Terminal.paint("held", "33")
                    + " release \(held.id) until \(held.releaseAt) (`opendata release-due` publishes it then; "
                    + "`opendata serve --embargoed` shows it) (\(time))")
            for replaced in report.replacedHeld { lines.append("  replaced the held release \(replaced)") }
        } else if dryRun {
            lines.append("dry run: release \(report.releaseID ?? "") would be published; nothing was written (\(time))")
        } else {
            lines.append(
                Terminal.paint("published", "32")
                    + " release \(report.releaseID ?? "") in \(output)/\(ReleaseLayout.release(report.releaseID ?? "")) (\(time))")
        }
        for dataset in report.datasets {
            var line = "  \(dataset.pipeline)/\(dataset.dataset): \(dataset.rows) rows, \(dataset.change.rawValue)"
            if let revision = dataset.revision {
                line += " (\(revision.addedCount) added, \(revision.revisedCount) values revised, \(revision.removedCount) removed)"
            }
            lines.append(line)
            if dryRun, let revision = dataset.revision {
                for value in revision.revised.prefix(20) {
                    lines.append(
                        Terminal.safe("      \(value.key.joined(separator: ", ")) \(value.field): \(value.old ?? "") → \(value.new ?? "")"))
                }
            }
        }
        for skipped in report.skipped { lines.append("  \(skipped): inputs unchanged, skipped") }
        for carried in report.carriedForward where !report.skipped.contains(carried) {
            lines.append("  \(carried): carried forward unchanged")
        }
        if !report.feedEntries.isEmpty {
            lines.append(dryRun ? "feed items that would be added:" : "feed items added:")
            for entry in report.feedEntries {
                lines.append(Terminal.safe("  \(entry.title["en"] ?? ""): \(entry.summary["en"] ?? "")"))
            }
        }
        if dryRun, !report.changedFiles.isEmpty {
            lines.append("files that would change:")
            lines += report.changedFiles.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
