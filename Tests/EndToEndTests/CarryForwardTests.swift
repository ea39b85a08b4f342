import Foundation
import Testing

/// A release costs what changed: the files of a pipeline that did not change
/// enter the new release as hard links to the previous one (or as verified
/// copies where the file system refuses a link), survive the pruning of that
/// release, and are verified like any file.
@Suite("Carry forward, end to end")
struct CarryForwardTests {
    private static let indicators = "Pipelines/vietnam-digital-government/digital-indicators-2018.csv"
    /// Files of the pipeline that does not change, its pages included.
    private static let carried = [
        "vietnam-provinces/datapackage.json", "vietnam-provinces/index.html", "vietnam-provinces/index.en.html",
        "vietnam-provinces/feed.rss",
    ]

    private func inode(_ url: URL) throws -> UInt64 {
        try #require((try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? NSNumber)?.uint64Value)
    }

    private func current(_ workspace: Workspace) throws -> URL {
        workspace.file("Output/" + (try FileManager.default.destinationOfSymbolicLink(atPath: workspace.file("Output/current").path)))
    }

    /// A workspace with one release, and the digital-government pipeline's source changed.
    private func published() throws -> (Workspace, first: URL) {
        let workspace = try Workspace()
        let first = try opendata(["run", "-q", "--now", "1537236000"], in: workspace.url)
        #expect(first.status == 0, "\(first.stderr)")
        try workspace.edit(Self.indicators, replacing: ";52 triệu;", with: ";53 triệu;")
        return (workspace, try current(workspace))
    }

    @Test func unchangedFilesAreHardLinksThatSurviveThePruningOfTheirFirstRelease() throws {
        let (workspace, first) = try published()
        var before: [String: (inode: UInt64, bytes: Data)] = [:]
        for path in Self.carried + ["vietnam-provinces/data/provinces-csv-tcvn3.csv"]
        where FileManager.default.fileExists(atPath: first.appendingPathComponent(path).path) {
            before[path] = (try inode(first.appendingPathComponent(path)), try Data(contentsOf: first.appendingPathComponent(path)))
        }
        #expect(before.count >= Self.carried.count)
        let changed = "vietnam-digital-government/data/vietnam-internet-2018.csv"
        let changedInode = try inode(first.appendingPathComponent(changed))
        let second = try opendata(["run", "-q", "--now", "1537322400", "--keep", "1"], in: workspace.url)
        #expect(second.status == 0, "\(second.stderr)")
        let release = try current(workspace)
        #expect(release != first)
        // The first release is pruned; its inodes live on in the second.
        #expect(!FileManager.default.fileExists(atPath: first.path))
        for (path, old) in before {
            let url = release.appendingPathComponent(path)
            #expect(try inode(url) == old.inode, "\(path) is not the first release's file")
            #expect(try Data(contentsOf: url) == old.bytes, "\(path)")
        }
        #expect(try inode(release.appendingPathComponent(changed)) != changedInode)
        #expect(try String(contentsOf: release.appendingPathComponent(changed), encoding: .utf8).contains(",53000000,"))
        let verify = try opendata(["verify"], in: workspace.url)
        #expect(verify.status == 0, "\(verify.stderr)")
        // A linked file damaged in place is found by verify, like a copied one.
        let damaged = release.appendingPathComponent("vietnam-provinces/datapackage.json")
        let handle = try FileHandle(forWritingTo: damaged)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(" ".utf8))
        try handle.close()
        let check = try opendata(["verify"], in: workspace.url)
        #expect(check.status == 74, "\(check.stdout)\(check.stderr)")
        #expect((check.stdout + check.stderr).contains("vietnam-provinces/datapackage.json"), "\(check.stdout)\(check.stderr)")
    }

    @Test func whereLinkingIsRefusedTheFilesAreCopiedVerifiedAndTheLogSaysSoOnce() throws {
        let (workspace, first) = try published()
        // The fault point refuses every link as across devices (EXDEV).
        let second = try opendata(["run", "--now", "1537322400"], in: workspace.url, environment: ["OPENDATA_FAULT_FAIL_AT": "link"])
        #expect(second.status == 0, "\(second.stderr)")
        let notice = "files carried forward are copied, not hard-linked: the file system refused a link: "
        let log = second.stdout + second.stderr
        #expect(log.components(separatedBy: notice).count == 2, "\(log)")
        #expect(log.lowercased().contains("cross-device link (linking "), "\(log)")
        let release = try current(workspace)
        for path in Self.carried {
            #expect(try inode(release.appendingPathComponent(path)) != inode(first.appendingPathComponent(path)), "\(path)")
            #expect(try Data(contentsOf: release.appendingPathComponent(path)) == Data(contentsOf: first.appendingPathComponent(path)))
        }
        let verify = try opendata(["verify"], in: workspace.url)
        #expect(verify.status == 0, "\(verify.stderr)")
    }
}
