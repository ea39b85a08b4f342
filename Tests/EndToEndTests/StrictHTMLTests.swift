import Foundation
import Testing

/// Every page the example publishes, in both languages, read by html5lib (the WHATWG parsing
/// algorithm that browsers follow), which must report no parse error at all.
///
/// Needs html5lib in the Python named by OPENDATA_VALIDATORS; `.ci/run` installs it.
@Suite("Strict HTML parsing")
struct StrictHTMLTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"]
    static let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_html.py")
    static let hasHTML5Lib: Bool = {
        guard let python else { return false }
        return (try? run(URL(fileURLWithPath: python), ["-c", "import html5lib"], in: repositoryRoot))?.status == 0
    }()

    /// The parse errors html5lib reports for each file.
    private func parseErrors(_ files: [URL], in folder: URL) throws -> [String: [String]] {
        let result = try run(URL(fileURLWithPath: try #require(Self.python)), [Self.script.path] + files.map(\.path), in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String]], "\(result.stdout)")
    }

    @Test(.enabled(if: hasHTML5Lib, "set OPENDATA_VALIDATORS to a Python with html5lib (.ci/run installs one)"))
    func everyPublishedPageParsesWithoutAnError() throws {
        let workspace = try Workspace()
        let published = try opendata(["run", "-q"], in: workspace.url)
        #expect(published.status == 0, "\(published.stderr)")
        let release = workspace.file("Output/current").resolvingSymlinksInPath()
        let pages = try FileManager.default.subpathsOfDirectory(atPath: release.path).filter { $0.hasSuffix(".html") }.sorted()
        // In two languages: the site's index, developers and calendar pages, and each pipeline's page and a page a dataset (6 and 7).
        #expect(pages.count == 2 * (3 + 1 + 6 + 1 + 7), "\(pages)")
        #expect(pages.contains("vietnam-provinces/provinces-xlsx.en.html"))
        let errors = try parseErrors(pages.map { release.appendingPathComponent($0) }, in: workspace.url)
        #expect(errors.count == pages.count)
        for page in pages {
            #expect(errors[release.appendingPathComponent(page).path] == [], "\(page)")
        }
    }

    /// The check finds errors where there are some: a page with a stray end tag, a duplicate
    /// attribute and an unclosed element, and one without a doctype.
    @Test(.enabled(if: hasHTML5Lib, "set OPENDATA_VALIDATORS to a Python with html5lib (.ci/run installs one)"))
    func reportsEachErrorOfABrokenPage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.html")
        let head = "<!DOCTYPE html><html lang=\"vi\"><head><title>x</title></head>"
        let page = head + "<body><p><div></p></span><a href=\"x\" id=\"a\" id=\"b\">t</a></body></html>"
        try page.write(to: broken, atomically: true, encoding: .utf8)
        let noDoctype = folder.appendingPathComponent("no-doctype.html")
        try "<html><body><p>Hà Nội</p></body></html>\n".write(to: noDoctype, atomically: true, encoding: .utf8)
        let errors = try parseErrors([broken, noDoctype], in: folder)
        // html5lib gives the line and column where each token ends.
        #expect(
            errors[broken.path] == [
                "1:78 unexpected-end-tag {\"name\": \"p\"}", "1:85 unexpected-end-tag {\"name\": \"span\"}",
                "1:107 duplicate-attribute {}",
                "1:123 expected-one-end-tag-but-got-another {\"expectedName\": \"div\", \"gotName\": \"body\"}",
            ])
        #expect(errors[noDoctype.path] == ["1:6 expected-doctype-but-got-start-tag {\"name\": \"html\"}"])
    }
}
