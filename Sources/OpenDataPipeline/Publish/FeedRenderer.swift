import Foundation
import LibXML

/// Renders feed entries as RSS 2.0, Atom 1.0 and JSON Feed 1.1, one file per
/// format and language, for one scope (the site, a pipeline, a dataset).
///
/// RSS and Atom are written with libxml2's writer, which escapes every text
/// and attribute (control characters that XML forbids are dropped first).
/// Feed readers render an RSS `<description>` as HTML, so its plain text is
/// escaped for HTML first (escaped HTML carried in XML); titles are plain text,
/// Atom's summary is `type="text"` and JSON Feed has only `content_text`.
struct FeedRenderer {
    /// What a set of feeds is about, and where it lives.
    struct Scope {
        var title: LocalizedText
        var description: LocalizedText
        /// The page the feed is about (the folder URL until the site has pages).
        var homeURL: String
        /// The URL of the folder holding the feed files.
        var folderURL: String
        /// File name without extension, relative to the folder: `feed` or `feeds/<dataset>`.
        var stem: String
        /// A permanent id for Atom: a `tag:` URI.
        var id: String
        var publisher: Publisher
        var updated: Date
        var timeZone: TimeZone
    }

    static let atomNamespace = "http://www.w3.org/2005/Atom"

    /// Relative path and bytes of every feed file of the scope.
    static func render(_ scope: Scope, entries: [FeedEntry]) throws -> [(path: String, bytes: [UInt8])] {
        let shown = Array(entries.prefix(FeedHistory.feedItems))
        var files: [(String, [UInt8])] = []
        for language in Language.allCases {
            let suffix = language == .vi ? "" : ".\(language.rawValue)"
            files.append(("\(scope.stem)\(suffix).rss", try rss(scope, shown, language, file: "\(scope.stem)\(suffix).rss")))
            files.append(("\(scope.stem)\(suffix).atom", try atom(scope, shown, language, file: "\(scope.stem)\(suffix).atom")))
            files.append(("\(scope.stem)\(suffix).json", try jsonFeed(scope, shown, language, file: "\(scope.stem)\(suffix).json")))
        }
        return files
    }

    static func rss(_ scope: Scope, _ entries: [FeedEntry], _ language: Language, file: String) throws -> [UInt8] {
        try XMLWriter.document { writer throws(XMLError) in
            try writer.element("rss", attributes: ["version": "2.0", "xmlns:atom": atomNamespace]) { rss throws(XMLError) in
                try rss.element("channel") { out throws(XMLError) in
                    try out.element("title", text: scope.title[language])
                    try out.element("link", text: scope.homeURL)
                    try out.element("description", text: MarkupText.escaped(scope.description[language]))
                    try out.element("language", text: language.rawValue)
                    try out.element("lastBuildDate", text: FeedDate.rfc822(scope.updated, in: scope.timeZone))
                    try out.element("generator", text: "opendata-pipeline \(ToolVersion.current)")
                    try out.element(
                        "atom:link",
                        attributes: ["href": "\(scope.folderURL)/\(file)", "rel": "self", "type": "application/rss+xml"])
                    for entry in entries {
                        try out.element("item") { item throws(XMLError) in
                            try item.element("title", text: entry.title(language))
                            try item.element("link", text: entry.link(language))
                            try item.element("description", text: MarkupText.escaped(entry.summary(language)))
                            try item.element("guid", attributes: ["isPermaLink": "false"]) { element throws(XMLError) in try element.text(entry.id) }
                            try item.element("pubDate", text: FeedDate.rfc822(entry.date, in: entry.zone))
                            // RSS allows one enclosure an item: the file for people (the Excel CSV).
                            if let enclosure = entry.enclosures.first {
                                try item.element(
                                    "enclosure",
                                    attributes: ["url": enclosure.url, "length": String(enclosure.bytes), "type": enclosure.type])
                            }
                        }
                    }
                }
            }
        }
    }

    static func atom(_ scope: Scope, _ entries: [FeedEntry], _ language: Language, file: String) throws -> [UInt8] {
        try XMLWriter.document { writer throws(XMLError) in
            try writer.element("feed", attributes: ["xmlns": atomNamespace, "xml:lang": language.rawValue]) { feed throws(XMLError) in
                try feed.element("id", text: scope.id + (language == .vi ? "" : ":\(language.rawValue)"))
                try feed.element("title", text: scope.title[language])
                try feed.element("subtitle", text: scope.description[language])
                try feed.element("updated", text: FeedDate.rfc3339(scope.updated, in: scope.timeZone))
                try feed.element("link", attributes: ["rel": "self", "type": "application/atom+xml", "href": "\(scope.folderURL)/\(file)"])
                try feed.element("link", attributes: ["rel": "alternate", "type": "text/html", "href": scope.homeURL])
                try feed.element("author") { author throws(XMLError) in
                    try author.element("name", text: scope.publisher.name)
                    if let url = scope.publisher.url { try author.element("uri", text: url) }
                }
                try feed.element("generator", attributes: ["version": ToolVersion.current]) { element throws(XMLError) in
                    try element.text("opendata-pipeline")
                }
                for entry in entries {
                    try feed.element("entry") { out throws(XMLError) in
                        try out.element("id", text: entry.id + (language == .vi ? "" : ":\(language.rawValue)"))
                        try out.element("title", text: entry.title(language))
                        try out.element("updated", text: FeedDate.rfc3339(entry.date, in: entry.zone))
                        try out.element("published", text: FeedDate.rfc3339(entry.date, in: entry.zone))
                        try out.element("link", attributes: ["rel": "alternate", "type": "text/html", "href": entry.link(language)])
                        for enclosure in entry.enclosures {
                            try out.element(
                                "link",
                                attributes: [
                                    "rel": "enclosure", "href": enclosure.url, "type": enclosure.type,
                                    "length": String(enclosure.bytes),
                                ])
                        }
                        try out.element("summary", attributes: ["type": "text"]) { element throws(XMLError) in
                            try element.text(entry.summary(language))
                        }
                    }
                }
            }
        }
    }

    static func jsonFeed(_ scope: Scope, _ entries: [FeedEntry], _ language: Language, file: String) throws -> [UInt8] {
        var author: [String: Any] = ["name": scope.publisher.name]
        if let url = scope.publisher.url { author["url"] = url }
        let items: [[String: Any]] = entries.map { entry in
            [
                "id": entry.id + (language == .vi ? "" : ":\(language.rawValue)"),
                "url": entry.link(language),
                "title": entry.title(language),
                "content_text": entry.summary(language),
                "date_published": FeedDate.rfc3339(entry.date, in: entry.zone),
                "language": language.rawValue,
                "attachments": entry.enclosures.map { ["url": $0.url, "mime_type": $0.type, "size_in_bytes": $0.bytes] },
            ]
        }
        let feed: [String: Any] = [
            "version": "https://jsonfeed.org/version/1.1",
            "title": scope.title[language],
            "description": scope.description[language],
            "home_page_url": scope.homeURL,
            "feed_url": "\(scope.folderURL)/\(file)",
            "language": language.rawValue,
            "authors": [author],
            "items": items,
        ]
        var bytes = try JSONWriter.serialize(feed, path: file, pretty: true)
        bytes.append(0x0A)
        return bytes
    }
}
