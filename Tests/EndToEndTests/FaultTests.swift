import Crypto
import Foundation
import Testing

/// Publication under faults: killed at any point, a full disk, a read-only
/// output folder. After each, `current` is a complete, valid release, nothing
/// half-written is reachable under it, no published byte of the previous
/// release changed, and the next run cleans up and succeeds.
@Suite("Faults, end to end")
struct FaultTests {
    private static let indicators = "Pipelines/vietnam-digital-government/digital-indicators-2018.csv"

    /// A workspace with one release published, and a changed source waiting to be published.
    private func workspaceWithPendingChange() throws -> (Workspace, previous: [String: Data], previousID: String) {
        let workspace = try Workspace()
        let first = try opendata(["run", "-q", "--now", "1537236000"], in: workspace.url)
        #expect(first.status == 0, "\(first.stderr)")
        try workspace.edit(Self.indicators, replacing: ";52 triệu;", with: ";53 triệu;")
        let id = try FileManager.default.destinationOfSymbolicLink(atPath: workspace.file("Output/current").path)
        return (workspace, workspace.snapshot(of: workspace.file("Output/\(id)")), id)
    }

    /// `current` resolves to a complete release whose every file matches its SHA256SUMS.
    private func expectCompleteCurrentRelease(_ workspace: Workspace) throws {
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: workspace.file("Output/current").path)
        #expect(!target.hasSuffix(".partial"))
        let release = workspace.file("Output/\(target)")
        let sums = try String(contentsOf: release.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        var checked = 0
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            let path = String(parts[1].dropFirst())
            let data = try Data(contentsOf: release.appendingPathComponent(path))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            #expect(digest == String(parts[0]), "\(path) does not match SHA256SUMS")
            checked += 1
        }
        #expect(checked > 10)
        #expect(FileManager.default.fileExists(atPath: release.appendingPathComponent("release.json").path))
    }

    private func expectRecovery(_ workspace: Workspace) throws {
        let next = try opendata(["run", "-q"], in: workspace.url)
        #expect(next.status == 0, "\(next.stderr)")
        try expectCompleteCurrentRelease(workspace)
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.file("Output/releases").path)
        #expect(!names.contains { $0.hasSuffix(".partial") })
        // The pending change (53 million internet users instead of 52) is published.
        let internet = try workspace.read("Output/current/vietnam-digital-government/data/vietnam-internet-2018.csv")
        #expect(internet.contains(",53000000,"))
    }

    @Test(arguments: [
        "staging-created", "file#1", "file#9", "file#40", "link#1", "link#12", "pipelines-written", "release-written",
        "before-rename", "before-switch", "after-switch",
    ])
    func aRunKilledAtAnyPointLeavesACompleteCurrentRelease(checkpoint: String) throws {
        let (workspace, previous, previousID) = try workspaceWithPendingChange()
        let killed = try opendata(["run", "-q"], in: workspace.url, environment: ["OPENDATA_FAULT_KILL_AT": checkpoint])
        #expect(killed.status == 9, "the run was not killed at \(checkpoint)")
        try expectCompleteCurrentRelease(workspace)
        #expect(workspace.snapshot(of: workspace.file("Output/\(previousID)")) == previous)
        try expectRecovery(workspace)
        #expect(workspace.snapshot(of: workspace.file("Output/\(previousID)")) == previous)
    }

    @Test func aFullDiskFailsTheRunWithStatus73AndChangesNothing() throws {
        let (workspace, _, _) = try workspaceWithPendingChange()
        let before = workspace.snapshotOfOutput()
        // A file-size limit of 8 KiB with SIGXFSZ ignored: writes beyond it fail with EFBIG.
        let script = "ulimit -f 8; trap '' XFSZ; exec \"$0\" run -q"
        let result = try run(URL(fileURLWithPath: "/bin/bash"), ["-c", script, opendataExecutable.path], in: workspace.url)
        #expect(result.status == 73, "\(result.stderr)")
        #expect(result.stderr.contains("error: cannot publish"))
        #expect(workspace.snapshotOfOutput() == before)
        try expectRecovery(workspace)
    }

    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs setpriv (util-linux)"),
        .enabled(if: getuid() == 0, "needs root: it runs the tool as nobody (setpriv --reuid) against folders nobody cannot write"))
    func aReadOnlyOutputFolderFailsTheRunWithStatus73AndChangesNothing() throws {
        let (workspace, _, _) = try workspaceWithPendingChange()
        let before = workspace.snapshotOfOutput()
        // Root ignores permissions, so run as nobody against root's 755 folders.
        let result = try run(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", opendataExecutable.path, "run", "-q"], in: workspace.url)
        #expect(result.status == 73, "\(result.stderr)")
        #expect(workspace.snapshotOfOutput() == before)
        try expectRecovery(workspace)
    }
}
