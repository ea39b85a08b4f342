import Foundation

/// One publication of one dataset, as every feed shows it: kept in each
/// pipeline's `history.json` (newest first) and rendered into RSS, Atom and
/// JSON Feed, in Vietnamese and English.
public struct FeedEntry: Codable, Sendable, Equatable {
    /// Permanent and unique: `tag:<host>,<day>:<pipeline>/<dataset>/<release>`. A
    /// correction is a new release, so it gets its own entry and id.
    public var id: String
    public var pipeline: String
    public var dataset: String
    public var release: String
    /// Seconds since 1970 (the release time) and the zone feeds write it in.
    public var timestamp: Double
    public var timeZone: String
    public var title: [String: String]
    /// Plain text stating the figures, or what was revised, in words and numbers.
    public var summary: [String: String]
    /// The dataset's page in Vietnamese (the entry's link when no language is asked for).
    public var link: String
    /// The dataset's page per language (`vi`, `en`); absent in histories written before pages existed.
    public var pages: [String: String]?
    public var enclosures: [Enclosure]
    /// What the entry announces besides new figures (absent for a plain publication), and the release's note.
    public var kind: Kind?
    public var note: String?

    public enum Kind: String, Codable, Sendable {
        /// Figures published before were changed or removed.
        case revision
        /// The release corrects an error (`--correction`).
        case correction
        /// A release of the calendar was postponed, or cancelled.
        case postponement, cancellation
    }

    public struct Enclosure: Codable, Sendable, Equatable {
        public var url: String
        public var bytes: Int
        public var type: String
    }

    var date: Date { Date(timeIntervalSince1970: timestamp) }
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }

    /// The page a reader of `language` is sent to.
    func link(_ language: Language) -> String { pages?[language.rawValue] ?? link }

    func title(_ language: Language) -> String { title[language.rawValue] ?? title["vi"] ?? "" }
    func summary(_ language: Language) -> String { summary[language.rawValue] ?? summary["vi"] ?? "" }
}

/// A pipeline's feed history, `history.json`: every entry ever published,
/// newest first, up to ``maximumEntries`` (the feeds show the newest ``feedItems``;
/// older releases keep their own copies).
struct FeedHistory: Codable, Equatable {
    static let maximumEntries = 500
    static let feedItems = 50

    var entries: [FeedEntry]

    /// The history in a pipeline folder of a release: nil when there is none; one that
    /// does not decode is an error naming the file (never silently a new, empty history).
    static func read(pipelineFolder folder: URL) throws(PipelineFailure) -> FeedHistory? {
        try ReleaseDocument.read(FeedHistory.self, pipelineFolder: folder, file: ReleaseLayout.history, expected: "a feed history")
    }

    func encoded() throws(PipelineFailure) -> [UInt8] {
        try StableJSON.encode(self, file: ReleaseLayout.history)
    }
}
