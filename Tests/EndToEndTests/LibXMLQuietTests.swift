import Foundation
import Testing

/// libxml2 prints some errors itself (encoding conversion failures, an XPath variable under an
/// undeclared prefix) unless its per-thread error functions are replaced: run in a process of
/// its own, every line on stderr must be one of the tool's.
@Suite("libxml2 prints nothing")
struct LibXMLQuietTests {
    /// A source, a field's `from`, and the one error line expected.
    struct Case: Sendable, CustomStringConvertible {
        var source: String
        var from: String
        var error: String
        var description: String { source }
    }

    /// Bytes that EUC-JP cannot convert (libxml2 2.9.14 printed "encoding error : input
    /// conversion failed due to input error, bytes 0xFF 0xFE 0xFD 0x3C" and "I/O error").
    static let badEUCJP =
        Array("<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<r><v>".utf8) + [0xFF, 0xFE, 0xFD]
        + Array("</v></r>\n".utf8)
    static let page =
        Array("<html><head><meta charset=\"EUC-JP\"></head><body><table id=\"t\"><tr><th>name</th></tr><tr><td>".utf8)
        + [0xFF, 0xFE] + Array("</i></td></tr></table></body></html>\n".utf8)

    static let cases = [
        Case(
            source: "{type: xml, path: quiet/bad.xml, rows: /r/v}", from: ".",
            error: "Pipelines/quiet/bad.xml, line 2, column 7: malformed XML: Premature end of data in tag v line 2: the bytes "
                + "there are not in the declared encoding (input conversion failed due to input error, bytes 0xFF 0xFE 0xFD 0x3C)"),
        Case(
            source: "{type: xml, stream: true, path: quiet/bad.xml, rows: /r}", from: "v",
            error: "Pipelines/quiet/bad.xml, line 2, column 0: malformed XML: the document could not be read"),
        // libxml2 2.9.14 printed "xmlXPathCompOpEval: variable v bound to undefined prefix q".
        Case(
            source: "{type: xml, path: quiet/good.xml, rows: /r/v}", from: "$q:v",
            error: "Pipelines/quiet/good.xml, line 1, '$q:v': invalid XPath '$q:v': unknown error at character 1"),
        Case(
            source: "{type: html, path: quiet/bad.html, table: {id: t}}", from: "name",
            error: "Pipelines/quiet/bad.html, line 1, column 35: malformed XML: htmlCheckEncoding: encoder error"),
    ]

    @Test(arguments: cases)
    func aMalformedSourceGivesOnlyTheToolsOwnLines(_ test: Case) throws {
        let workspace = try Workspace()
        let folder = workspace.file("Pipelines/quiet")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.badEUCJP).write(to: folder.appendingPathComponent("bad.xml"))
        try Data("<r><v>x</v></r>\n".utf8).write(to: folder.appendingPathComponent("good.xml"))
        try Data(Self.page).write(to: folder.appendingPathComponent("bad.html"))
        let pipeline =
            HostileInputTests.header + """

                  - id: text
                    title: {vi: Văn bản, en: Text}
                    description: {vi: Mô tả, en: Description}
                    source: \(test.source)
                    fields: [{name: name, type: string, from: "\(test.from)"}]
                    feed: {vi: "{name}", en: "{name}"}

                """
        try Data(pipeline.utf8).write(to: workspace.file("Pipelines/hostile.yml"))

        let result = try opendata(["run", "--quiet", "hostile"], in: workspace.url)
        #expect(result.status == 65, "stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("error: ") } == ["error: \(test.error) [source-error]"], "stderr: \(result.stderr)")
        // Every other line is the tool's summary or its log line: none is libxml2's.
        let others = lines.filter { !$0.hasPrefix("error: ") }
        #expect(
            others.allSatisfy {
                ["1 error, 0 warnings (1 source-error)", "nothing was published"].contains($0)
                    || $0.hasSuffix(" error opendata: [OpenDataPipeline] nothing was published; the current release is unchanged")
            }, "stderr: \(result.stderr)")
        #expect(others.count == 3, "stderr: \(result.stderr)")
    }
}
