import Foundation
import GRDB
import Testing

/// Bad input stops the run with one precise line per problem and a distinct
/// exit status, and never changes what is already published.
@Suite("Failures, end to end")
struct FailureTests {
    private static let catalogue = "Pipelines/vietnam-digital-government/administrative-procedures.sqlite"

    /// A workspace with one good release already published.
    private func published() throws -> Workspace {
        let workspace = try Workspace()
        let first = try opendata(["run", "--quiet"], in: workspace.url)
        #expect(first.status == 0, "\(first.stderr)")
        return workspace
    }

    private func expectFailure(
        _ workspace: Workspace, status: Int32, mentions expected: [String], arguments: [String] = ["run", "--quiet"],
        errors: Int = 1
    ) throws {
        let before = workspace.snapshotOfOutput()
        let result = try opendata(arguments, in: workspace.url)
        #expect(result.status == status, "stderr: \(result.stderr)")
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errorLines.count == errors, "\(result.stderr)")
        for text in expected {
            #expect(errorLines.first?.contains(text) == true, "'\(text)' in: \(result.stderr)")
        }
        #expect(workspace.snapshotOfOutput() == before, "Output/ changed after a failed run")
    }

    @Test func aServiceLevelOutOfRangeStopsTheRunAndChangesNothing() throws {
        let workspace = try published()
        let database = try DatabaseQueue(path: workspace.file(Self.catalogue).path)
        try database.write { db in
            try db.execute(sql: "UPDATE thu_tuc SET muc_do = 7 WHERE ma_thu_tuc = 'HN-0002'")
        }
        try database.close()
        // The bad row is listed once, although two datasets read the database.
        try expectFailure(
            workspace, status: 65,
            mentions: ["administrative-procedures.sqlite, 'muc_do': '7'", "a value from 1 to 4", "row 2"],
            errors: 1)
    }

    @Test func textInANumberColumnStopsTheRunAndChangesNothing() throws {
        let workspace = try published()
        try workspace.edit(
            "Pipelines/vietnam-digital-government/digital-indicators-2018.csv", replacing: ";55%;", with: ";abc;")
        try expectFailure(
            workspace, status: 65, mentions: ["digital-indicators-2018.csv", "line 3", "'gia_tri'", "'abc'", "a number"])
    }

    @Test func anAmbiguousVietnameseNumberIsAnErrorNotAGuess() throws {
        let workspace = try published()
        try workspace.edit(
            "Pipelines/vietnam-digital-government/digital-indicators-2018.csv", replacing: ";55%;", with: ";1.5;")
        try expectFailure(workspace, status: 65, mentions: ["'1.5'", "three digits"])
    }

    @Test func aMissingSourceFileIsUnreadableInput() throws {
        let workspace = try published()
        try FileManager.default.removeItem(at: workspace.file(Self.catalogue))
        try expectFailure(workspace, status: 66, mentions: ["administrative-procedures.sqlite", "cannot open"])
    }

    @Test func anUnknownKeyInThePipelineIsAConfigurationError() throws {
        let workspace = try published()
        try workspace.edit("Pipelines/vietnam-digital-government.yml", replacing: "timeZone:", with: "timezone:")
        try expectFailure(
            workspace, status: 78, mentions: ["vietnam-digital-government.yml", "line 23", "unknown key 'timezone'"])
    }

    @Test func aTruncatedDatabaseIsAClearErrorNotAPartialTable() throws {
        let workspace = try published()
        let url = workspace.file(Self.catalogue)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        try expectFailure(workspace, status: 65, mentions: ["administrative-procedures.sqlite", "damaged"])
    }

    @Test func hostileXMLInASourceIsRefused() throws {
        let workspace = try published()
        let xml = "Pipelines/vietnam-digital-government/hanoi-population-database.xml"
        try workspace.edit(
            xml, replacing: "<bao-cao ",
            with: "<!DOCTYPE bao-cao [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<bao-cao ")
        try expectFailure(workspace, status: 65, mentions: ["hanoi-population-database.xml", "entities"])
    }

    @Test func aCompressedXMLSourceSaysWhatItIs() throws {
        let workspace = try published()
        // The gzip header of a compressed export, where the XML should be.
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4B, 0x04, 0x00])
            .write(to: workspace.file("Pipelines/vietnam-digital-government/hanoi-population-database.xml"))
        try expectFailure(
            workspace, status: 65,
            mentions: [
                "hanoi-population-database.xml: the file is gzip-compressed data (it starts with the bytes 1F 8B), "
                    + "not an XML document: decompress it (gunzip) first"
            ])
    }

    @Test func aQueryThatWritesIsRefusedBeforeItRuns() throws {
        let workspace = try published()
        try workspace.edit(
            "Pipelines/vietnam-digital-government.yml",
            replacing: "query: SELECT ma_thu_tuc, muc_do, nam FROM thu_tuc ORDER BY ma_thu_tuc",
            with: "query: DELETE FROM thu_tuc")
        let database = try DatabaseQueue(path: workspace.file(Self.catalogue).path)
        let before = try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM thu_tuc") }
        try database.close()
        try expectFailure(
            workspace, status: 78,
            mentions: [
                "vietnam-digital-government.yml, line 153, column 14, 'datasets[3].source.query': "
                    + "the query must be a single read-only SELECT; "
                    + "'DELETE FROM thu_tuc' is a DELETE statement that writes"
            ])
        let reopened = try DatabaseQueue(path: workspace.file(Self.catalogue).path)
        #expect(try reopened.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM thu_tuc") } == before)
        try reopened.close()
    }

    @Test func aScriptLinkInThePipelineIsAConfigurationError() throws {
        let workspace = try published()
        try workspace.edit(
            "Pipelines/vietnam-digital-government.yml", replacing: "path: https://creativecommons.org/licenses/by/4.0/",
            with: "path: \"javascript:alert(document.cookie)\"")
        try expectFailure(
            workspace, status: 78,
            mentions: [
                "vietnam-digital-government.yml, line 21, column 9, 'license.path'",
                "found 'javascript:alert(document.cookie)'; pages and feeds make a link of it",
            ])
    }

    @Test func badArgumentsExitWithUsageStatus() throws {
        let workspace = try Workspace()
        let result = try opendata(["run", "--no-such-option"], in: workspace.url)
        #expect(result.status == 64)
        let help = try opendata(["run", "--help"], in: workspace.url)
        #expect(help.status == 0)
        #expect(help.stdout.contains("--output"))
    }
}
