import Foundation

/// What a pipeline's pages depend on besides its own folder: the templates,
/// the tool's version and the site's URL. When the current release's pages
/// were rendered with the same key, the pages of a pipeline carried forward
/// are its current pages byte for byte, and are linked rather than rendered.
/// The key of the current release is kept in `Output/.pages.json` (outside
/// every release; a missing or stale record only means every page is rendered).
enum PageKey {
    struct Record: Codable, Equatable {
        var release: String
        var key: String
    }

    static func key(templates: SiteTemplates, site: String) -> String {
        Digest.sha256(Array("\(ToolVersion.current)\u{0}\(templates.digest)\u{0}\(site)".utf8))
    }

    /// The key recorded for release `id`, if the record is about it.
    static func recorded(in output: URL, release id: String?) -> String? {
        guard let id, let data = LocalFile.contents(atPath: output.appendingPathComponent(ReleaseLayout.pageRecord).path),
            let record = try? JSONDecoder().decode(Record.self, from: data), record.release == id
        else { return nil }
        return record.key
    }

    /// Records the key of the pages of release `id` (atomically; a record that cannot be written only costs rendering).
    static func record(_ key: String, release id: String, in output: URL) {
        guard let data = try? JSONEncoder().encode(Record(release: id, key: key)) else { return }
        try? LocalFile.replace(output.appendingPathComponent(ReleaseLayout.pageRecord).path, with: Array(data))
    }
}
