import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("MarkupText")
struct MarkupTextTests {
    @Test(arguments: [
        ("https://creativecommons.org/licenses/by/4.0/", true), ("HTTP://a.example/x:y", true), ("LICENSE.txt", true),
        ("../a/b:c", true), ("?q=javascript:x", true), ("#top", true),
        ("javascript:alert(1)", false), ("JavaScript:alert(1)", false), ("java\tscript:alert(1)", false),
        (" javascript:alert(1)", false), ("\u{1}javascript:alert(1)", false), ("data:text/html,<script>", false),
        ("vbscript:msgbox", false), ("mailto:a@example.vn", false), ("file:///etc/passwd", false), ("", false),
        ("https://a.example/with space", false),
    ])
    func aLinkIsHTTPOrRelative(link: String, safe: Bool) {
        #expect(MarkupText.isSafeLink(link) == safe)
        #expect(MarkupText.safeLink(link) == (safe ? link : nil))
    }

    /// Inside `<script>`, the JSON has no `<`, `>`, `&`, U+2028 or U+2029, and parses to the same strings.
    @Test func jsonForAScriptParsesBackToTheSameText() throws {
        let text = "</script><!-- & \u{2028}\u{2029} <b>"
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["name": text]), as: UTF8.self)
        let escaped = MarkupText.jsonForScript(json)
        #expect(!escaped.contains { "<>&\u{2028}\u{2029}".contains($0) })
        let parsed = try JSONSerialization.jsonObject(with: Data(escaped.utf8)) as? [String: String]
        #expect(parsed == ["name": text])
    }

    @Test func escapesEveryCharacterThatStartsMarkupOrEndsAnAttribute() {
        #expect(
            MarkupText.escaped("<a href=\"x\" title='y'>&amp;</a>")
                == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;")
    }
}
