internal import CLibXML2

/// Initialises libxml2 exactly once, before the first parse, and installs a
/// process-wide loader that refuses every external entity and DTD.
///
/// A global `let` is initialised lazily and thread-safely; a global `var`
/// would be rejected by Swift 6 strict concurrency.
let libxml2Ready: Void = {
    xmlInitParser()
    clibxml2_install_deny_all_loader()
}()

/// The parser options every parse uses.
///
/// Present: no network, errors reported to us rather than printed.
/// Deliberately absent: `XML_PARSE_NOENT` (substitutes entities and loads
/// external ones, even `file://` under NONET), `DTDLOAD`/`DTDATTR`/`DTDVALID`
/// (load external DTDs), `XINCLUDE`, `HUGE` (lifts the depth-256 and
/// entity-loop limits) and `RECOVER` (would hand us a half-parsed tree).
let safeParserOptions = Int32(
    XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
        | XML_PARSE_NOCDATA.rawValue
)

/// Options that would make a parse unsafe; a test asserts none is in ``safeParserOptions``.
let unsafeParserOptions = Int32(
    XML_PARSE_NOENT.rawValue | XML_PARSE_DTDLOAD.rawValue | XML_PARSE_DTDATTR.rawValue
        | XML_PARSE_DTDVALID.rawValue | XML_PARSE_XINCLUDE.rawValue | XML_PARSE_HUGE.rawValue
        | XML_PARSE_RECOVER.rawValue
)

/// For tests: whether the options used by every parse avoid the unsafe ones.
public enum ParserSafety {
    public static var usesOnlySafeOptions: Bool {
        safeParserOptions & unsafeParserOptions == 0
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var result = self
        while result.last?.isNewline == true { result.removeLast() }
        return result
    }
}

/// libxml2's message for a reader of our errors: its own advice to pass a parser
/// option (`use XML_PARSE_HUGE option`) names a limit this tool keeps on purpose,
/// so the message says the limit instead.
func readableLibXMLMessage(_ message: String) -> String {
    let text = message.trimmingTrailingNewlines()
    let prefix = "Excessive depth in document: "
    if text.hasPrefix(prefix) {
        let limit = text.dropFirst(prefix.count).prefix { $0.isNumber }
        return "elements nested more than \(limit) levels deep: expected at most \(limit) levels (a limit kept against hostile files)"
    }
    let advice = " use XML_PARSE_HUGE option"
    guard text.hasSuffix(advice) else { return text }
    var shown = String(text.dropLast(advice.count))
    while shown.last == " " || shown.last == "," { shown.removeLast() }
    return shown + ": beyond libxml2's size limit, which this tool keeps against hostile files"
}
