/// Text from data and pipeline files placed into markup that a reader renders,
/// so that it stays text: HTML and XML escaping, JSON inside an HTML `<script>`,
/// and link targets.
enum MarkupText {
    /// `text` escaped for HTML or XML, in element content and in quoted attributes.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// JSON text made safe inside `<script>`: `<`, `>` and `&` become `\u003c`,
    /// `\u003e`, `\u0026` (so neither `</script>` nor `<!--` can occur), and
    /// U+2028/U+2029 become `\u2028`/`\u2029`. All of these can occur only
    /// inside JSON strings, where the escapes mean the same characters.
    static func jsonForScript(_ json: String) -> String {
        var result = ""
        result.reserveCapacity(json.utf8.count)
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": result += "\\u003c"
            case ">": result += "\\u003e"
            case "&": result += "\\u0026"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `target` may be a link's `href`: an http or https URL, or a
    /// relative reference (no scheme). No spaces or control characters, which
    /// browsers strip before reading a scheme (`java\tscript:` is `javascript:`).
    static func isSafeLink(_ target: String) -> Bool {
        guard !target.isEmpty, !target.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            return false
        }
        // RFC 3986: a scheme is a letter, then letters, digits, `+`, `-` or `.`, then `:`, before any `/`, `?` or `#`.
        let head = target.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let colon = head.firstIndex(of: ":") else { return true }
        let scheme = head[..<colon].lowercased()
        return scheme == "http" || scheme == "https"
    }

    /// `target` when it is a safe link (``isSafeLink(_:)``), otherwise nothing.
    static func safeLink(_ target: String?) -> String? {
        target.flatMap { isSafeLink($0) ? $0 : nil }
    }
}
