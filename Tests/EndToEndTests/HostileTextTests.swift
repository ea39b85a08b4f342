import Foundation
import LibXML
import Testing

/// Text that looks like markup stays text in every published format, wherever it
/// comes from: data cells, titles, descriptions, units, sources, the publisher and
/// the feed sentence. A whole publish runs twice, over the same pipeline with these
/// strings and with plain ones; parsers this project did not write (libxml2 for
/// XML, Python's html.parser for HTML, feedparser with sanitising off, Foundation's
/// JSON parser) read both, and the hostile release must have exactly the elements
/// and attributes of the plain one, and the text must come back exactly.
@Suite("Hostile text, end to end")
struct HostileTextTests {
    static let nasty = [
        "<script>alert(1)</script>",
        "</script><script>alert(2)</script>",
        "</title><script>alert(3)</script>",
        "]]><b>cdata</b>",
        "\"onload=alert(4) x=\"",
        "'onmouseover='alert(5)' y='",
        "javascript:alert(6)",
        "line\u{2028}separator\u{2029}paragraph",
        "<!-- comment",
        "&amp; is a literal &lt;",
    ]
    static let plain = (0..<nasty.count).map { "plain text \($0)" }

    /// A Python with html.parser: the validators' one, or the system's; nil skips the HTML checks.
    static let python: String? = {
        if let configured = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"] { return configured }
        return ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_markup.py")

    /// `text` as a YAML double-quoted scalar (line and paragraph separators escaped: YAML folds them).
    static func yaml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func csvCell(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Every place text is written from `texts`: the joined texts in metadata, one a row in the data.
    struct Published {
        let texts: [String]
        let workspace: Workspace
        var all: String { texts.joined(separator: " | ") }
        var release: URL { workspace.file("Output/current").resolvingSymlinksInPath() }

        init(_ texts: [String]) throws {
            self.texts = texts
            workspace = try Workspace()
            let pipelines = workspace.file("Pipelines")
            try FileManager.default.removeItem(at: pipelines)
            try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
            let all = texts.joined(separator: " | ")
            let q = HostileTextTests.yaml
            let yaml = """
                id: hostile
                title: {vi: \(q(all)), en: \(q(all))}
                description: {vi: \(q(all)), en: \(q(all))}
                publisher: {name: \(q(all)), url: "https://so.example.vn"}
                license: {name: CC-BY-4.0, title: \(q(all)), path: "https://creativecommons.org/licenses/by/4.0/"}
                baseURL: https://data.example.vn
                timeZone: Asia/Ho_Chi_Minh
                sources: [{title: \(q(all)), path: "https://so.example.vn/report"}]
                datasets:
                  - id: texts
                    title: {vi: \(q(all)), en: \(q(all))}
                    description: {vi: \(q(all)), en: \(q(all))}
                    illustrative: {vi: \(q(all)), en: \(q(all))}
                    source: {type: csv, path: texts.csv}
                    fields:
                      - {name: name, type: string, required: true, title: {vi: \(q(all)), en: \(q(all))}}
                      - {name: value, type: integer, required: true, title: {vi: \(q(all)), en: \(q(all))}, unit: \(q(all))}
                    primaryKey: [name]
                    feed: {vi: \(q(all + " {name}: {value}")), en: \(q(all + " {name}: {value}"))}
                calendar:
                  - {id: next, date: 2026-06-01T09:00, datasets: [texts], status: confirmed, title: {vi: \(q(all)), en: \(q(all))}}

                """
            try yaml.write(to: pipelines.appendingPathComponent("hostile.yml"), atomically: true, encoding: .utf8)
            let rows = texts.enumerated().map { "\(HostileTextTests.csvCell($1)),\($0 + 1)" }
            try (["name,value"] + rows).joined(separator: "\n").appending("\n")
                .write(to: pipelines.appendingPathComponent("texts.csv"), atomically: true, encoding: .utf8)
            let result = try opendata(["run", "--quiet", "--now", "2026-01-01T00:00:00Z"], in: workspace.url)
            #expect(result.status == 0, "\(result.stderr)")
        }

        /// Published files with one of these suffixes, relative to the release.
        func files(_ suffixes: String...) throws -> [String] {
            try FileManager.default.subpathsOfDirectory(atPath: release.path)
                .filter { path in suffixes.contains { path.hasSuffix($0) } }.sorted()
        }

        func bytes(_ relative: String) throws -> [UInt8] {
            Array(try Data(contentsOf: release.appendingPathComponent(relative)))
        }

        func text(_ relative: String) throws -> String {
            try String(contentsOf: release.appendingPathComponent(relative), encoding: .utf8)
        }

        func json(_ relative: String) throws -> Any {
            try JSONSerialization.jsonObject(with: Data(contentsOf: release.appendingPathComponent(relative)))
        }

        /// The rows as the plain CSV has them (the published order).
        func rows() throws -> [[String]] {
            Array(parseCSV(try text("hostile/data/texts.csv")).dropFirst())
        }

        /// The feed item's text in the language of `feed` (a path with `.en.` is English), as the history
        /// records it: the headline, whose sentence for the largest row does not fit in 280 characters, so
        /// it is cut and says how many rows are left out.
        func summary(_ feed: String) throws -> String {
            let english = feed.contains(".en.")
            let history = try #require(try json("hostile/history.json") as? [String: Any])
            let entry = try #require((history["entries"] as? [[String: Any]])?.first)
            let text = try #require((entry["summary"] as? [String: String])?[english ? "en" : "vi"])
            // The largest value first: the row with 10.
            #expect(text.hasPrefix("\(all) \(texts[9]): 10".prefix(200)), "\(text)")
            #expect(text.hasSuffix(english ? "… … and 9 more rows; all in the table." : "… … và 9 dòng khác; tất cả có trong bảng."))
            #expect(text.count <= 280)
            return text
        }
    }

    /// Every element of an XML document with its attribute names, in document order.
    static func skeleton(_ node: Node) -> [String] {
        ["\(node.namespaceURI.map { "{\($0)}" } ?? "")\(node.name) \(node.attributeNames.joined(separator: " "))"]
            + node.children.flatMap(skeleton)
    }

    /// Consecutive equal tags once: a long text wraps onto more of a chart's `<text>` lines than a short one.
    static func collapsed<Tag: Equatable>(_ tags: [Tag]) -> [Tag] {
        tags.reduce(into: []) { if $0.last != $1 { $0.append($1) } }
    }

    static func elements(_ node: Node, named name: String) -> [Node] {
        (node.name == name ? [node] : []) + node.children.flatMap { elements($0, named: name) }
    }

    /// Whether a link target is http(s) or relative.
    static func isSafeLink(_ link: String) -> Bool {
        let head = link.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let colon = head.firstIndex(of: ":") else { return true }
        return ["http", "https"].contains(head[..<colon].lowercased())
    }

    @Test func theCSVKeepsEveryCellExactly() throws {
        let hostile = try Published(Self.nasty)
        #expect(Set(try hostile.rows().map { $0[0] }) == Set(Self.nasty))
        #expect(try hostile.rows().count == Self.nasty.count)
    }

    @Test func feedsCarryTheTextAsTextInRSSAtomAndJSONFeed() throws {
        let hostile = try Published(Self.nasty)
        let plain = try Published(Self.plain)
        let feeds = try hostile.files(".rss", ".atom")
        #expect(feeds.count == 12, "site, pipeline and dataset feeds in two languages: \(feeds)")
        var descriptions: [String] = []
        for feed in feeds {
            let document = try Document(parsing: try hostile.bytes(feed), source: feed)
            let root = try #require(document.root)
            let reference = try #require(try Document(parsing: try plain.bytes(feed), source: feed).root)
            #expect(Self.skeleton(root) == Self.skeleton(reference), "\(feed): elements or attributes differ from the plain run")
            if feed.hasSuffix(".rss") {
                let items = Self.elements(root, named: "item")
                #expect(items.count == 1, "\(feed)")
                for item in items {
                    #expect(Self.elements(item, named: "title").first?.content == hostile.all, "\(feed)")
                }
                // Readers render RSS descriptions as HTML: each must be HTML whose text is ours, with no tag.
                descriptions += Self.elements(root, named: "description").map(\.content)
                for item in items {
                    #expect(Self.elements(item, named: "description").first?.content == Self.escapedHTML(try hostile.summary(feed)))
                }
            } else {
                #expect(Self.elements(root, named: "entry").count == 1, "\(feed)")
                for entry in Self.elements(root, named: "entry") {
                    #expect(Self.elements(entry, named: "title").first?.content == hostile.all, "\(feed)")
                    let summaryNode = try #require(Self.elements(entry, named: "summary").first)
                    #expect(summaryNode.attribute("type") == "text")
                    #expect(summaryNode.content == (try hostile.summary(feed)), "\(feed)")
                }
            }
            for link in Self.elements(root, named: "link").compactMap({ $0.attribute("href") ?? $0.content }) {
                #expect(Self.isSafeLink(link), "\(feed): \(link)")
            }
        }
        // Escaped HTML: no '<' can start a tag (html.parser reads them back in the feedparser test).
        #expect(descriptions.count == 12, "6 channels and 6 items")
        for description in descriptions { #expect(!description.contains("<"), "\(description)") }

        let jsonFeeds = try hostile.files("feed.json", "feed.en.json", "texts.json", "texts.en.json").filter { !$0.contains("/data/") }
        #expect(jsonFeeds.count == 6, "\(jsonFeeds)")
        for feed in jsonFeeds {
            let object = try #require(try hostile.json(feed) as? [String: Any], "\(feed)")
            #expect(object["title"] as? String != nil)
            let items = object["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1, "\(feed)")
            for item in items {
                #expect(item["title"] as? String == hostile.all, "\(feed)")
                #expect(item["content_text"] as? String == (try hostile.summary(feed)), "\(feed)")
                #expect(item["content_html"] == nil, "\(feed): HTML in a JSON Feed would be rendered")
                #expect(Self.isSafeLink(item["url"] as? String ?? ""))
            }
        }
    }

    /// What the RSS descriptions must hold: the text with `&`, `<`, `>`, `"`, `'` as HTML references.
    static func escapedHTML(_ text: String) -> String {
        [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;")]
            .reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    @Test(.enabled(if: python != nil, "needs a python3 for html.parser (set OPENDATA_VALIDATORS)"))
    func feedparserWithSanitisingOffReadsTextNotMarkup() throws {
        let hostile = try Published(Self.nasty)
        // The RSS descriptions as a browser's HTML parser reads them.
        var descriptions: [String] = []
        var expected: [String] = []
        for feed in try hostile.files(".rss") {
            let root = try #require(try Document(parsing: try hostile.bytes(feed), source: feed).root)
            let found = Self.elements(root, named: "item").flatMap { Self.elements($0, named: "description") }.map(\.content)
            descriptions += found
            expected += try found.map { _ in try hostile.summary(feed) }
        }
        for (parsed, summary) in zip(try Self.fragments(descriptions, python: try #require(Self.python)), expected) {
            #expect(parsed.tags.isEmpty)
            #expect(parsed.text == summary)
        }
        #expect(descriptions.count == 6)
        let feeds = try hostile.files(".rss", ".atom").map { hostile.release.appendingPathComponent($0).path }
        let output = try run(URL(fileURLWithPath: try #require(Self.python)), [Self.script.path, "feeds"] + feeds, in: hostile.workspace.url)
        #expect(output.status == 0, "\(output.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        if let skipped = result["skipped"] as? String {
            // Visible in the test log; CI's validators have feedparser.
            print("skipped feedparser check: \(skipped)")
            return
        }
        var htmlSummaries: [String] = []
        var htmlExpected: [String] = []
        for feed in feeds {
            let parsed = try #require(result[feed] as? [String: Any], "\(feed)")
            #expect(parsed["bozo"] as? Bool == false, "\(feed) is not well-formed for feedparser")
            #expect((parsed["entries"] as? [Any])?.count == 1, "\(feed)")
            for entry in parsed["entries"] as? [[String: Any]] ?? [] {
                #expect(entry["title"] as? String == hostile.all, "\(feed): \(entry["title"] ?? "")")
                #expect(entry["title_type"] as? String == "text/plain", "\(feed)")
                if entry["summary_type"] as? String == "text/html" {
                    htmlSummaries.append(entry["summary"] as? String ?? "")
                    htmlExpected.append(try hostile.summary(feed))
                } else {
                    #expect(entry["summary"] as? String == (try hostile.summary(feed)), "\(feed)")
                }
                for link in entry["links"] as? [String] ?? [] { #expect(Self.isSafeLink(link), "\(feed): \(link)") }
            }
        }
        #expect(htmlSummaries.count == 6, "the RSS items are HTML to feedparser")
        for (parsed, summary) in zip(try Self.fragments(htmlSummaries, python: try #require(Self.python)), htmlExpected) {
            #expect(parsed.tags.isEmpty)
            #expect(parsed.text == summary)
        }
    }

    @Test(.enabled(if: python != nil, "needs a python3 for html.parser (set OPENDATA_VALIDATORS)"))
    func pagesHaveOnlyTheTemplatesMarkupAndTheTextRoundTrips() throws {
        let hostile = try Published(Self.nasty)
        let plain = try Published(Self.plain)
        let pages = try hostile.files(".html")
        #expect(pages.count == 10, "\(pages)")
        let seen = try Self.readHTML(pages.map { hostile.release.appendingPathComponent($0).path }, in: hostile)
        let reference = try Self.readHTML(pages.map { plain.release.appendingPathComponent($0).path }, in: plain)
        for (page, (hostilePage, plainPage)) in zip(pages, zip(seen, reference)) {
            #expect(
                Self.collapsed(hostilePage.tags) == Self.collapsed(plainPage.tags), "\(page): elements or attributes differ from the plain run")
            for link in hostilePage.links { #expect(Self.isSafeLink(link), "\(page) links to \(link)") }
            #expect(hostilePage.text.contains(hostile.all), "\(page) shows the text as text")
            for script in hostilePage.scripts {
                #expect(script.type == "application/ld+json", "\(page)")
                #expect(!script.body.contains("</") && !script.body.contains("<!--") && !script.body.contains("\u{2028}"))
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(script.body.utf8)) as? [String: Any], "\(page): JSON-LD")
                #expect(object["name"] as? String == hostile.all, "\(page)")
                #expect(object["description"] as? String == hostile.all, "\(page)")
            }
        }
        for page in ["hostile/texts.html", "hostile/texts.en.html"] {
            let shown = seen[try #require(pages.firstIndex(of: page))]
            for cell in Self.nasty { #expect(shown.text.contains(cell), "\(page): cell \(cell)") }
            #expect(shown.scripts.count == 1, "\(page): one JSON-LD script")
        }
    }

    @Test func theChartIsSVGWithTheTemplatesElementsAndTheTextAsText() throws {
        let hostile = try Published(Self.nasty)
        let plain = try Published(Self.plain)
        for page in ["hostile/texts.html", "hostile/texts.en.html"] {
            func svg(_ published: Published) throws -> Node {
                let html = try published.text(page)
                let start = try #require(html.range(of: "<svg"), "\(page) has a chart")
                let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
                let document = try Document(parsing: Array(html[start.lowerBound..<end.upperBound].utf8), source: page)
                return try #require(document.root)
            }
            let chart = try svg(hostile)
            #expect(Self.collapsed(Self.skeleton(chart)) == Self.collapsed(Self.skeleton(try svg(plain))), "\(page): elements or attributes differ")
            #expect(Self.elements(chart, named: "title").first?.content == hostile.all)
            let bars = try hostile.rows().map { "\($0[0]): \($0[1])" }.joined(separator: "; ")
            #expect(Self.elements(chart, named: "desc").first?.content == bars, "every bar")
            // The source line, wrapped at spaces: its lines hold the text exactly.
            let shown = Self.elements(chart, named: "text").map(\.content).joined().filter { $0 != " " }
            #expect(shown.contains(hostile.all.filter { $0 != " " }), "the source line")
        }
    }

    @Test func catalogsAndMetadataParseWithTheTextExact() throws {
        let hostile = try Published(Self.nasty)
        let catalog = try #require(try hostile.json("catalog.jsonld") as? [String: Any])
        let graph = try #require(catalog["@graph"] as? [[String: Any]])
        let dataset = try #require((graph.first?["dcat:dataset"] as? [[String: Any]])?.first)
        let titles = try #require(dataset["dct:title"] as? [[String: String]])
        #expect(titles.map { $0["@value"] } == [hostile.all, hostile.all])
        let publisher = try #require((dataset["dct:publisher"] as? [String: Any])?["@id"] as? String)
        let agent = try #require(graph.first { $0["@id"] as? String == publisher })
        #expect(agent["foaf:name"] as? String == hostile.all)
        let package = try #require(try hostile.json("hostile/datapackage.json") as? [String: Any])
        #expect(package["title"] as? String == hostile.all)
        let records = try #require((try hostile.json("hostile/data/texts.json") as? [String: Any])?["records"] as? [[String: Any]])
        #expect(Set(records.compactMap { $0["name"] as? String }) == Set(Self.nasty))
    }

    struct Page {
        var tags: [[String]]
        var text: String
        var scripts: [(type: String, body: String)]
        var links: [String]
    }

    static func readHTML(_ paths: [String], in published: Published) throws -> [Page] {
        let output = try run(URL(fileURLWithPath: try #require(python)), [script.path, "html"] + paths, in: published.workspace.url)
        #expect(output.status == 0, "\(output.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: [String: Any]])
        return try paths.map { path in
            let page = try #require(result[path])
            let tags = (page["tags"] as? [[Any]] ?? []).map { tag in
                [tag.first as? String ?? ""] + (tag.last as? [String] ?? [])
            }
            let scripts = (page["scripts"] as? [[String]] ?? []).map { (type: $0.first ?? "", body: $0.last ?? "") }
            return Page(tags: tags, text: page["text"] as? String ?? "", scripts: scripts, links: page["links"] as? [String] ?? [])
        }
    }

    /// HTML fragments as html.parser reads them: their tags and their text.
    static func fragments(_ fragments: [String], python: String) throws -> [(tags: [[Any]], text: String)] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("fragments-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: input) }
        try JSONSerialization.data(withJSONObject: fragments).write(to: input)
        let output = try run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "\"$0\" \"$1\" fragments < \"$2\"", python, script.path, input.path],
            in: FileManager.default.temporaryDirectory)
        #expect(output.status == 0, "\(output.stderr)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        return parsed.map { (tags: $0["tags"] as? [[Any]] ?? [], text: $0["text"] as? String ?? "") }
    }
}
