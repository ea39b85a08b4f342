import Foundation
import Testing

/// `run --release-at`, `held`, `release-due`, `cancel-held`, `serve --embargoed` and `asof` through the command line:
/// their output, exit statuses, and the fault points of the switch.
@Suite("Embargo, end to end")
struct EmbargoCommandTests {
    private static let indicators = "Pipelines/vietnam-digital-government/digital-indicators-2018.csv"
    /// 2018-09-20T09:00:00+07:00.
    private static let due = "2018-09-20T09:00:00+07:00"

    /// The example published on 2018-09-18, and a change held for `due`.
    private func workspaceWithHeldRelease() throws -> (Workspace, heldID: String, token: String) {
        let workspace = try Workspace()
        let first = try opendata(["run", "-q", "--now", "1537236000"], in: workspace.url)
        #expect(first.status == 0, "\(first.stderr)")
        try workspace.edit(Self.indicators, replacing: ";52 triệu;", with: ";53 triệu;")
        let held = try opendata(["run", "--release-at", Self.due], in: workspace.url)
        #expect(held.status == 0, "\(held.stderr)")
        #expect(held.stdout.hasPrefix("held release 20180920T020000Z until 2018-09-20T02:00:00+00:00"), "\(held.stdout)")
        let token = try FileManager.default.contentsOfDirectory(atPath: workspace.file("Output/.held").path)
        return (workspace, "20180920T020000Z", try #require(token.first))
    }

    private func current(_ workspace: Workspace) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: workspace.file("Output/current").path)
    }

    @Test func listsRefusesASecondAndPublishesAtItsTime() throws {
        let (workspace, id, _) = try workspaceWithHeldRelease()
        let listed = try opendata(["held"], in: workspace.url)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(
            listed.stdout
                == "\(id)  due 2018-09-20T02:00:00+00:00  vietnam-digital-government, vietnam-provinces  on 20180918T020000Z  prepared "
                + (listed.stdout.components(separatedBy: "prepared ").last ?? ""))
        #expect(!listed.stdout.contains("STALE") && !listed.stdout.contains("DAMAGED"))

        let second = try opendata(["run", "--release-at", "2018-09-21T09:00:00+07:00"], in: workspace.url)
        #expect(second.status == 84)
        #expect(second.stderr.contains("pipeline 'vietnam-digital-government' already has held release \(id) (due 2018-09-20T02:00:00+00:00)"))
        let both = try opendata(["run", "--release-at", Self.due, "--now", Self.due], in: workspace.url)
        #expect(both.status == 64)
        #expect(both.stderr.contains("give --now or --release-at, not both"))

        let early = try opendata(["release-due", "--now", "2018-09-20T08:59:59+07:00"], in: workspace.url)
        #expect(early.status == 0 && early.stdout.isEmpty && early.stderr.isEmpty)
        #expect(try current(workspace) == "releases/20180918T020000Z")

        let onTime = try opendata(["release-due", "--now", Self.due], in: workspace.url)
        #expect(onTime.status == 0, "\(onTime.stderr)")
        #expect(onTime.stdout == "published held release \(id) in Output/releases/\(id)\n")
        #expect(try current(workspace) == "releases/\(id)")
        let verify = try opendata(["verify"], in: workspace.url)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try opendata(["held"], in: workspace.url).stdout.isEmpty)
    }

    @Test func aTamperedHeldReleaseIsRefusedNamingTheFile() throws {
        let (workspace, id, token) = try workspaceWithHeldRelease()
        let file = "Output/.held/\(token)/\(id)/vietnam-digital-government/data/vietnam-internet-2018.csv"
        let original = try Data(contentsOf: workspace.file(file))
        try (original + Data("x".utf8)).write(to: workspace.file(file))
        let refused = try opendata(["release-due", "--now", Self.due], in: workspace.url)
        #expect(refused.status == 83)
        #expect(
            refused.stderr.contains(
                "held release \(id) does not match its manifest (1 problem): vietnam-digital-government/data/vietnam-internet-2018.csv: "))
        #expect(refused.stderr.contains("it was not published and stays held"))
        #expect(try current(workspace) == "releases/20180918T020000Z")
        let listed = try opendata(["held"], in: workspace.url)
        #expect(listed.status == 83)
        #expect(listed.stdout.contains("DAMAGED (1 problem)"))
        try original.write(to: workspace.file(file))
        #expect(try opendata(["release-due", "--now", Self.due], in: workspace.url).status == 0)
        #expect(try current(workspace) == "releases/\(id)")
    }

    @Test(arguments: ["held-before-rename", "held-before-switch"])
    func aFailureBeforeTheSwitchLeavesItHeldAndCurrentAsItWas(checkpoint: String) throws {
        let (workspace, id, token) = try workspaceWithHeldRelease()
        let before = workspace.snapshotOfOutputWithoutDigestCache()
        let failed = try opendata(["release-due", "--now", Self.due], in: workspace.url, environment: ["OPENDATA_FAULT_FAIL_AT": checkpoint])
        #expect(failed.status == 73)
        #expect(workspace.snapshotOfOutputWithoutDigestCache() == before)
        #expect(FileManager.default.fileExists(atPath: workspace.file("Output/.held/\(token)/\(id)/release.json").path))
        #expect(try opendata(["release-due", "--now", Self.due], in: workspace.url).status == 0)
        #expect(try current(workspace) == "releases/\(id)")
    }

    @Test func killedAfterTheSwitchTheNextReleaseDueFinishes() throws {
        let (workspace, id, _) = try workspaceWithHeldRelease()
        let killed = try opendata(
            ["release-due", "--now", Self.due], in: workspace.url, environment: ["OPENDATA_FAULT_KILL_AT": "held-after-switch"])
        #expect(killed.status == 9 || killed.status == 137)
        #expect(try current(workspace) == "releases/\(id)")
        let next = try opendata(["release-due", "--now", Self.due], in: workspace.url)
        #expect(next.status == 0 && next.stdout.isEmpty, "\(next.stderr)")
        #expect(try opendata(["held"], in: workspace.url).stdout.isEmpty)
        #expect(try opendata(["verify"], in: workspace.url).status == 0)
    }

    @Test func cancelsAndRefusesEmbargoedServingOffLoopback() throws {
        let (workspace, id, _) = try workspaceWithHeldRelease()
        let open = try opendata(["serve", "--embargoed", "--host", "0.0.0.0"], in: workspace.url)
        #expect(open.status == 64)
        #expect(open.stderr.contains("--host must be a loopback address"))
        let unknown = try opendata(["cancel-held", "20990101T000000Z"], in: workspace.url)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("'20990101T000000Z' is not a held release; held: \(id)"))
        let cancelled = try opendata(["cancel-held", id], in: workspace.url)
        #expect(cancelled.status == 0)
        #expect(cancelled.stdout == "cancelled the held release \(id) (was due 2018-09-20T02:00:00+00:00)\n")
        #expect(try opendata(["release-due", "--now", Self.due], in: workspace.url).stdout.isEmpty)
        #expect(try current(workspace) == "releases/20180918T020000Z")
    }

    @Test func asofWritesTheCSVOfTheReleaseCurrentThen() throws {
        let (workspace, id, _) = try workspaceWithHeldRelease()
        #expect(try opendata(["release-due", "--now", Self.due], in: workspace.url).status == 0)
        let path = "vietnam-digital-government/data/vietnam-internet-2018.csv"
        let before = try opendata(["asof", "2018-09-19T00:00:00Z", "vietnam-digital-government/vietnam-internet-2018"], in: workspace.url)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout == (try workspace.read("Output/releases/20180918T020000Z/\(path)")))
        #expect(before.stderr == "from release 20180918T020000Z\n")
        let after = try opendata(["asof", Self.due, "vietnam-digital-government/vietnam-internet-2018", "--to", "out.csv"], in: workspace.url)
        #expect(after.status == 0)
        #expect(try workspace.read("out.csv") == (try workspace.read("Output/releases/\(id)/\(path)")))
        let none = try opendata(["asof", "2018-09-18T08:00:00+07:00", "vietnam-digital-government/vietnam-internet-2018"], in: workspace.url)
        #expect(none.status == 66)
        #expect(none.stderr.contains("was not published at 2018-09-18T01:00:00+00:00"))
        let unknown = try opendata(["asof", Self.due, "vietnam-digital-government/nothing"], in: workspace.url)
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("vietnam-digital-government/nothing is not a dataset of any release"))
    }
}
