import Foundation
@testable import OpenDataPipeline
import Testing

/// Source paths are resolved to real paths and must stay inside the pipeline
/// file's folder (or a root the operator allowed).
@Suite("Source paths stay inside the pipeline's folder")
struct SourcePathTests {
    /// A pipeline folder `p/` inside a scratch folder, with an `outside/` folder beside it.
    final class Layout {
        let scratch: TemporaryDirectory
        let folder: String
        let outside: String

        init() throws {
            scratch = try TemporaryDirectory()
            folder = SourcePath.realPath(scratch.url.appendingPathComponent("p").path)
            outside = SourcePath.realPath(scratch.url.appendingPathComponent("outside").path)
            try scratch.write("ten\nsecret line\n", to: "outside/secret.csv")
            try scratch.write("ten\nHà Nội\n", to: "p/data/d.csv")
        }

        func load(path: String, allowedRoots: [String] = []) throws -> Pipeline {
            let file = try scratch.write(
                SourceLoaderTests.pipeline(source: "{type: csv, path: '\(path)'}"), to: "p/p.yml")
            return try PipelineLoader(allowedRoots: allowedRoots).load(path: file, displayPath: "Pipelines/p.yml")
        }

        func link(_ name: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(
                atPath: scratch.url.appendingPathComponent("p/\(name)").path, withDestinationPath: target)
        }

        /// The refusal of `path`: its line and problem.
        func refusal(_ path: String) throws -> (line: Int?, problem: String, status: Int32, code: PipelineFailure.Code?) {
            let error = failure { try load(path: path) } as? PipelineFailure
            guard case let .invalidDefinition(location, problem, code)? = error else {
                Issue.record("expected a definition error, got \(String(describing: error))")
                return (nil, "", 0, nil)
            }
            return (location.line, problem, error?.exitStatus ?? 0, code)
        }

        func expectedProblem(_ path: String, resolved: String) -> String {
            "the path '\(path)' resolves to '\(resolved)', outside the pipeline's folder \(folder): "
                + "expected a file inside it (other folders are read only when named with --allow-root)"
        }
    }

    @Test(arguments: ["../outside/secret.csv", "data/../../outside/secret.csv", "../../../../../../../../../../etc/passwd"])
    func aPathThatClimbsOutIsRefusedAtLoadTime(path: String) throws {
        let layout = try Layout()
        let refusal = try layout.refusal(path)
        let resolved = path.hasSuffix("passwd") ? "/etc/passwd" : "\(layout.outside)/secret.csv"
        #expect(refusal.line == 12)
        #expect(refusal.status == 78)
        #expect(refusal.code == .sourceOutsideFolder)
        #expect(refusal.problem == layout.expectedProblem(path, resolved: resolved))
    }

    @Test func aFileSymlinkPointingOutsideIsRefusedWithoutReadingIt() throws {
        let layout = try Layout()
        try layout.link("data/link.csv", to: "\(layout.outside)/secret.csv")
        let refusal = try layout.refusal("data/link.csv")
        #expect(refusal.line == 12)
        #expect(refusal.problem == layout.expectedProblem("data/link.csv", resolved: "\(layout.outside)/secret.csv"))
        #expect(!refusal.problem.contains("secret line"))
    }

    @Test func aDirectorySymlinkPointingOutsideIsRefused() throws {
        let layout = try Layout()
        try layout.link("etc", to: "/etc")
        let refusal = try layout.refusal("etc/passwd")
        #expect(refusal.problem == layout.expectedProblem("etc/passwd", resolved: "/etc/passwd"))
        // A missing file behind the link is refused the same way: it would be outside.
        let missing = try layout.refusal("etc/no-such-file.csv")
        #expect(missing.problem == layout.expectedProblem("etc/no-such-file.csv", resolved: "/etc/no-such-file.csv"))
    }

    @Test func aSymlinkInsideTheFolderIsReadThroughItsRealPath() throws {
        let layout = try Layout()
        try layout.link("current.csv", to: "data/d.csv")
        let pipeline = try layout.load(path: "current.csv")
        let extractor = try #require(pipeline.datasets.first?.extractor as? CSVExtractor)
        #expect(extractor.path == "\(layout.folder)/data/d.csv")
        #expect(extractor.displayPath == "Pipelines/current.csv")
        // A file that does not exist yet resolves inside the folder and fails only when read.
        let missing = try layout.load(path: "data/later.csv")
        #expect((missing.datasets.first?.extractor as? CSVExtractor)?.path == "\(layout.folder)/data/later.csv")
    }

    @Test func anAllowedRootAdmitsItsFilesAndNoOthers() throws {
        let layout = try Layout()
        let pipeline = try layout.load(path: "../outside/secret.csv", allowedRoots: [layout.outside])
        #expect((pipeline.datasets.first?.extractor as? CSVExtractor)?.path == "\(layout.outside)/secret.csv")
        let error = failure { try layout.load(path: "../../../../../../../../etc/passwd", allowedRoots: [layout.outside]) }
        guard case let .invalidDefinition(_, problem, code)? = error as? PipelineFailure else {
            Issue.record("expected a definition error, got \(String(describing: error))")
            return
        }
        #expect(code == .sourceOutsideFolder)
        #expect(
            problem == "the path '../../../../../../../../etc/passwd' resolves to '/etc/passwd', outside the pipeline's folder "
                + "\(layout.folder) or the allowed roots \(layout.outside): expected a file inside it "
                + "(other folders are read only when named with --allow-root)")
    }

    @Test func aFolderNamedLikeThePipelinesIsNotInsideIt() {
        #expect(SourcePath.path("/srv/p/data.csv", isInside: "/srv/p"))
        #expect(!SourcePath.path("/srv/p-other/data.csv", isInside: "/srv/p"))
        #expect(SourcePath.path("/srv/p", isInside: "/srv/p"))
    }
}
