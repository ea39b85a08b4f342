import Foundation
import Logging
@testable import OpenDataPipeline
import Testing

/// Embargoed releases: prepared now, held where nothing published reaches them, published by `release-due` at their time.
@Suite("HeldRelease")
struct HeldReleaseTests {
    /// 2018-09-18T09:00:00+07:00, the first (published) release.
    static let first: TimeInterval = 1_537_236_000
    /// 2018-09-20T09:00:00+07:00, the embargoed release's time.
    static let due: TimeInterval = 1_537_408_800
    /// A figure only the held release has.
    static let secret = "424242"

    final class Setup {
        let directory: TemporaryDirectory
        var output: URL { directory.url.appendingPathComponent("Output") }
        var held: HeldReleaseStore { HeldReleaseStore(root: output) }
        var store: ReleaseStore { ReleaseStore(root: output) }

        init() throws {
            directory = try TemporaryDirectory()
            try directory.write(populationPipeline(publish: "csv, json, rss"), to: "Pipelines/p.yml")
            try directory.write("area,population\nHN,100\nHCM,200\n", to: "Pipelines/p/t.csv")
            _ = try runner(at: HeldReleaseTests.first).run([pipeline()])
        }

        func pipeline() throws -> Pipeline { try PipelineLoader().load(path: directory.url.appendingPathComponent("Pipelines/p.yml").path) }

        func runner(at seconds: TimeInterval) -> PipelineRunner {
            var runner = PipelineRunner(
                output: output, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, now: { Date(timeIntervalSince1970: seconds) })
            runner.digestSettleSeconds = 0
            return runner
        }

        /// Holds a release with HN's population `population`, due at `due`.
        @discardableResult
        func hold(population: String = HeldReleaseTests.secret, at due: TimeInterval = HeldReleaseTests.due, replace: Bool = false) throws
            -> RunReport
        {
            try directory.write("area,population\nHN,\(population)\nHCM,200\n", to: "Pipelines/p/t.csv")
            var options = RunOptions()
            options.embargo = true
            options.replaceHeld = replace
            return try runner(at: due).run([pipeline()], options: options)
        }

        /// Every file and link under Output/ but the held folder and the digest cache.
        func published() -> [String: Data] {
            snapshot(of: output).filter { !$0.key.hasPrefix(".held") && $0.key != ".digests.json" }
        }
    }

