import Crypto
import Foundation
import GRDB
import Testing

/// The shipped example's outputs and the command line's texts, pinned byte for byte in `Golden/`
/// (record with `RECORD_GOLDEN=1 swift test`; see CONTRIBUTING.md).
@Suite("Golden files")
struct GoldenFileTests {
    /// A fixed release time, and an 80-column help text whatever the terminal says.
    static let releaseTime = "2018-09-18T09:00:00+07:00"
    static let environment = ["COLUMNS": "80", "NO_COLOR": "1"]
    /// The SQLite library `files.sha256` was recorded with. A database's header holds the version of the
    /// library that wrote it, so with another one the `.sqlite` files, and `release.json`, `SHA256SUMS` and
    /// `.complete`, which hold their digests, are left out of the comparison (said on stdout); the
    /// databases' content is compared by the SQLite output tests.
    static let recordedSQLite = "3.40.1"

    /// Publishes the example and calls `body` with the release folder, which lasts as long as `body` runs.
    private func published(_ body: (URL) throws -> Void) throws {
        let workspace = try Workspace()
        let result = try opendata(["run", "-q", "--now", Self.releaseTime], in: workspace.url, environment: Self.environment)
        #expect(result.status == 0, "\(result.stderr)")
        try withExtendedLifetime(workspace) { try body(workspace.file("Output/current").resolvingSymlinksInPath()) }
    }

    @Test func theExamplesPublishedFilesMatchTheirGoldenFiles() throws {
        try published { release in
            for path in [
                "vietnam-digital-government/datapackage.json", "vietnam-provinces/datapackage.json",
                "vietnam-digital-government/feed.rss", "vietnam-digital-government/feed.atom", "vietnam-digital-government/feed.json",
                "vietnam-digital-government/feed.en.rss", "vietnam-digital-government/feed.en.atom",
                "vietnam-digital-government/feed.en.json", "catalog.jsonld",
                "vietnam-digital-government/hanoi-online-public-services.html", "calendar.ics", "calendar.json",
            ] {
                assertGolden(try Data(contentsOf: release.appendingPathComponent(path)), named: "release/\(path)")
            }
        }
    }

    /// Every file of the release by its SHA-256, computed here: any byte that changes anywhere shows, by file.
    @Test func everyFileOfTheReleaseHasItsGoldenDigest() throws {
        try published { release in
            let paths = try FileManager.default.subpathsOfDirectory(atPath: release.path).sorted().filter { path in
                var folder: ObjCBool = false
                return FileManager.default.fileExists(atPath: release.appendingPathComponent(path).path, isDirectory: &folder) && !folder.boolValue
            }
            #expect(paths.count > 100, "\(paths)")
            let lines = try paths.map { path in
                let digest = SHA256.hash(data: try Data(contentsOf: release.appendingPathComponent(path)))
                return digest.map { String(format: "%02x", $0) }.joined() + "  " + path + "\n"
            }
            let linked = try DatabaseQueue().read { try String.fetchOne($0, sql: "SELECT sqlite_version()") }
            guard linked != Self.recordedSQLite, !Golden.recording else {
                assertGolden(lines.joined(), named: "release/files.sha256")
                return
            }
            print("SQLite \(linked ?? "?") is not \(Self.recordedSQLite): the databases' digests and the files listing them are not compared")
            let kept = { (line: Substring) in
                let path = line.split(separator: " ", maxSplits: 2).last ?? ""
                return !path.hasSuffix(".sqlite") && !["release.json", "SHA256SUMS", ".complete"].contains(path)
            }
            let golden = try String(contentsOf: Golden.folder.appendingPathComponent("release/files.sha256"), encoding: .utf8)
            #expect(lines.joined().split(separator: "\n").filter(kept) == golden.split(separator: "\n").filter(kept))
        }
    }

