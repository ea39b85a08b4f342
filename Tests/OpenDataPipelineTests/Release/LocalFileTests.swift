import Foundation
@testable import OpenDataPipeline
import SystemPackage
import Testing

/// The one file API: whole reads, prefixes and replacements through swift-system, with `Errno`.
@Suite("LocalFile")
struct LocalFileTests {
    @Test func readsAWholeFileLargerThanOneChunk() throws {
        let directory = try TemporaryDirectory()
        let bytes = (0..<200_000).map { UInt8($0 % 251) }
        let path = try directory.write(Data(bytes), to: "big.bin")
        #expect(try LocalFile.read(path) == bytes)
        #expect(LocalFile.contents(atPath: path) == Data(bytes))
    }

    @Test func aMissingFileIsErrnoNotFoundAndNoContents() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("missing").path
        #expect(throws: Errno.noSuchFileOrDirectory) { try LocalFile.read(path) }
        #expect(LocalFile.contents(atPath: path) == nil)
        #expect(LocalFile.prefix(atPath: path, count: 16) == nil)
    }

    @Test func aPrefixIsAtMostTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("SQLite", to: "short")
        #expect(LocalFile.prefix(atPath: path, count: 16) == Array("SQLite".utf8))
        #expect(LocalFile.prefix(atPath: path, count: 3) == Array("SQL".utf8))
    }

    @Test func replacingAFileLeavesOnlyTheNewBytes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("old contents, longer than the new", to: "cache.json")
        try LocalFile.replace(path, with: Array("{}".utf8))
        #expect(try LocalFile.read(path) == Array("{}".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["cache.json"])
    }

    @Test func replacingInAMissingFolderFailsWithErrno() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("no/such/folder/cache.json").path
        #expect(throws: Errno.noSuchFileOrDirectory) { try LocalFile.replace(path, with: [1, 2, 3]) }
    }
}
