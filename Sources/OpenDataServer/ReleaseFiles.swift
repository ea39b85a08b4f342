public import Foundation
import OpenDataPipeline

/// Looks up the file a request path names under the served release, safely.
///
/// The path is percent-decoded once; a path with `..`, `\`, a NUL, or any
/// component starting with `.` is refused, and the file's real path (links
/// resolved) must still lie under the real path of the release folder, which
/// is resolved again for every request so that a new release is served as
/// soon as `current` switches.
public struct ReleaseFiles: Sendable {
    /// The folder served, usually `Output/current` (a link to the newest release).
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// What a request path names.
    public enum Lookup: Equatable, Sendable {
        /// A file: its real path, the real path of the release folder, and its path below it.
        case file(path: String, release: String, relative: String)
        /// A folder named without its final slash: answered by a redirect to the slash, so its relative links resolve.
        case folderWithoutSlash
        case notFound
    }

    /// The real path of the file for `requestPath`, or nil when there is none
    /// or the path would leave the release folder.
    public func file(for requestPath: String) -> String? {
        if case let .file(path, _, _) = lookup(requestPath) { return path }
        return nil
    }

    /// The file, or folder without its slash, that `requestPath` names; `.notFound`
    /// when there is none or the path would leave the release folder.
    public func lookup(_ requestPath: String) -> Lookup {
        let withoutQuery = requestPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard let decoded = withoutQuery.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\") else {
            return .notFound
        }
        let components = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.contains(where: { $0 == ".." || $0.hasPrefix(".") }) else { return .notFound }
        var relative = components.joined(separator: "/")
        if decoded.hasSuffix("/") || relative.isEmpty {
            relative += relative.isEmpty ? "index.html" : "/index.html"
        }
        let base = root.resolvingSymlinksInPath().path
        let candidate = URL(fileURLWithPath: base).appendingPathComponent(relative).resolvingSymlinksInPath().path
        guard candidate.hasPrefix(base + "/") else { return .notFound }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) else { return .notFound }
        if isDirectory.boolValue {
            let index = candidate + "/index.html"
            guard FileManager.default.fileExists(atPath: index) else { return .notFound }
            return .folderWithoutSlash
        }
        return .file(path: candidate, release: base, relative: String(candidate.dropFirst(base.count + 1)))
    }

    /// The media type to serve a published file with, with its charset for text: a dataset's file in
    /// `data/` as its output format declares it, the site's own files by their names.
    public static func contentType(for path: String) -> String {
        let name = (path as NSString).lastPathComponent
        if (path as NSString).deletingLastPathComponent.hasSuffix("/data"), let type = OutputFormats.contentType(ofDataFile: name) {
            return type
        }
        switch true {
        case name.hasSuffix(".html"): return "text/html; charset=utf-8"
        case name.hasSuffix(".css"): return "text/css; charset=utf-8"
        case name.hasSuffix(".rss"): return "application/rss+xml; charset=utf-8"
        case name.hasSuffix(".atom"): return "application/atom+xml; charset=utf-8"
        case name.hasPrefix("feed") && name.hasSuffix(".json"), path.contains("/feeds/") && name.hasSuffix(".json"):
            return "application/feed+json; charset=utf-8"
        case name.hasSuffix(".jsonld"): return "application/ld+json; charset=utf-8"
        case name.hasSuffix(".json"): return "application/json; charset=utf-8"
        case name.hasSuffix(".svg"): return "image/svg+xml; charset=utf-8"
        case name.hasSuffix(".ics"): return "text/calendar; charset=utf-8"
        case name == "SHA256SUMS": return "text/plain; charset=utf-8"
        case name.hasSuffix(ReleaseLayout.databaseSuffix): return ReleaseLayout.databaseMediaType
        default: return "application/octet-stream"
        }
    }

    /// Types worth compressing: text, which every type here names with its charset (a workbook's
    /// type names "openxml" but is a ZIP archive already).
    static func isText(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.contains("charset=")
    }
}