    @Test func helpTextsMatchTheirGoldenFiles() throws {
        let workspace = try Workspace()
        for (arguments, name) in [(["--help"], "opendata-help.txt"), (["run", "--help"], "opendata-run-help.txt")] {
            let result = try opendata(arguments, in: workspace.url, environment: Self.environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr == "", "\(arguments)")
            assertGolden(result.stdout, named: "cli/\(name)")
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptMatchesItsGoldenFile(shell: String) throws {
        let workspace = try Workspace()
        let result = try opendata(["--generate-completion-script", shell], in: workspace.url, environment: Self.environment)
        #expect(result.status == 0, "\(result.stderr)")
        assertGolden(result.stdout, named: "cli/completion.\(shell)")
    }

    @Test func validationReportsMatchTheirGoldenFiles() throws {
        let workspace = try Workspace()
        let valid = try opendata(["validate", "--report", "json", "-q"], in: workspace.url, environment: Self.environment)
        #expect(valid.status == 0, "\(valid.stderr)")
        assertGolden(valid.stdout, named: "cli/validate-report.json")
        // Two type errors: a Vietnamese number with a word for its unit, and a letter O in a count.
        try workspace.edit(
            "Pipelines/vietnam-digital-government/digital-indicators-2018.csv", replacing: ";2018;55%;", with: ";2018;55 phần trăm;")
        try workspace.edit("Pipelines/vietnam-digital-government/online-services-by-year.csv", replacing: "HN,level_4,,170", with: "HN,level_4,,17O")
        let invalid = try opendata(["validate", "--report", "json", "-q"], in: workspace.url, environment: Self.environment)
        #expect(invalid.status == 65, "\(invalid.stderr)")
        assertGolden(invalid.stdout, named: "cli/validate-report-with-errors.json")
    }
}

/// `assertGolden` itself, on a temporary golden folder: it fails on a difference with a diff, and
/// recording writes the file and still fails.
@Suite("assertGolden")
final class AssertGoldenTests {
    private let folder: URL
    private static let numbers = "one two three four five six seven eight nine ten eleven twelve".split(separator: " ").map { "\($0)\n" }.joined()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("cli"), withIntermediateDirectories: true)
        try Data(Self.numbers.utf8).write(to: folder.appendingPathComponent("cli/numbers.txt"))
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    private func golden(_ name: String) -> String? {
        FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func equalBytesMatchAndRecordNoIssue() throws {
        #expect(try Golden.compare(Data(Self.numbers.utf8), named: "cli/numbers.txt", in: folder, record: false) == .matches)
        assertGolden(Self.numbers, named: "cli/numbers.txt", in: folder, record: false)
    }

    @Test func aDifferenceFailsWithWhereAndALineDiffOfEachChange() throws {
        let actual = Self.numbers.replacingOccurrences(of: "three", with: "THREE").replacingOccurrences(of: "ten\n", with: "")
        let outcome = try Golden.compare(Data(actual.utf8), named: "cli/numbers.txt", in: folder, record: false)
        #expect(
            outcome
                == .differs(
                    """
                    output differs from golden file cli/numbers.txt (63 bytes expected, 59 found); \
                    if the change is intended, record it with RECORD_GOLDEN=1 swift test
                    first difference at byte 8 (line 3, byte 1 of the line)
                    --- golden
                    +++ output
                    @@ line 1 @@
                     one
                     two
                    -three
                    +THREE
                     four
                     five
                    @@ line 8 @@
                     eight
                     nine
                    -ten
                     eleven
                     twelve
                    """))
        #expect(golden("cli/numbers.txt") == Self.numbers, "comparing never writes")
    }

    @Test func invisibleDifferencesAreShown() throws {
        let actual = Self.numbers.replacingOccurrences(of: "one\n", with: "one\r\n").dropLast()
        let outcome = try Golden.compare(Data(actual.utf8), named: "cli/numbers.txt", in: folder, record: false)
        #expect(
            outcome
                == .differs(
                    """
                    output differs from golden file cli/numbers.txt (63 bytes expected, 63 found); \
                    if the change is intended, record it with RECORD_GOLDEN=1 swift test
                    first difference at byte 3 (line 1, byte 4 of the line); \
                    the golden file ends with a line break, the output does not
                    --- golden
                    +++ output
                    @@ line 1 @@
                    -one
                    +one\\r
                     two
                     three
                    @@ line 11 @@
                     eleven
                     twelve
                    -
                    """))
    }

    @Test func aMissingGoldenFileFailsAndIsNotWritten() throws {
        let outcome = try Golden.compare(Data("new\n".utf8), named: "cli/absent.txt", in: folder, record: false)
        #expect(outcome == .missing("golden file cli/absent.txt is missing; record it with RECORD_GOLDEN=1 swift test"))
        #expect(golden("cli/absent.txt") == nil)
    }

