import Foundation

/// The identity of the published site, from `site.yml` beside the pipeline files:
/// the site feeds' title, id and self links, the catalogue's publisher, contact
/// and languages. It belongs to the site, so adding or removing a pipeline never
/// changes it. Without the file, ``fallback(_:expectedFile:)`` derives it from
/// what every pipeline shares.
public struct SiteDefinition: Sendable, Equatable {
    public var title: LocalizedText
    public var publisher: Publisher
    /// The site's root URL without a trailing slash.
    public var baseURL: String
    public var contactEmail: String?
    /// ISO 639-1 codes of the languages the site publishes in, each one of ``SiteDefinition/languageAuthority``'s.
    public var languages: [String]
    /// The site file as shown to the user; nil for the fallback.
    public var file: String?

    public static let fileName = "site.yml"
    /// The title without a site file.
    static let fallbackTitle = LocalizedText(vi: "Dữ liệu mở", en: "Open data")

    /// ISO 639-1 codes and their EU Publications Office language authority code (for DCAT-AP).
    static let languageAuthority: [(code: String, authority: String)] = [
        ("vi", "VIE"), ("en", "ENG"), ("fr", "FRA"), ("de", "DEU"), ("es", "SPA"), ("ru", "RUS"), ("zh", "ZHO"), ("ja", "JPN"),
        ("ko", "KOR"), ("km", "KHM"), ("lo", "LAO"), ("th", "THA"),
    ]

    var host: String { URL(string: baseURL)?.host ?? "localhost" }
    /// The site feeds' permanent Atom id (`tag:` URI, dated as the pipelines' feed ids are).
    var feedID: String { "tag:\(host),2018:site" }

    /// The site file of the folder that holds the first pipeline file (as for the page templates);
    /// nil when there is none. A file that is not valid is an error (78) at its line and column.
    public static func load(besidePipelines pipelines: [Pipeline]) throws(PipelineFailure) -> SiteDefinition? {
        guard let first = pipelines.first else { return nil }
        let path = URL(fileURLWithPath: first.filePath).deletingLastPathComponent().appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try load(path: path, displayPath: shownPath(besidePipelines: pipelines))
    }

    /// Where the site file is (or would be), as messages name it.
    static func shownPath(besidePipelines pipelines: [Pipeline]) -> String {
        (((pipelines.first?.file ?? "Pipelines/x.yml") as NSString).deletingLastPathComponent as NSString).appendingPathComponent(fileName)
    }

    public static func load(path: String, displayPath: String? = nil, limits: DefinitionLimits = DefinitionLimits())
        throws(PipelineFailure) -> SiteDefinition
    {
        let shown = displayPath ?? path
        do {
            return try read(path: path, shown: shown, limits: limits)
        } catch {
            throw error.relocated { $0.file == shown ? $0.withExcerpt(fromFile: path, maximumBytes: limits.maximumFileBytes) : $0 }
        }
    }

    private static func read(path: String, shown: String, limits: DefinitionLimits) throws(PipelineFailure) -> SiteDefinition {
        let root = DefinitionNode(node: try YAMLSource.load(file: path, displayPath: shown, limits: limits), file: shown, path: "")
        let keys = try root.mapping(allowed: ["title", "publisher", "baseURL", "contact", "languages"])
        let baseURLNode = try keys.required("baseURL")
        let baseURL = try baseURLNode.nonEmptyString()
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
            MarkupText.isSafeLink(baseURL)
        else {
            throw baseURLNode.fail("expected an absolute http or https URL such as https://opendata.example.gov.vn, found '\(baseURL.prefix(80))'")
        }
        let publisherKeys = try keys.required("publisher").mapping(allowed: ["name", "url"])
        let publisher = Publisher(
            name: try publisherKeys.required("name").nonEmptyString(), url: try publisherKeys["url"].map(PipelineLoader.link))
        var email: String?
        if let contact = keys["contact"] {
            let node = try contact.mapping(allowed: ["email"]).required("email")
            let text = try node.string()
            guard isEmailAddress(text) else {
                throw node.fail("expected an e-mail address such as opendata@example.gov.vn, found '\(text.prefix(80))'")
            }
            email = text
        }
        var languages = ["vi", "en"]
        if let node = keys["languages"] {
            let items = try node.sequence()
            guard !items.isEmpty else { throw node.fail("expected at least one language code") }
            languages = []
            for item in items {
                let code = try item.string()
                guard languageAuthority.contains(where: { $0.code == code }) else {
                    throw item.fail(
                        "unknown language '\(code.prefix(20))'; expected one of: \(languageAuthority.map(\.code).joined(separator: ", "))")
                }
                guard !languages.contains(code) else { throw item.fail("the language '\(code)' is listed twice", code: .duplicateName) }
                languages.append(code)
            }
        }
        return SiteDefinition(
            title: try PipelineLoader.localized(keys.required("title")), publisher: publisher,
            baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL, contactEmail: email, languages: languages,
            file: shown)
    }

