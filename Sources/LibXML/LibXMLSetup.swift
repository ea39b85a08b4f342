internal import CLibXML2
import SystemPackage

/// Initialises libxml2 exactly once, before the first parse, installs a
/// process-wide loader that refuses every external entity and DTD, and makes
/// libxml2's error functions silent on every thread it meets from then on.
///
/// A global `let` is initialised lazily and thread-safely; a global `var`
/// would be rejected by Swift 6 strict concurrency.
let libxml2Ready: Void = {
    xmlInitParser()
    clibxml2_install_deny_all_loader()
    clibxml2_silence_new_threads()
}()

/// Call before any libxml2 work: initialises libxml2 once, and silences its error
/// functions on the calling thread too (libxml2 2.9 keeps them per thread, and a thread
/// that met libxml2 before ``libxml2Ready``, or the main thread, keeps the printing ones).
func prepareLibXML() {
    _ = libxml2Ready
    clibxml2_silence_this_thread()
}

/// `path` opened for reading (closed on exec), for a reader that gives libxml2 its bytes.
func openForReading(_ path: String, source: String) throws(XMLError) -> FileDescriptor {
    do {
        return try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
    } catch {
        throw XMLError.cannotOpen(source: source, reason: "\(error)")
    }
}

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
