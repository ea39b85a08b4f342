import Foundation
import Testing

private let rsyncPresent = FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync")

/// Scripts/publish-rsync: the release folder copied whole, then the pointer replaced.
@Suite("Serving a release with rsync", .enabled(if: rsyncPresent, "rsync is not installed (Debian: apt-get install rsync)"))
struct PublishRsyncTests {
    @Test func theTargetServesTheCurrentReleaseAndSwitchesOnlyAfterTheCopy() throws {
        let workspace = try Workspace()
        let target = workspace.file("served")
        let script = repositoryRoot.appendingPathComponent("Scripts/publish-rsync")
        #expect(try opendata(["run", "-q", "--now", "2018-09-18T09:00:00+07:00"], in: workspace.url).status == 0)
        let first = try FileManager.default.destinationOfSymbolicLink(atPath: workspace.file("Output/current").path)
        let copied = try run(script, ["Output", target.path], in: workspace.url)
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target.appendingPathComponent("current").path) == first)
        #expect(workspace.snapshot(of: target.appendingPathComponent("current/")) == workspace.snapshot(of: workspace.file("Output/current/")))
        // A new release: copied beside the first, then the pointer moves to it.
        try workspace.edit(
            "Pipelines/vietnam-digital-government.yml", replacing: "illustrative sample data;", with: "illustrative sample data (revised);")
        #expect(try opendata(["run", "-q", "--now", "2018-09-19T09:00:00+07:00"], in: workspace.url).status == 0)
        let second = try FileManager.default.destinationOfSymbolicLink(atPath: workspace.file("Output/current").path)
        #expect(second != first)
        #expect(try run(script, ["Output", target.path], in: workspace.url).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target.appendingPathComponent("current").path) == second)
        #expect(workspace.snapshot(of: target.appendingPathComponent("current/")) == workspace.snapshot(of: workspace.file("Output/current/")))
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent(first).path))
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent(".current.tmp").path))
    }
}
