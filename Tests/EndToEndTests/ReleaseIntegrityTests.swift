import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What can go wrong around a publication: a bad rollback target, a run
/// killed while pruning or between writing and switching, a failure after
/// the switch, a deleted lock, a clock going backwards, files edited in
/// `current`, signals, host paths, and the release URLs.
@Suite("Release integrity, end to end")
struct ReleaseIntegrityTests {
    private static let indicators = "Pipelines/vietnam-digital-government/digital-indicators-2018.csv"
    private static let internetCSV = "vietnam-digital-government/data/vietnam-internet-2018.csv"
    private static let september18 = "1537236000"
    private static let september19 = "1537322400"
    private static let september20 = "1537408800"

    private func current(_ workspace: Workspace) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: workspace.file("Output/current").path)
    }

    private func releaseFolders(_ workspace: Workspace) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: workspace.file("Output/releases").path).sorted()
    }

    /// Sets the internet users of the example to `millions` (52 in the shipped file).
    private func setInternetUsers(_ workspace: Workspace, to millions: Int) throws {
        let text = try workspace.read(Self.indicators)
        let edited = text.replacingOccurrences(of: #";5\d triệu;"#, with: ";\(millions) triệu;", options: .regularExpression)
        #expect(edited != text || text.contains(";\(millions) triệu;"))
        try edited.write(to: workspace.file(Self.indicators), atomically: true, encoding: .utf8)
    }

    /// Releases on 18, 19 and 20 September with 52, 53 and 54 million internet users (or fewer).
    private func workspace(releases count: Int) throws -> Workspace {
        let workspace = try Workspace()
        for (index, time) in [Self.september18, Self.september19, Self.september20].prefix(count).enumerated() {
            try setInternetUsers(workspace, to: 52 + index)
            let result = try opendata(["run", "-q", "--now", time], in: workspace.url)
            #expect(result.status == 0, "\(result.stderr)")
        }
        return workspace
    }

    // MARK: 1. rollback accepts only a complete release that verifies

    @Test func rollbackRefusesAnythingButACompleteReleaseThatVerifiesWithStatus64() throws {
        let workspace = try workspace(releases: 2)
        let before = workspace.snapshotOfOutput()
        for target in [
            "", ".", "..", "releases", "../releases/20180918T020000Z", "20180918T020000Z/..", "20180918T020000Z.partial",
            "20180917T020000Z", "current", "/tmp",
        ] {
            let result = try opendata(["rollback", target], in: workspace.url)
            #expect(result.status == 64, "rollback '\(target)': \(result.stderr)")
            #expect(result.stderr.contains("valid release ids: 20180918T020000Z, 20180919T020000Z"), "\(result.stderr)")
            #expect(workspace.snapshotOfOutput() == before, "rollback '\(target)' changed the output")
        }
        // A release half deleted (as a pruning killed with the old store left one), marker and all but some files.
        let half = workspace.file("Output/releases/20180918T020000Z")
        try FileManager.default.removeItem(at: half.appendingPathComponent("vietnam-digital-government/data"))
        let result = try opendata(["rollback", "20180918T020000Z"], in: workspace.url)
        #expect(result.status == 64)
        #expect(result.stderr.contains("'20180918T020000Z' does not verify (vietnam-digital-government/"), "\(result.stderr)")
        #expect(result.stderr.contains(": missing"))
        #expect(result.stderr.hasSuffix("valid release ids: 20180919T020000Z\n"), "\(result.stderr)")
        #expect(try current(workspace) == "releases/20180919T020000Z")
        // A plain rollback to that damaged release is refused the same way; a good one works.
        #expect(try opendata(["rollback"], in: workspace.url).status == 64)
        let good = try opendata(["rollback", "20180919T020000Z"], in: workspace.url)
        #expect(good.status == 0)
        #expect(good.stdout == "current is now release 20180919T020000Z\n")
    }

    @Test func aRunAfterARollbackToTheReleasesFolderWouldNotCopyStrayFolders() throws {
        // The old failure: `current -> releases` made the next run copy every folder, its staging folder too.
        let workspace = try workspace(releases: 1)
        unlink(workspace.file("Output/current").path)
        #expect(symlink("releases", workspace.file("Output/current").path) == 0)
        let before = workspace.snapshotOfOutput()
        let result = try opendata(["run", "-q"], in: workspace.url)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("'current' points at 'releases', which is not a complete release"), "\(result.stderr)")
        #expect(workspace.snapshotOfOutput() == before)
        #expect(try opendata(["rollback", "20180918T020000Z"], in: workspace.url).status == 0)
        #expect(try opendata(["run", "-q"], in: workspace.url).status == 0)
    }

    // MARK: 2. a release is listed only when it is whole

    @Test(arguments: ["prune#2", "prune-renamed#1", "trash-file#1", "trash-file#150"])
    func aRunKilledWhilePruningNeverLeavesAHalfDeletedReleaseInTheList(checkpoint: String) throws {
        let workspace = try workspace(releases: 2)
        try setInternetUsers(workspace, to: 54)
        let killed = try opendata(
            ["run", "-q", "--now", Self.september20, "--keep", "1"], in: workspace.url, environment: ["OPENDATA_FAULT_KILL_AT": checkpoint])
        #expect(killed.status == 9, "not killed at \(checkpoint): \(killed.stderr)")
        #expect(try current(workspace) == "releases/20180920T020000Z")
        let listed = try opendata(["releases"], in: workspace.url)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(!listed.stderr.contains("not a complete release"), "\(listed.stderr)")
        // Every release listed verifies; the one being pruned is either whole or not listed at all.
        let ids = listed.stdout.split(separator: "\n").map { $0.dropFirst(2).prefix(while: { $0 != " " }) }.map(String.init)
        #expect(ids.last == "20180920T020000Z")
        for id in ids {
            let verify = try opendata(["verify", id], in: workspace.url)
            #expect(verify.status == 0, "\(id): \(verify.stderr)")
        }
        if !ids.contains("20180918T020000Z") {
            #expect(try opendata(["rollback", "20180918T020000Z"], in: workspace.url).status == 64)
        }
        // The next run finishes deleting what the killed one had moved to the trash, and says so.
        let next = try opendata(["run", "--keep", "1"], in: workspace.url)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.file("Output/.trash").path))
        if checkpoint != "prune#2" {
            #expect(next.stderr.contains("finished deleting the releases an interrupted pruning had moved to .trash"), "\(next.stderr)")
        }
    }

    @Test func aReleaseWrittenButNeverSwitchedToIsRemovedByTheNextRunThatSaysSo() throws {
        let workspace = try workspace(releases: 1)
        try setInternetUsers(workspace, to: 53)
        let killed = try opendata(
            ["run", "-q", "--now", Self.september19], in: workspace.url, environment: ["OPENDATA_FAULT_KILL_AT": "before-switch"])
        #expect(killed.status == 9)
        #expect(try releaseFolders(workspace) == ["20180918T020000Z", "20180919T020000Z"])
        #expect(try current(workspace) == "releases/20180918T020000Z")
        try setInternetUsers(workspace, to: 54)
        let next = try opendata(["run", "--now", Self.september20], in: workspace.url)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("removed orphan release 20180919T020000Z (complete, never current, older than current)"), "\(next.stderr)")
        #expect(try releaseFolders(workspace) == ["20180918T020000Z", "20180920T020000Z"])
    }

    @Test func aFailureAtTheSwitchLeavesNoReleaseBehind() throws {
        // As when the disk has no inode left for the new link: the release written is removed.
        let workspace = try workspace(releases: 1)
        try setInternetUsers(workspace, to: 53)
        let before = workspace.snapshotOfOutput()
        let failed = try opendata(["run", "-q"], in: workspace.url, environment: ["OPENDATA_FAULT_FAIL_AT": "before-switch"])
        #expect(failed.status == 73)
        #expect(failed.stderr.contains("error: cannot publish to before-switch: injected failure"), "\(failed.stderr)")
        #expect(workspace.snapshotOfOutput() == before)
    }

    @Test func aReleaseOfAnEarlierVersionIsAdoptedOnlyWhenItVerifies() throws {
        let workspace = try workspace(releases: 2)
        // As version 0.2 left them: no completion marker, no sequence, no .published.
        for id in ["20180918T020000Z", "20180919T020000Z"] {
            let folder = workspace.file("Output/releases/\(id)")
            try FileManager.default.removeItem(at: folder.appendingPathComponent(".complete"))
            var manifest = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("release.json"))) as? [String: Any])
            manifest["sequence"] = nil
            try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]).write(to: folder.appendingPathComponent("release.json"))
        }
        try FileManager.default.removeItem(at: workspace.file("Output/.published"))
        try FileManager.default.removeItem(at: workspace.file("Output/releases/20180918T020000Z/vietnam-provinces/datapackage.json"))
        let run = try opendata(["run"], in: workspace.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("release 20180919T020000Z, written by an earlier version, verifies: completion marker added"))
        #expect(!run.stderr.contains("release 20180918T020000Z, written"))
        let listed = try opendata(["releases"], in: workspace.url)
        #expect(listed.status == 0)
        #expect(listed.stdout.hasPrefix("* 20180919T020000Z  #0  "), "\(listed.stdout)")
        #expect(listed.stdout.split(separator: "\n").count == 1)
        #expect(listed.stderr.contains("warning: releases/20180918T020000Z is not a complete release (no matching completion marker); not listed"))
        #expect(try opendata(["rollback", "20180918T020000Z"], in: workspace.url).status == 64)
        // The next release follows it in sequence.
        try setInternetUsers(workspace, to: 60)
        #expect(try opendata(["run", "-q", "--now", Self.september20], in: workspace.url).status == 0)
        #expect(try opendata(["rollback"], in: workspace.url).stdout == "current is now release 20180919T020000Z\n")
    }

    // MARK: 4. a failure after the switch is a warning, not "nothing was published"

    @Test(arguments: [("after-switch", "housekeeping"), ("prune", "pruning old releases")])
    func aFailureAfterTheSwitchReportsThePublishedReleaseAndExits79(checkpoint: String, step: String) throws {
        let workspace = try workspace(releases: 1)
        try setInternetUsers(workspace, to: 53)
        let result = try opendata(
            ["run", "--now", Self.september19, "--keep", "1"], in: workspace.url, environment: ["OPENDATA_FAULT_FAIL_AT": checkpoint])
        #expect(result.status == 79, "\(result.stderr)")
        #expect(result.stdout.contains("published release 20180919T020000Z"), "\(result.stdout)")
        #expect(result.stderr.contains("warning: release 20180919T020000Z is published and current, but \(step): "), "\(result.stderr)")
        #expect(!result.stderr.contains("nothing was published"))
        #expect(try current(workspace) == "releases/20180919T020000Z")
        #expect(try workspace.read("Output/current/\(Self.internetCSV)").contains(",53000000,"))
        #expect(try opendata(["verify"], in: workspace.url).status == 0)
    }

    // MARK: 5. the lock cannot be deleted from under a run

    @Test func deletingFilesInTheOutputFolderDoesNotReleaseTheLock() throws {
        let workspace = try workspace(releases: 1)
        try setInternetUsers(workspace, to: 53)
        let first = try startOpendata(
            ["run", "-q", "--now", Self.september19], in: workspace.url, environment: ["OPENDATA_FAULT_PAUSE_AT": "staging-created:4"])
        try waitForStaging(workspace)
        // Whatever lies in the output folder (an old `.lock`, the records), deleted while the first run holds the lock.
        for name in try FileManager.default.contentsOfDirectory(atPath: workspace.file("Output").path) where name.hasPrefix(".") {
            try FileManager.default.removeItem(at: workspace.file("Output/\(name)"))
        }
        try setInternetUsers(workspace, to: 54)
        let second = try opendata(["run", "-q", "--now", Self.september20], in: workspace.url)
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("another run holds the lock on"))
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(try current(workspace) == "releases/20180919T020000Z")
        let folders = try releaseFolders(workspace)
        #expect(folders == ["20180918T020000Z", "20180919T020000Z"], "\(folders)")
    }

    private func waitForStaging(_ workspace: Workspace) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if try releaseFolders(workspace).contains(where: { $0.hasSuffix(".partial") }) { return }
            usleep(20_000)
        }
        Issue.record("the run never created its staging folder")
    }

    // MARK: 6. order by sequence, never by the clock

    @Test func aClockGoingBackwardsIsRefusedUnlessAskedAndThenOrderedBySequence() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "-q", "--now", Self.september19], in: workspace.url).status == 0)
        try setInternetUsers(workspace, to: 53)
        let before = workspace.snapshotOfOutput()
        let refused = try opendata(["run", "-q", "--now", Self.september18], in: workspace.url)
        #expect(refused.status == 64)
        #expect(
            refused.stderr.contains(
                "the release time 2018-09-18T02:00:00+00:00 is earlier than that of the current release 20180919T020000Z (2018-09-19T02:00:00+00:00)"),
            "\(refused.stderr)")
        #expect(workspace.snapshotOfOutput() == before)
        #expect(try opendata(["run", "-q", "--now", Self.september18, "--allow-earlier-time"], in: workspace.url).status == 0)
        #expect(try current(workspace) == "releases/20180918T020000Z")
        let listed = try opendata(["releases"], in: workspace.url)
        let lines = listed.stdout.split(separator: "\n").map { String($0.prefix(22)) }
        #expect(lines == ["  20180919T020000Z  #1", "* 20180918T020000Z  #2"])
        // --keep 2 with an even earlier time removes the oldest by sequence (19 September), not the previous current.
        try setInternetUsers(workspace, to: 54)
        let third = try opendata(["run", "-q", "--now", "1537149600", "--allow-earlier-time", "--keep", "2"], in: workspace.url)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try releaseFolders(workspace) == ["20180917T020000Z", "20180918T020000Z"])
        // A plain rollback goes to the release published before the current one.
        #expect(try opendata(["rollback"], in: workspace.url).stdout == "current is now release 20180918T020000Z\n")
    }

    // MARK: 3. damage is detected, never laundered

    @Test func anEditedFileInCurrentFailsEveryCommandAndIsNeverCarriedForward() throws {
        let workspace = try workspace(releases: 1)
        let csv = workspace.file("Output/current/\(Self.internetCSV)")
        let original = try String(contentsOf: csv, encoding: .utf8)
        #expect(original.contains(",52000000,"))
        try original.replacingOccurrences(of: ",52000000,", with: ",99000000,").write(to: csv, atomically: false, encoding: .utf8)
        let before = workspace.snapshotOfOutput()
        let problem = "\(Self.internetCSV): its SHA-256 "
        let unchanged = try opendata(["run", "-q"], in: workspace.url)
        #expect(unchanged.status == 74)
        #expect(unchanged.stderr.contains(problem), "\(unchanged.stderr)")
        #expect(unchanged.stderr.contains("error: release 20180918T020000Z is damaged: 1 problem; nothing was changed"))
        // Another pipeline changes: the damaged folder is not carried into a new release.
        try workspace.edit(
            "Pipelines/vietnam-provinces.yml", replacing: "2019 Census (every source type)", with: "2019 Census (every source type, revised)")
        let other = try opendata(["run", "-q", "vietnam-provinces"], in: workspace.url)
        #expect(other.status == 74, "\(other.stderr)")
        let validate = try opendata(["validate", "-q"], in: workspace.url)
        #expect(validate.status == 74)
        #expect(validate.stderr.contains(problem))
        let releases = try opendata(["releases"], in: workspace.url)
        #expect(releases.status == 74)
        #expect(releases.stderr.contains(problem))
        #expect(
            releases.stdout.contains(
                "* 20180918T020000Z  #1  2018-09-18T02:00:00+00:00  vietnam-digital-government, vietnam-provinces  DAMAGED (1 problem)"))
        let verify = try opendata(["verify"], in: workspace.url)
        #expect(verify.status == 74)
        #expect(verify.stderr.hasPrefix("  \(problem)"), "\(verify.stderr)")
        #expect(workspace.snapshotOfOutput() == before)
    }

    @Test func verifyListsEveryProblemAndKnowsOnlyReleaseIDs() throws {
        let workspace = try workspace(releases: 1)
        let good = try opendata(["verify"], in: workspace.url)
        #expect(good.status == 0)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.file("Output/current/release.json"))) as? [String: Any]
        let count = (manifest?["files"] as? [Any])?.count ?? 0
        #expect(count > 100)
        #expect(good.stdout == "release 20180918T020000Z verifies: \(count) files match release.json\n")
        try FileManager.default.removeItem(at: workspace.file("Output/current/vietnam-provinces/datapackage.json"))
        try "x".write(to: workspace.file("Output/current/extra.txt"), atomically: true, encoding: .utf8)
        try "0000  catalog.json\n".write(to: workspace.file("Output/current/SHA256SUMS"), atomically: true, encoding: .utf8)
        let bad = try opendata(["verify", "20180918T020000Z"], in: workspace.url)
        #expect(bad.status == 74)
        #expect(
            bad.stderr.split(separator: "\n").map(String.init) == [
                "  vietnam-provinces/datapackage.json: missing",
                "  extra.txt: not in release.json",
                "  SHA256SUMS: differs from the list in release.json",
                "error: release 20180918T020000Z is damaged: 3 problems; nothing was changed (`opendata rollback ID` switches to a release that verifies)",
            ], "\(bad.stderr)")
        for id in ["", "..", "20990101T000000Z"] {
            let unknown = try opendata(["verify", id], in: workspace.url)
            #expect(unknown.status == 64, "verify '\(id)'")
            #expect(unknown.stderr.contains("valid release ids: 20180918T020000Z"))
        }
    }

    // MARK: 7. signals end a run cleanly

    @Test(arguments: [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")])
    func aSignalStopsTheRunAtASafePointRemovesItsStagingAndExits128PlusItsNumber(signal: Int32, name: String) throws {
        let workspace = try workspace(releases: 1)
        try setInternetUsers(workspace, to: 53)
        let before = workspace.snapshotOfOutput()
        let process = Process()
        process.executableURL = opendataExecutable
        process.arguments = ["run", "--now", Self.september19]
        process.currentDirectoryURL = workspace.url
        process.environment = ProcessInfo.processInfo.environment.merging(["OPENDATA_FAULT_PAUSE_AT": "staging-created:30"]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitForStaging(workspace)
        kill(process.processIdentifier, signal)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + signal)
        let lines = stderr.split(separator: "\n").filter { $0.contains(name) }
        #expect(lines.count == 1, "\(stderr)")
        #expect(lines.first?.contains("interrupted by \(name); nothing was published; the current release is unchanged") == true)
        #expect(!stderr.contains("release published"))
        #expect(workspace.snapshotOfOutput() == before)
        // The lock is free and the change is published by the next run.
        #expect(try opendata(["run", "-q", "--now", Self.september19], in: workspace.url).status == 0)
        #expect(try workspace.read("Output/current/\(Self.internetCSV)").contains(",53000000,"))
    }

    // MARK: 8. no host paths in a release

    @Test func anAbsolutePipelinesFolderGivesTheSameBytesAsARelativeOne() throws {
        let workspace = try Workspace()
        let environment = ["SOURCE_DATE_EPOCH": Self.september18]
        #expect(try opendata(["run", "-q", "--output", "A"], in: workspace.url, environment: environment).status == 0)
        let absolute = workspace.file("Pipelines").path
        #expect(
            try opendata(["run", "-q", "--output", "B", "--pipelines", absolute], in: workspace.url, environment: environment).status == 0)
        let first = workspace.snapshot(of: workspace.file("A/releases"))
        #expect(!first.isEmpty)
        #expect(first == workspace.snapshot(of: workspace.file("B/releases")))
        for (path, data) in first {
            #expect(!String(decoding: data, as: UTF8.self).contains(workspace.url.path), "\(path) names the host's folder")
        }
    }

    // MARK: 10. versioned, citable URLs

    @Test func releaseJSONDataPackagesAndPagesGiveTheImmutableURLBesideTheStableOne() throws {
        let workspace = try workspace(releases: 2)
        let site = "https://opendata.hanoi.example.vn"
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.file("Output/current/release.json"))) as? [String: Any])
        let pipelines = try #require(manifest["pipelines"] as? [String: [String: Any]])
        #expect(manifest["sequence"] as? Int == 2)
        for id in ["vietnam-digital-government", "vietnam-provinces"] {
            #expect(pipelines[id]?["url"] as? String == "\(site)/\(id)")
            #expect(pipelines[id]?["releaseURL"] as? String == "\(site)/releases/20180919T020000Z/\(id)")
        }
        // The changed pipeline's data package names this release; the carried one the release that wrote it.
        for (id, release) in [("vietnam-digital-government", "20180919T020000Z"), ("vietnam-provinces", "20180918T020000Z")] {
            let package = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.file("Output/current/\(id)/datapackage.json")))
                    as? [String: Any])
            #expect(package["homepage"] as? String == "\(site)/\(id)")
            #expect(package["releaseURL"] as? String == "\(site)/releases/\(release)/\(id)")
            #expect(FileManager.default.fileExists(atPath: workspace.file("Output/releases/\(release)/\(id)/datapackage.json").path))
        }
        for (page, language) in [("vietnam-internet-2018.html", "Trích dẫn phiên bản này"), ("vietnam-internet-2018.en.html", "Cite this version")] {
            let html = try workspace.read("Output/current/vietnam-digital-government/\(page)")
            let pattern = try Regex("<dt>\(language)</dt><dd><a href=\"([^\"]*)\">([^<]*)</a></dd>")
            let links = html.matches(of: pattern).map { String($0.output[1].substring ?? "") }
            let url = "\(site)/releases/20180919T020000Z/vietnam-digital-government/\(page)"
            #expect(links == [url])
            // The link names a page that exists in that release.
            #expect(
                FileManager.default.fileExists(atPath: workspace.file("Output/releases/20180919T020000Z/vietnam-digital-government/\(page)").path))
        }
    }
}
