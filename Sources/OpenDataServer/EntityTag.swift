import Foundation

/// Entity tags and `If-None-Match` (RFC 9110 §8.8.3, §13.1.2): a list of tags
/// or `*`, compared weakly (`W/"x"` matches `"x"`), as a GET's condition is.
enum EntityTag {
    /// Whether the `If-None-Match` value `header` matches `etag` (a strong tag, with its quotes).
    static func noneMatch(_ header: String, matches etag: String) -> Bool {
        let own = opaque(etag)
        return tags(in: header).contains { $0 == "*" || opaque($0) == own }
    }

    /// Whether an `If-Range` tag matches `etag` (a strong comparison: a weak tag never does).
    static func strongMatch(_ tag: String, _ etag: String) -> Bool {
        let tag = tag.trimmingCharacters(in: .whitespaces)
        return !tag.hasPrefix("W/") && tag == etag
    }

    /// The tags of a comma-separated list (a comma inside quotes does not split).
    static func tags(in header: String) -> [String] {
        var tags: [String] = []
        var current = ""
        var quoted = false
        for character in header {
            if character == "\"" { quoted.toggle() }
            if character == ",", !quoted {
                tags.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        tags.append(current)
        return tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A tag without its weakness indicator.
    private static func opaque(_ tag: String) -> String {
        tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
    }
}