    /// `local@domain.tld`: one `@`, no spaces or control characters, a dot in the domain.
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, text.count <= 254 else { return false }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix(".") else { return false }
        return !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || "<>()[]\\,;:\"".unicodeScalars.contains($0) }
    }

    /// The identity without a site file: the base URL and the publisher that every pipeline of the
    /// release shares, titled "Dữ liệu mở" / "Open data". Pipelines that disagree have no common
    /// identity, so that is an error (78) asking for the site file rather than a guess that a new
    /// pipeline could change.
    static func fallback(_ pipelines: [SiteCatalog.PipelineFolder], expectedFile: String) throws(PipelineFailure) -> SiteDefinition {
        var roots: [(pipeline: String, root: String)] = []
        var publishers: [(pipeline: String, publisher: Publisher)] = []
        for pipeline in pipelines {
            let homepage = pipeline.package.homepage
            let root = homepage.hasSuffix("/\(pipeline.id)") ? String(homepage.dropLast(pipeline.id.count + 1)) : homepage
            roots.append((pipeline.id, root))
            if let contributor = pipeline.package.contributors.first {
                publishers.append((pipeline.id, Publisher(name: contributor.title, url: contributor.path)))
            }
        }
        func disagreement(_ what: String, _ values: [(String, String)]) -> PipelineFailure {
            .invalidDefinition(
                SourceLocation(file: expectedFile),
                problem: "there is no site file, and the pipelines give different \(what) ("
                    + values.map { "\($0.0): \($0.1.prefix(80))" }.joined(separator: "; ")
                    + "): write this file with the site's title, publisher and baseURL (see docs/pipeline-format.md, \"Site\")")
        }
        if Set(roots.map(\.root)).count > 1 { throw disagreement("baseURLs", roots.map { ($0.pipeline, $0.root) }) }
        if Set(publishers.map(\.publisher)).count > 1 {
            throw disagreement("publishers", publishers.map { ($0.pipeline, $0.publisher.name) })
        }
        return SiteDefinition(
            title: fallbackTitle, publisher: publishers.first?.publisher ?? Publisher(name: "opendata-pipeline", url: nil),
            baseURL: roots.first?.root ?? "https://localhost", contactEmail: nil, languages: ["vi", "en"], file: nil)
    }

    /// What `catalog.json` records of the identity (`siteIdentity`), so that a run notices a
    /// change of the site file alone and publishes the site again.
    var record: [String: Any] {
        var record: [String: Any] = [
            "fromFile": file != nil, "title": ["vi": title.vi, "en": title.en], "baseURL": baseURL, "languages": languages,
            "publisher": ["name": publisher.name, "url": publisher.url.map { $0 as Any } ?? NSNull()] as [String: Any],
        ]
        record["contactEmail"] = contactEmail.map { $0 as Any } ?? NSNull()
        return record
    }

    /// The record's bytes, keys sorted: what a change of the identity is compared by.
    var recordBytes: Data { Self.sortedBytes(record) ?? Data() }

    private static func sortedBytes(_ object: Any) -> Data? { try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }

    /// Whether `site` (nil: no site file) differs from the identity the release in `folder` recorded.
    static func changed(_ site: SiteDefinition?, sinceReleaseIn folder: URL) -> Bool {
        let catalog = LocalFile.contents(atPath: folder.appendingPathComponent(ReleaseLayout.catalog).path)
        let recorded = (catalog.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any])?["siteIdentity"]
        guard let site else { return ((recorded as? [String: Any])?["fromFile"] as? Bool) == true }
        guard let recorded else { return true }
        return sortedBytes(recorded) != site.recordBytes
    }

    /// The warning a run logs when it uses the fallback, naming what it chose.
    var fallbackWarning: String {
        "no site file \(Self.fileName) beside the pipeline files: the site feeds and catalogue use baseURL \(baseURL), "
            + "title '\(title.vi)' / '\(title.en)', publisher '\(publisher.name)', feed id \(feedID) "
            + "(write \(Self.fileName) to fix the site's identity)"
    }
}
