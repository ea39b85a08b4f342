import LibXML

/// Writes an RSS 2.0 feed with libxml2's writer, which escapes every text and
/// attribute; control characters that XML forbids are dropped first.
///
/// The channel has the elements RSS 2.0 requires (title, link, description)
/// plus language, lastBuildDate, generator and `atom:link rel="self"`, which
/// the W3C validator asks for. Items are newest first.
struct RSSWriter {
    struct Channel {
        var title: String
        var link: String
        var description: String
        var language: Language
        var selfURL: String
        var lastBuildDate: String
    }

    static let maximumItems = 50
    static let atomNamespace = "http://www.w3.org/2005/Atom"

    static func document(channel: Channel, items: [FeedItem]) throws -> [UInt8] {
        try XMLWriter.document { writer in
            try writer.element("rss", attributes: ["version": "2.0", "xmlns:atom": atomNamespace]) { rss in
                try rss.element("channel") { out in
                    try out.element("title", text: channel.title)
                    try out.element("link", text: channel.link)
                    try out.element("description", text: channel.description)
                    try out.element("language", text: channel.language.rawValue)
                    try out.element("lastBuildDate", text: channel.lastBuildDate)
                    try out.element("generator", text: "opendata-pipeline")
                    try out.element(
                        "atom:link",
                        attributes: ["href": channel.selfURL, "rel": "self", "type": "application/rss+xml"])
                    for item in items.prefix(maximumItems) {
                        try out.element("item") { entry in
                            try entry.element("title", text: item.title)
                            try entry.element("link", text: item.link)
                            try entry.element("description", text: item.description)
                            try entry.element("guid", attributes: ["isPermaLink": "false"]) { try $0.text(item.guid) }
                            try entry.element("pubDate", text: item.pubDate)
                            if let enclosure = item.enclosure {
                                try entry.element(
                                    "enclosure",
                                    attributes: [
                                        "url": enclosure.url, "length": String(enclosure.length), "type": enclosure.type,
                                    ])
                            }
                        }
                    }
                }
            }
        }
    }

    /// The items of an earlier feed, so that a new release keeps the history.
    /// An unreadable earlier feed yields none (the caller logs it).
    static func items(inFeed bytes: [UInt8], source: String) throws -> [FeedItem] {
        let document = try Document(parsing: bytes, source: source)
        let xpath = try document.xpath()
        var items: [FeedItem] = []
        let text = { (query: String, node: Node) throws -> String in
            try xpath.string(XPathQuery(query), at: node) ?? ""
        }
        for node in try xpath.nodes(XPathQuery("/rss/channel/item")) {
            var enclosure: FeedItem.Enclosure?
            if let enclosureNode = try xpath.nodes(XPathQuery("enclosure"), at: node).first,
                let url = enclosureNode.attribute("url"), let type = enclosureNode.attribute("type"),
                let length = enclosureNode.attribute("length").flatMap({ Int($0) })
            {
                enclosure = FeedItem.Enclosure(url: url, length: length, type: type)
            }
            items.append(
                FeedItem(
                    title: try text("title", node), link: try text("link", node),
                    description: try text("description", node), guid: try text("guid", node),
                    pubDate: try text("pubDate", node), enclosure: enclosure))
        }
        return items
    }
}
