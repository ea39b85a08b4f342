import Foundation
@testable import OpenDataPipeline
import Testing

/// Every published byte is hashed once, as it is written: the manifest takes
/// that digest, the next run checks the release from the digest cache, and
/// a pipeline carried forward keeps its manifest entries and its pages.
@Suite("Hashed once")
struct HashedOnceTests {
    private func runner(_ directory: TemporaryDirectory, at seconds: TimeInterval) -> PipelineRunner {
        ReleaseStoreTests.runner(directory, at: seconds)
    }

    private func pipeline(_ directory: TemporaryDirectory, id: String, levels: [String]) throws -> Pipeline {
        try directory.write(PipelineRunnerTests.yaml(id: id), to: "Pipelines/\(id).yml")
        try directory.write((["level"] + levels).joined(separator: "\n") + "\n", to: "Pipelines/\(id)/catalogue.csv")
        return try PipelineLoader().load(path: directory.url.appendingPathComponent("Pipelines/\(id).yml").path)
    }

    private func inode(_ path: String) -> UInt64? {
        FileStatus(path: path)?.inode
    }

    @Test func noReleaseFileIsReadToBeHashedAndCarriedPipelinesKeepTheirEntriesAndPages() throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("Output").path
        let first = try runner(directory, at: 1_537_236_000).run([
            pipeline(directory, id: "alpha", levels: ["3"]), pipeline(directory, id: "beta", levels: ["1", "2"]),
        ])
        let store = ReleaseStore(root: directory.url.appendingPathComponent("Output"))
        let firstManifest = try #require(store.currentManifest)
        // What the writers hashed is what a reader of the files finds.
        for file in firstManifest.files {
            let path = directory.url.appendingPathComponent("Output/releases/\(try #require(first.releaseID))/\(file.path)").path
            #expect(try Digest.sha256(file: path) == file.sha256, "\(file.path)")
        }
        let second = try runner(directory, at: 1_537_322_400).run([
            pipeline(directory, id: "alpha", levels: ["3", "4"]), pipeline(directory, id: "beta", levels: ["1", "2"]),
        ])
        #expect(second.carriedForward == ["beta"])
        // The first release was checked from the digests remembered as it was written: none of its files was read.
        #expect(!second.hashedFiles.contains { $0.hasPrefix(output) }, "\(second.hashedFiles)")
        let secondManifest = try #require(store.currentManifest)
        let old = Dictionary(uniqueKeysWithValues: firstManifest.files.map { ($0.path, $0) })
        let betaFiles = secondManifest.files.filter { $0.path.hasPrefix("beta/") }
        #expect(betaFiles.count > 8)
        for file in betaFiles {
            #expect(old[file.path] == file, "\(file.path)")
            let previous = "\(output)/releases/\(try #require(first.releaseID))/\(file.path)"
            #expect(inode("\(output)/current/\(file.path)") == inode(previous), "\(file.path) is not linked")
        }
        // beta's pages name the release that last changed beta, so they are the same bytes, linked.
        let page = try directory.read("Output/current/beta/index.html")
        #expect(page.contains("Bản phát hành \(try #require(first.releaseID))"))
        #expect(try directory.read("Output/current/index.html").contains("Bản phát hành \(try #require(second.releaseID))"))
        #expect(try directory.read("Output/current/alpha/index.html").contains("Bản phát hành \(try #require(second.releaseID))"))
        #expect(inode("\(output)/current/alpha/data/by-level.csv") != nil)
        // The next run reads no file of the second release either, linked or written.
        let third = try runner(directory, at: 1_537_408_800).run([
            pipeline(directory, id: "alpha", levels: ["3", "4", "4"]), pipeline(directory, id: "beta", levels: ["1", "2"]),
        ])
        #expect(third.releaseID != nil)
        #expect(!third.hashedFiles.contains { $0.hasPrefix(output) }, "\(third.hashedFiles)")
        #expect(ReleaseVerifier().problems(release: store.currentRelease!).isEmpty)
    }

    @Test func changedTemplatesRenderTheCarriedPipelinesPagesAgain() throws {
        let directory = try TemporaryDirectory()
        _ = try runner(directory, at: 1_537_236_000).run([
            pipeline(directory, id: "alpha", levels: ["3"]), pipeline(directory, id: "beta", levels: ["1"]),
        ])
        let before = inode(directory.url.appendingPathComponent("Output/current/beta/index.html").path)
        try directory.write("<footer><p>{{release}} · changed</p></footer>", to: "Pipelines/templates/footer.mustache")
        let second = try runner(directory, at: 1_537_322_400).run([
            pipeline(directory, id: "alpha", levels: ["3", "4"]), pipeline(directory, id: "beta", levels: ["1"]),
        ])
        #expect(second.carriedForward == ["beta"])
        #expect(inode(directory.url.appendingPathComponent("Output/current/beta/index.html").path) != before)
        #expect(try directory.read("Output/current/beta/index.html").contains("· changed"))
    }

    /// A carried pipeline's datasets enter the site's lists (index, developers' page) from their summaries
    /// only: the pages are the bytes a full model renders, as shown by the same run with the built-in list
    /// templates given as overrides (which makes the run model every dataset fully).
    @Test func theSitesListsOfACarriedPipelineAreThoseAFullModelRenders() throws {
        func publish(overriding: Bool) throws -> TemporaryDirectory {
            let directory = try TemporaryDirectory()
            if overriding {
                for name in ["index", "developers"] {
                    try directory.write(try #require(SiteTemplates.defaults[name]), to: "Pipelines/templates/\(name).mustache")
                }
            }
            _ = try runner(directory, at: 1_537_236_000).run([
                pipeline(directory, id: "alpha", levels: ["3"]), pipeline(directory, id: "beta", levels: ["1", "2"]),
            ])
            let second = try runner(directory, at: 1_537_322_400).run([
                pipeline(directory, id: "alpha", levels: ["3", "4"]), pipeline(directory, id: "beta", levels: ["1", "2"]),
            ])
            #expect(second.carriedForward == ["beta"])
            return directory
        }
        let listed = try publish(overriding: false)
        let full = try publish(overriding: true)
        for page in ["index.html", "index.en.html", "developers.html", "developers.en.html"] {
            let text = try listed.read("Output/current/\(page)")
            #expect(text == (try full.read("Output/current/\(page)")), "\(page)")
            #expect(text.contains("beta/"), "\(page) lists the carried pipeline")
        }
    }
}
