import Foundation
import Yams

/// Reads a pipeline file, checks every key, type, field and expression, and
/// builds the stages of each dataset. A pipeline that loads is one that can run:
/// what remains to fail is the data.
///
/// Paths inside a pipeline file are relative to that file, so a copied
/// `Pipelines/` folder runs anywhere.
public struct PipelineLoader: Sendable {
    public var limits: DefinitionLimits
    /// Folders outside a pipeline file's own from which its sources may be read
    /// (`--allow-root`); none by default.
    public var allowedRoots: [String]

    public init(limits: DefinitionLimits = DefinitionLimits(), allowedRoots: [String] = []) {
        self.limits = limits
        self.allowedRoots = allowedRoots
    }

    /// Loads the pipeline in `path`; `displayPath` is how messages name the file. A failure
    /// placed on a line of the file carries that line as its location's excerpt.
    public func load(path: String, displayPath: String? = nil) throws(PipelineFailure) -> Pipeline {
        do {
            return try loadDefinition(path: path, displayPath: displayPath)
        } catch {
            let shown = displayPath ?? path
            throw error.relocated { $0.file == shown ? $0.withExcerpt(fromFile: path, maximumBytes: limits.maximumFileBytes) : $0 }
        }
    }

    private func loadDefinition(path: String, displayPath: String?) throws(PipelineFailure) -> Pipeline {
        let shown = displayPath ?? path
        let root = DefinitionNode(
            node: try YAMLSource.load(file: path, displayPath: shown, limits: limits), file: shown, path: "")
        let sourcePath = SourcePath(
            directory: URL(fileURLWithPath: path).deletingLastPathComponent(), allowedRoots: allowedRoots)
        let shownDirectory = (shown as NSString).deletingLastPathComponent
        let keys = try root.mapping(allowed: [
            "id", "title", "description", "publisher", "license", "baseURL", "timeZone", "sources", "datasets",
            "calendar", "database",
        ])
        let id = try Self.identifier(keys.required("id"))
        let sources = try keys["sources"].map(Self.citations) ?? []
        let baseURLNode = try keys.required("baseURL")
        let baseURL = try baseURLNode.nonEmptyString()
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else {
            throw baseURLNode.fail("expected an absolute http or https URL such as https://opendata.example.gov.vn")
        }
        let timeZoneNode = try keys.required("timeZone")
        guard let timeZone = TimeZone(identifier: try timeZoneNode.string()) else {
            throw timeZoneNode.fail("expected a time zone name such as Asia/Ho_Chi_Minh")
        }
        let datasetNodes = try keys.required("datasets").sequence()
        guard !datasetNodes.isEmpty else { throw try keys.required("datasets").fail("expected at least one dataset") }
        var datasets: [Dataset] = []
        for node in datasetNodes {
            let dataset = try DatasetLoader(
                sourcePath: sourcePath, shownDirectory: shownDirectory, pipelineSources: sources, pipelineID: id,
                timeZone: timeZone, earlier: datasets
            ).load(node)
            if datasets.contains(where: { $0.id == dataset.id }) {
                throw node.fail("a dataset with id '\(dataset.id)' is already declared in this pipeline", code: .duplicateName)
            }
            datasets.append(dataset)
        }
        let calendar = try keys["calendar"].map { node throws(PipelineFailure) in
            try CalendarLoader(timeZone: timeZone, datasets: datasets).load(node)
        }
        let publishesDatabase = try keys["database"]?.boolean() ?? true
        var pipeline = Pipeline(
            id: id,
            title: try Self.localized(keys.required("title")),
            description: try Self.localized(keys.required("description")),
            publisher: try Self.publisher(keys.required("publisher")),
            license: try Self.license(keys.required("license")),
            baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL,
            timeZone: timeZone,
            sources: sources,
            datasets: datasets,
            file: shown,
            filePath: path,
            calendar: calendar ?? [])
        pipeline.publishesDatabase = publishesDatabase
        return pipeline
    }

    /// An id that can stand in a URL and a file name: lowercase letters, digits and dashes.
    static func identifier(_ node: DefinitionNode) throws(PipelineFailure) -> String {
        let text = try node.string()
        let allowed = text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard allowed, !text.isEmpty, text.count <= 64, text.first != "-" else {
            throw node.fail("expected an id of lowercase letters, digits and dashes (it becomes part of URLs), found '\(text)'")
        }
        return text
    }

    static func localized(_ node: DefinitionNode) throws(PipelineFailure) -> LocalizedText {
        let keys = try node.mapping(allowed: ["vi", "en"])
        return LocalizedText(vi: try keys.required("vi").nonEmptyString(), en: try keys.required("en").nonEmptyString())
    }

    static func citations(_ node: DefinitionNode) throws(PipelineFailure) -> [Citation] {
        var citations: [Citation] = []
        for item in try node.sequence() {
            let keys = try item.mapping(allowed: ["title", "path"])
            citations.append(Citation(title: try keys.required("title").nonEmptyString(), path: try keys["path"].map(link)))
        }
        return citations
    }

    private static func publisher(_ node: DefinitionNode) throws(PipelineFailure) -> Publisher {
        let keys = try node.mapping(allowed: ["name", "url"])
        return Publisher(name: try keys.required("name").nonEmptyString(), url: try keys["url"].map(link))
    }

    private static func license(_ node: DefinitionNode) throws(PipelineFailure) -> License {
        let keys = try node.mapping(allowed: ["name", "title", "path"])
        return License(
            name: try keys.required("name").nonEmptyString(), title: try keys["title"]?.string(),
            path: try keys["path"].map(link))
    }

    /// A URL that pages and feeds make a link of: http(s) or relative, never `javascript:` or another scheme.
    static func link(_ node: DefinitionNode) throws(PipelineFailure) -> String {
        let text = try node.string()
        guard MarkupText.isSafeLink(text) else {
            throw node.fail(
                "expected an http or https URL (or a relative path) without spaces, found '\(text.prefix(80))'; "
                    + "pages and feeds make a link of it")
        }
        return text
    }
}