    @Test func recordingWritesTheFileAndStillFails() throws {
        let changed = try Golden.compare(Data("1\n2\n".utf8), named: "cli/numbers.txt", in: folder, record: true)
        #expect(
            changed
                == .recorded(
                    "recorded golden file cli/numbers.txt (changed, 4 bytes) because RECORD_GOLDEN=1; "
                        + "review it with git diff and run the tests again without RECORD_GOLDEN"))
        #expect(golden("cli/numbers.txt") == "1\n2\n")
        // A new file in a new folder, and a file recorded again with the same bytes: both still fail.
        let new = try Golden.compare(Data("x".utf8), named: "release/feeds/new.rss", in: folder, record: true)
        #expect(new.failure?.hasPrefix("recorded golden file release/feeds/new.rss (new, 1 bytes)") == true, "\(new)")
        #expect(golden("release/feeds/new.rss") == "x")
        let same = try Golden.compare(Data("x".utf8), named: "release/feeds/new.rss", in: folder, record: true)
        #expect(same.failure?.hasPrefix("recorded golden file release/feeds/new.rss (unchanged, 1 bytes)") == true, "\(same)")
    }

    /// The assertion records exactly one issue, carrying the outcome's message, on a difference and when recording.
    @Test func assertGoldenRecordsAnIssueOnADifferenceAndWhenRecording() throws {
        let expectedDiff = try #require(try Golden.compare(Data("zero\n".utf8), named: "cli/numbers.txt", in: folder, record: false).failure)
        #expect(expectedDiff.hasPrefix("output differs from golden file cli/numbers.txt (63 bytes expected, 5 found)"))
        withKnownIssue {
            assertGolden("zero\n", named: "cli/numbers.txt", in: folder, record: false)
        } matching: { issue in
            issue.comments.map(\.rawValue) == [expectedDiff]
        }
        withKnownIssue {
            assertGolden("zero\n", named: "cli/numbers.txt", in: folder, record: true)
        } matching: { issue in
            issue.comments.map(\.rawValue)
                == [
                    "recorded golden file cli/numbers.txt (changed, 5 bytes) because RECORD_GOLDEN=1; "
                        + "review it with git diff and run the tests again without RECORD_GOLDEN"
                ]
        }
        #expect(golden("cli/numbers.txt") == "zero\n")
        // Now equal, and not recording: no issue.
        assertGolden("zero\n", named: "cli/numbers.txt", in: folder, record: false)
    }

    /// The whole path through the environment: the test bundle run again, as a child process, with
    /// RECORD_GOLDEN=1, on one test that asserts a golden file in this test's folder.
    @Test(.disabled(if: childFolder != nil, "this run is the child process"))
    func recordGoldenOneInTheEnvironmentWritesTheFileAndFailsTheRun() throws {
        let bundle = opendataExecutable.deletingLastPathComponent().appendingPathComponent("opendata-pipelinePackageTests.xctest")
        try #require(FileManager.default.isExecutableFile(atPath: bundle.path), "no test bundle at \(bundle.path)")
        func child(recording: String) throws -> ProcessResult {
            try run(
                bundle, ["--testing-library", "swift-testing", "--filter", "childAssertsAGoldenFile"], in: folder,
                environment: ["RECORD_GOLDEN": recording, "OPENDATA_GOLDEN_CHILD_FOLDER": folder.path])
        }
        let recorded = try child(recording: "1")
        #expect(recorded.status == 1, "\(recorded.stdout)\n\(recorded.stderr)")
        let output = recorded.stdout + recorded.stderr
        #expect(output.contains("recorded golden file cli/child.txt (new, 9 bytes) because RECORD_GOLDEN=1"), "\(output)")
        #expect(output.contains("1 test in 1 suite failed"), "\(output)")
        #expect(golden("cli/child.txt") == "recorded\n")
        // Without RECORD_GOLDEN the same assertion now passes, and writes nothing.
        let compared = try child(recording: "")
        #expect(compared.status == 0, "\(compared.stdout)\n\(compared.stderr)")
        #expect((compared.stdout + compared.stderr).contains("1 test in 1 suite passed"))
    }

    static let childFolder = ProcessInfo.processInfo.environment["OPENDATA_GOLDEN_CHILD_FOLDER"]

    @Test(.enabled(if: childFolder != nil, "runs only as the child process of recordGoldenOneInTheEnvironmentWritesTheFileAndFailsTheRun"))
    func childAssertsAGoldenFileWithTheEnvironmentsSetting() throws {
        assertGolden("recorded\n", named: "cli/child.txt", in: URL(fileURLWithPath: try #require(Self.childFolder)))
    }

    @Test func onlyRecordGoldenOneRecords() {
        #expect(Golden.recording(in: ["RECORD_GOLDEN": "1"]))
        #expect(!Golden.recording(in: ["RECORD_GOLDEN": "0"]))
        #expect(!Golden.recording(in: ["RECORD_GOLDEN": ""]))
        #expect(!Golden.recording(in: [:]))
    }
}
