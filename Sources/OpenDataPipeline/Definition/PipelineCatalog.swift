import Foundation

/// Finds pipeline files: every `*.yml` or `*.yaml` in a folder but the site file
/// (`site.yml`, ``SiteDefinition``), or the files and ids a user names on the command line.
public struct PipelineCatalog: Sendable {
    /// The folder holding the pipeline files (`Pipelines/` by default).
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The pipeline files of the folder, sorted by name.
    public func files() throws(PipelineFailure) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw PipelineFailure.invalidDefinition(
                SourceLocation(file: directory), problem: "cannot list the pipelines folder (does it exist?)", code: .unknownPipeline)
        }
        let files = names.filter { ($0.hasSuffix(".yml") || $0.hasSuffix(".yaml")) && $0 != SiteDefinition.fileName }.sorted()
        guard !files.isEmpty else {
            throw PipelineFailure.invalidDefinition(
                SourceLocation(file: directory), problem: "no pipeline files (*.yml, *.yaml) in this folder", code: .unknownPipeline)
        }
        return files.map { (directory as NSString).appendingPathComponent($0) }
    }

    /// The files for `names`: each a path to a pipeline file, or the id of one in the folder.
    public func files(named names: [String]) throws(PipelineFailure) -> [String] {
        guard !names.isEmpty else { return try files() }
        var result: [String] = []
        for name in names {
            if name == "site" || (name as NSString).lastPathComponent == SiteDefinition.fileName {
                throw PipelineFailure.invalidDefinition(
                    SourceLocation(file: name),
                    problem: "\(SiteDefinition.fileName) is the site file (the site's title, publisher and baseURL), not a pipeline",
                    code: .unknownPipeline)
            }
            if FileManager.default.fileExists(atPath: name), name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
                result.append(name)
                continue
            }
            let candidates = ["\(name).yml", "\(name).yaml"].map { (directory as NSString).appendingPathComponent($0) }
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw PipelineFailure.invalidDefinition(
                    SourceLocation(file: name),
                    problem: "no such pipeline: expected a pipeline file, or an id with a file \(candidates[0])", code: .unknownPipeline)
            }
            result.append(found)
        }
        return result
    }
}