    @Test func holdsTheCompleteReleaseInAPrivateUnguessableFolderAndPublishesNothing() throws {
        let setup = try Setup()
        let before = setup.published()
        let report = try setup.hold()
        let held = try #require(report.held)
        #expect(held.id == "20180920T020000Z")
        #expect(held.releaseAt == "2018-09-20T02:00:00+00:00")
        #expect(held.baseRelease == "20180918T020000Z")
        #expect(held.pipelines == ["test-pipeline"])
        #expect(held.token.count == 32 && held.token.allSatisfy(\.isHexDigit))
        #expect(setup.published() == before)
        #expect(setup.store.currentID == "20180918T020000Z")
        for folder in [".held", ".held/\(held.token)"] {
            let mode = try FileManager.default.attributesOfItem(atPath: setup.output.appendingPathComponent(folder).path)[.posixPermissions]
            #expect(mode as? Int == 0o700, "\(folder)")
        }
        let folder = setup.held.releaseFolder(held)
        #expect(try String(contentsOf: folder.appendingPathComponent("test-pipeline/data/d.csv"), encoding: .utf8).contains(Self.secret))
        #expect(setup.held.problems(held).isEmpty)
        // No published file holds the figure or names the held folder.
        for (path, data) in setup.published() {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(Self.secret) && !text.contains(held.token) && !path.contains(held.token), "\(path)")
        }
    }

    @Test func releaseDueDoesNothingBeforeItsTimeAndPublishesAtIt() throws {
        let setup = try Setup()
        let held = try #require(try setup.hold().held)
        let before = snapshot(of: setup.output)
        let early = try setup.held.releaseDue(now: Date(timeIntervalSince1970: Self.due - 1))
        #expect(early.published.isEmpty)
        #expect(snapshot(of: setup.output) == before)

        let outcome = try setup.held.releaseDue(now: Date(timeIntervalSince1970: Self.due))
        #expect(outcome.published == [held.id])
        #expect(outcome.warnings.isEmpty)
        #expect(setup.store.currentID == held.id)
        #expect(setup.held.held().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: setup.output.appendingPathComponent(".held").path))
        #expect(try setup.directory.read("Output/current/test-pipeline/data/d.csv") == "area,population\r\nHN,\(Self.secret)\r\nHCM,200\r\n")
        #expect(try setup.store.verify(nil).problems.isEmpty)
        // The release carries its time, not the time it was prepared.
        let manifest = try #require(ReleaseManifest.read(from: setup.output.appendingPathComponent("current/release.json")))
        #expect(manifest.created == "2018-09-20T02:00:00+00:00")
        #expect(manifest.pipelines["test-pipeline"]?.datasets["d"]?.dataModified == "2018-09-20T09:00:00+07:00")
        let package =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: setup.output.appendingPathComponent("current/test-pipeline/datapackage.json"))) as? [String: Any]
        let resource = (package?["resources"] as? [[String: Any]])?.first { $0["name"] as? String == "d" }
        #expect(resource?["dataModified"] as? String == "2018-09-20T09:00:00+07:00")
        let rss = try setup.directory.read("Output/current/test-pipeline/feed.rss")
        let dates = rss.components(separatedBy: "<pubDate>").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(dates.first == "Thu, 20 Sep 2018 09:00:00 +0700")
        // Nothing more to do: the next minute's run does nothing.
        let again = snapshot(of: setup.output)
        #expect(try setup.held.releaseDue(now: Date(timeIntervalSince1970: Self.due + 60)).published.isEmpty)
        #expect(snapshot(of: setup.output) == again)
    }

    @Test func refusesATamperedHeldReleaseNamingTheFileAndKeepsItHeld() throws {
        let setup = try Setup()
        let held = try #require(try setup.hold().held)
        let csv = setup.held.releaseFolder(held).appendingPathComponent("test-pipeline/data/d.csv")
        try Data("area,population\r\nHN,999999\r\nHCM,200\r\n".utf8).write(to: csv)
        let before = setup.published()
        let error = failure { try setup.held.releaseDue(now: Date(timeIntervalSince1970: Self.due)) }
        guard case let .damagedHeldRelease(id, problems) = error as? PipelineFailure else {
            Issue.record("expected damagedHeldRelease, got \(String(describing: error))")
            return
        }
        #expect(id == held.id)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("test-pipeline/data/d.csv: ") == true)
        #expect((error as? PipelineFailure)?.exitStatus == 83)
        #expect((error as? PipelineFailure)?.code == .damagedHeldRelease)
        #expect(setup.published() == before)
        #expect(setup.held.held() == [held])
    }

    @Test func aSecondHeldReleaseOfThePipelineIsAnErrorUnlessItReplacesTheFirst() throws {
        let setup = try Setup()
        let first = try #require(try setup.hold().held)
        let heldBefore = snapshot(of: setup.output.appendingPathComponent(".held"))
        let error = failure { try setup.hold(population: "5", at: Self.due + 3600) } as? PipelineFailure
        #expect(error == .heldReleaseExists(pipeline: "test-pipeline", held: first.id, releaseAt: "2018-09-20T02:00:00+00:00"))
        #expect(error?.exitStatus == 84)
        #expect(snapshot(of: setup.output.appendingPathComponent(".held")) == heldBefore)

        let report = try setup.hold(population: "5", at: Self.due + 3600, replace: true)
        let second = try #require(report.held)
        #expect(report.replacedHeld == [first.id])
        #expect(setup.held.held() == [second])
        #expect(second.token != first.token)
        #expect(!FileManager.default.fileExists(atPath: setup.output.appendingPathComponent(".held/\(first.token)").path))
        #expect(try setup.held.releaseDue(now: Date(timeIntervalSince1970: Self.due)).published.isEmpty)
        #expect(try setup.held.releaseDue(now: Date(timeIntervalSince1970: Self.due + 3600)).published == [second.id])
        #expect(try setup.directory.read("Output/current/test-pipeline/data/d.csv") == "area,population\r\nHN,5\r\nHCM,200\r\n")
    }

    @Test func refusesAHeldReleasePreparedOnAReleaseThatIsNoLongerCurrent() throws {
        let setup = try Setup()
        let held = try #require(try setup.hold().held)
        try setup.directory.write("area,population\nHN,101\nHCM,200\n", to: "Pipelines/p/t.csv")
        let published = try setup.runner(at: Self.first + 3600).run([setup.pipeline()])
        let before = setup.published()
        let error = failure { try setup.held.releaseDue(now: Date(timeIntervalSince1970: Self.due)) } as? PipelineFailure
        #expect(error == .staleHeldRelease(held.id, base: "20180918T020000Z", current: published.releaseID ?? ""))
        #expect(error?.exitStatus == 85)
        #expect(setup.published() == before)
        #expect(setup.held.held() == [held])
    }

    @Test func cancelsAHeldReleaseAndRefusesAnUnknownOne() throws {
        let setup = try Setup()
        let held = try #require(try setup.hold().held)
        #expect(
            failure { try setup.held.cancel("20990101T000000Z") } as? PipelineFailure == .unknownHeldRelease("20990101T000000Z", valid: [held.id]))
        #expect(try setup.held.cancel(held.id) == held)
        #expect(setup.held.held().isEmpty)
        #expect(try setup.held.releaseDue(now: Date(timeIntervalSince1970: Self.due)).published.isEmpty)
        #expect(setup.store.currentID == "20180918T020000Z")
    }

    @Test func anUnchangedEmbargoedRunHoldsNothing() throws {
        let setup = try Setup()
        let report = try setup.hold(population: "100")
        #expect(report.held == nil && report.unchanged)
        #expect(!FileManager.default.fileExists(atPath: setup.output.appendingPathComponent(".held").path))
    }

    @Test func removesTheIncompleteHeldFolderAKilledRunLeftButNotInADryRun() throws {
        let setup = try Setup()
        try setup.directory.write("partial", to: "Output/.held/0123456789abcdef0123456789abcdef/20180920T020000Z.partial/x")
        let before = snapshot(of: setup.output)
        try setup.directory.write("area,population\nHN,\(Self.secret)\nHCM,200\n", to: "Pipelines/p/t.csv")
        var dryRun = RunOptions(dryRun: true)
        dryRun.embargo = true
        let report = try setup.runner(at: Self.due).run([setup.pipeline()], options: dryRun)
        #expect(report.held == nil && report.releaseID == "20180920T020000Z")
        #expect(snapshot(of: setup.output) == before)
        let held = try #require(try setup.hold().held)
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.output.appendingPathComponent(".held").path) == [held.token])
    }
}
