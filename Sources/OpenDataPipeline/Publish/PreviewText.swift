/// Bounds what pages and feeds show of the data, whatever the cells hold: a
/// preview is cut at a character boundary and ends with `…`.
enum PreviewText {
    /// The most bytes of one value in a page's table, a chart's labels or a revision.
    static let maximumValueBytes = 300
    /// The most bytes of a feed item's sentence.
    static let maximumSentenceBytes = 4_096

    /// `text` when it has at most `maximumBytes` UTF-8 bytes; else its longest prefix of
    /// whole characters that, with `…`, fits.
    static func bounded(_ text: String, maximumBytes: Int = maximumValueBytes) -> String {
        guard text.utf8.count > maximumBytes else { return text }
        var result = ""
        var bytes = 3  // "…"
        for character in text {
            bytes += character.utf8.count
            guard bytes <= maximumBytes else { break }
            result.append(character)
        }
        return result + "…"
    }
}
