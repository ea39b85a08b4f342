import Foundation

/// What a release holds and what made it: written as `release.json` at the
/// release's root, read back by the next run to decide what changed.
public struct ReleaseManifest: Codable, Sendable, Equatable {
    public var id: String
    /// The release's place in the store: one more than any release before it.
    /// Releases are ordered by it, never by id or time (a clock can go back).
    public var sequence: Int?
    /// The release time (UTC, RFC 3339).
    public var created: String
    public var generator: Generator
    public var pipelines: [String: PipelineEntry]
    /// Every file of the release but `release.json` and `SHA256SUMS`, sorted by path.
    public var files: [FileEntry]
    /// The publisher's note (`--note`) and whether the release is a correction (`--correction`); absent when not given.
    public var note: String?
    public var correction: Bool?

    public struct Generator: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
    }

    public struct PipelineEntry: Codable, Sendable, Equatable {
        /// SHA-256 over the tool version, the pipeline file and every source file.
        public var fingerprint: String?
        public var inputs: [InputEntry]
        /// The release that last changed anything in this pipeline's folder.
        public var release: String
        /// SHA-256 of the pipeline's own metadata (titles, publisher, licence…), without dates.
        public var metadataSHA256: String
        public var datasets: [String: DatasetEntry]
        /// The pipeline's stable URL (`<baseURL>/<pipeline>`, served from `current`), and the
        /// immutable one of this release (`<baseURL>/releases/<id>/<pipeline>`).
        public var url: String?
        public var releaseURL: String?
    }

    public struct InputEntry: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
    }

    public struct DatasetEntry: Codable, Sendable, Equatable {
        /// SHA-256 of the published rows in canonical form (header, then one line a row).
        public var dataSHA256: String
        /// SHA-256 of the dataset's metadata without dates.
        public var metadataSHA256: String
        /// When the rows last changed, and when the metadata last changed (RFC 3339, pipeline zone).
        public var dataModified: String
        public var metadataModified: String
        /// The release in which the rows last changed.
        public var dataRelease: String
        /// The files of the dataset, relative to the pipeline's folder.
        public var files: [String]
        public var rows: Int
    }

    public struct FileEntry: Codable, Sendable, Equatable {
        public var path: String
        public var bytes: Int
        public var sha256: String
    }

    static func read(from url: URL) -> ReleaseManifest? {
        guard let data = LocalFile.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(ReleaseManifest.self, from: data)
    }

    /// `<baseURL>/releases/<id>/<pipeline>` from the stable `<baseURL>/<pipeline>`.
    static func releaseURL(stable: String, pipeline: String, release: String) -> String {
        let base = stable.hasSuffix("/\(pipeline)") ? String(stable.dropLast(pipeline.count + 1)) : stable
        return "\(base)/releases/\(release)/\(pipeline)"
    }

    func encoded() throws(PipelineFailure) -> [UInt8] {
        try StableJSON.encode(self, file: ReleaseLayout.manifest)
    }
}

/// JSON as the tool writes its own records (manifests, histories): sorted keys,
/// indented, no escaped slashes, a final line break; the same bytes for the same value.
enum StableJSON {
    static func encode(_ value: some Encodable, file: String) throws(PipelineFailure) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(value)) + [0x0A]
        } catch {
            throw PipelineFailure.cannotPublish(path: file, reason: "cannot encode as JSON: \(error)")
        }
    }
}
