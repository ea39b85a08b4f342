import Foundation
import LibXML
import Testing

/// Inputs written to attack an XML reader. Each must be refused with a clear
/// error, fast, and without reading a file or opening a connection.
@Suite("Hostile XML")
struct HostileXMLTests {
    private static let billionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <lolz>&lol9;</lolz>
        """

    /// Calls `body` with a real local file holding `contents`, removed afterwards.
    private static func withLocalFile(_ name: String, _ contents: String, _ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        try body(file)
    }

    @Test func refusesAnExternalEntityThatWouldReadALocalFile() throws {
        try Self.withLocalFile("secret.txt", "TOP-SECRET-VALUE") { secret in
            let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file://\(secret.path)\">]>\n<r>&x;</r>"
            #expect(throws: XMLError.entityDeclarationsNotAllowed(source: "xxe.xml", line: 2)) {
                try Document(parsing: Array(xml.utf8), source: "xxe.xml")
            }
        }
    }

    @Test func refusesAParameterEntityThatWouldLoadAFile() {
        let xml = "<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><r/>"
        #expect(throws: XMLError.entityDeclarationsNotAllowed(source: "pe.xml", line: 1)) { try Document(parsing: Array(xml.utf8), source: "pe.xml") }
    }

    @Test func refusesTheBillionLaughsQuickly() {
        let started = ContinuousClock.now
        #expect(throws: XMLError.entityDeclarationsNotAllowed(source: "lolz.xml", line: 2)) {
            try Document(parsing: Array(Self.billionLaughs.utf8), source: "lolz.xml")
        }
        // Not a timing assertion on the code's speed: a guard that it was refused
        // rather than expanded (expansion takes minutes and gigabytes).
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func refusesTheQuadraticBlowupThatParsesButExpandsOnAccess() {
        let big = String(repeating: "a", count: 50_000)
        let refs = String(repeating: "&a;", count: 5_000)
        let xml = "<!DOCTYPE r [<!ENTITY a \"\(big)\">]><r>\(refs)</r>"
        #expect(throws: XMLError.entityDeclarationsNotAllowed(source: "quad.xml", line: 1)) {
            try Document(parsing: Array(xml.utf8), source: "quad.xml")
        }
    }

    @Test func refusesAnExternalDTDWithoutLoadingIt() throws {
        // A real local DTD that, if loaded, would give the root a default attribute.
        try Self.withLocalFile("r.dtd", "<!ELEMENT r (#PCDATA)>\n<!ATTLIST r added CDATA \"from-the-dtd\">\n") { dtd in
            let xml = "<!DOCTYPE r SYSTEM \"\(dtd.absoluteString)\"><r>ok</r>"
            let document = try Document(parsing: Array(xml.utf8), source: "dtd.xml")
            #expect(document.root?.content == "ok")
            #expect(document.root?.attribute("added") == nil)
        }
    }

    @Test func neverReadsAnEntityFromAnExternalDTD() throws {
        // Loaded (DTDLOAD, DTDATTR or NOENT with DTDLOAD, or a permissive entity loader), the DTD would
        // declare `e` and the root's text would be its replacement.
        try Self.withLocalFile("e.dtd", "<!ENTITY e \"LOADED-FROM-THE-DTD\">\n") { dtd in
            let xml = "<!DOCTYPE r SYSTEM \"\(dtd.absoluteString)\"><r>&e;</r>"
            let document = try Document(parsing: Array(xml.utf8), source: "e.xml")
            #expect(document.root?.content == "")
        }
    }

    @Test(arguments: [300, 100_000])
    func refusesDeepNesting(depth: Int) {
        let xml = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        do {
            _ = try Document(parsing: Array(xml.utf8), source: "deep.xml")
            Issue.record("a document \(depth) levels deep was accepted")
        } catch let XMLError.malformed(_, _, _, message) {
            #expect(
                message == "elements nested more than 256 levels deep: expected at most 256 levels (a limit kept against hostile files)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
