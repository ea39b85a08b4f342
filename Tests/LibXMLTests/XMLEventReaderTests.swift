import Foundation
import LibXML
import Testing

/// The SAX2 reader says what the text reader says, node for node and error for error, for any
/// chunk size (a chunk boundary may fall inside a name, an attribute or a text); where it
/// differs on purpose (whitespace-only text, `<a></a>`, lines past 65,535), the difference is
/// pinned here.
@Suite("XMLEventReader")
struct XMLEventReaderTests {
    private static let chunkSizes = [1, 3, 17, 1 << 16]

    private final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }

        func file(_ bytes: [UInt8]) throws -> String {
            let file = url.appendingPathComponent("in.xml")
            try Data(bytes).write(to: file)
            return file.path
        }
    }

    /// The trace (and the error it ends with, if any) of each reader over `bytes`.
    private static func both(_ bytes: [UInt8], chunkSize: Int) throws -> (events: [String], text: [String]) {
        let folder = try Folder()
        let path = try folder.file(bytes)
        func run(_ body: (inout [String]) throws -> Void) -> [String] {
            var seen: [String] = []
            do { try body(&seen) } catch { seen.append("error \(error)") }
            return seen
        }
        let events = run { seen in try PullReaderChecks.trace(XMLEventReader(path: path, source: "in.xml", chunkSize: chunkSize), into: &seen) }
        let text = run { seen in try PullReaderChecks.trace(XMLStreamReader(path: path, source: "in.xml"), into: &seen) }
        return (events, text)
    }

    private static let documents: [String] = [
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- a comment -->
        <a:bao-cao xmlns:a="urn:vn:test" xmlns="urn:default" nam="2018">
          <a:tinh ma="01" a:ghi-chu="x &amp; y &#x1EA1;">Hà Nội &lt;thủ đô&gt;</a:tinh>
          <?pi data?>
          <tinh ma="48"
                ten="Đà Nẵng"/>
          <b xmlns:a="urn:other"><a:c v="1"/>tail<![CDATA[ <raw> ]]>more</b>
          <x:d xmlns:x="urn:vn:test" x:k="v"><e/></x:d>
        </a:bao-cao>
        """,
        "<r><s>1</s><s>2</s><s>3</s></r>",
        "<r>\n<bad></worse>\n</r>",
        "<r><a/>",
        "",
        "<r a=\"1\" a=\"2\"/>",
        "<r><q:a/></r>",
        "<r>&undefined;</r>",
        "<?xml version=\"1.0\"?>\n<!-- one -- two -->\n<r/>",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY e \"x\">]>\n<r>&e;</r>",
        "<r/><extra/>",
        // Namespace warnings (a relative URI, an odd one) are not errors, for either reader.
        "<r xmlns:a=\"relative/path\" xmlns:b=\"urn:x y\"><a:b/><b:c/></r>",
        // A comment or processing instruction ends a text node.
        "<r>a<!-- c -->b<?p x?>c</r>",
    ]

    /// The same nodes and the same error. The text reader parses ahead and throws an error as
    /// soon as it has met it; this one first hands out every node before it, so its trace may be
    /// longer before the error.
    @Test(arguments: chunkSizes)
    func agreesWithTheTextReaderNodeForNodeAndErrorForError(chunkSize: Int) throws {
        for document in Self.documents {
            let (events, text) = try Self.both(Array(document.utf8), chunkSize: chunkSize)
            guard let error = text.last, error.hasPrefix("error ") else {
                #expect(events == text, "\(document)")
                continue
            }
            #expect(events.last == error, "\(document)")
            #expect(events.dropLast().starts(with: text.dropLast()), "\(document)")
        }
    }

    @Test(arguments: chunkSizes)
    func readsUTF16AsTheTextReaderDoes(chunkSize: Int) throws {
        let document = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<r ten=\"Hà Nội\"><s>7,5 triệu</s></r>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in document.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let (events, text) = try Self.both(bytes, chunkSize: chunkSize)
        #expect(events == text)
        #expect(events.first == "<-|r [\"-|ten=Hà Nội\"] empty=false line=2")
    }

    /// Bytes that are not in the document's encoding (here an unpaired UTF-16 surrogate) stop
    /// libxml2 without an error of the parser's: the reader throws, after the nodes before them,
    /// rather than end there as if the file did.
    @Test(arguments: chunkSizes)
    func bytesNotInTheEncodingAreAnErrorNotTheEnd(chunkSize: Int) throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        func append(_ text: String) { for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] } }
        append("<r><a/>\n<b>")
        bytes += [0x00, 0xD8]  // a high surrogate, then no low one
        append("x</b><c/></r>")
        let (events, text) = try Self.both(bytes, chunkSize: chunkSize)
        #expect(events.prefix(2) == ["<-|r [] empty=false line=1", "<-|a [] empty=true line=1"])
        #expect(events.last?.hasPrefix("error in.xml, line 2, column ") == true, "\(events)")
        #expect(
            events.last?.hasSuffix("libxml2 stopped reading here: the bytes are not in the document's encoding, or cannot be read") == true,
            "\(events)")
        #expect(!events.contains("<-|c [] empty=true line=2"))
        // The text reader refuses the file too.
        #expect(text.last?.hasPrefix("error ") == true, "\(text)")
    }

    @Test(arguments: chunkSizes)
    func anElementWithNothingButWhitespaceIsEmpty(chunkSize: Int) throws {
        let (events, _) = try Self.both(Array("<r>\n  <a></a>\n  <b>  \n </b><c> x </c><d><!-- c --> <?p?></d>\n</r>\n".utf8), chunkSize: chunkSize)
        #expect(
            events == [
                "<-|r [] empty=false line=1",
                "<-|a [] empty=true line=2",
                "<-|b [] empty=true line=3",
                "<-|c [] empty=false line=4",
                "text  x ",
                "</-|c line=4",
                "<-|d [] empty=true line=4",
                "</-|r line=1",
            ])
    }

    @Test(arguments: chunkSizes)
    func theNodesBeforeAnErrorAreHandedOutFirst(chunkSize: Int) throws {
        let (events, _) = try Self.both(Array("<r>\n<a k=\"1\"/>\n<b>\n</c>".utf8), chunkSize: chunkSize)
        #expect(events.dropLast() == ["<-|r [] empty=false line=1", "<-|a [\"-|k=1\"] empty=true line=2", "<-|b [] empty=false line=3"])
        #expect(events.last?.hasPrefix("error in.xml, line 4, column ") == true)
        #expect(events.last?.contains("Opening and ending tag mismatch: b line 3 and c") == true)
    }

    @Test(arguments: [300, 100_000])
    func refusesDeepNestingAsTheTreeBuilderDoes(depth: Int) throws {
        let xml = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let folder = try Folder()
        let reader = try XMLEventReader(path: try folder.file(Array(xml.utf8)), source: "deep.xml")
        var elements = 0
        do {
            while try reader.read() { elements += 1 }
            Issue.record("a document \(depth) levels deep was accepted")
        } catch let XMLError.malformed(source, line, _, message) {
            #expect(source == "deep.xml" && line == 1)
            #expect(message == "elements nested more than 256 levels deep: expected at most 256 levels (a limit kept against hostile files)")
        }
        // The root and 256 levels below it are read; the 258th element is refused.
        #expect(elements == 257)
    }

    /// Entities declared in a DOCTYPE are never expanded: the DOCTYPE is refused, quickly.
    @Test func refusesTheBillionLaughs() throws {
        let entities = (1...9).map { level in
            "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">" + entities.joined() + "]>\n<lolz>&lol9;</lolz>"
        let folder = try Folder()
        let reader = try XMLEventReader(path: try folder.file(Array(xml.utf8)), source: "lolz.xml")
        var nodes = 0
        #expect(throws: XMLError.doctypeNotAllowed(source: "lolz.xml", line: 2)) {
            while try reader.read() { nodes += 1 }
        }
        #expect(nodes == 0)
    }

    @Test func refusesATextNodeOverTenMegabytes() throws {
        let xml = "<r>\n<t>" + String(repeating: "x", count: 10_000_001) + "</t></r>"
        let folder = try Folder()
        let reader = try XMLEventReader(path: try folder.file(Array(xml.utf8)), source: "big.xml")
        var seen: [XMLStreamReader.NodeKind] = []
        #expect(
            throws: XMLError.malformed(
                source: "big.xml", line: 2, column: 10_000_005,
                message: "a text node longer than 10000000 bytes: beyond libxml2's size limit, which this tool keeps against hostile files")
        ) {
            while try reader.read() { seen.append(reader.kind) }
        }
        #expect(seen == [.element, .element])
    }

    @Test func countsLinesPastWhatATreeNodeHolds() throws {
        let xml = "<r>" + String(repeating: "\n", count: 70_000) + "<a/></r>"
        let folder = try Folder()
        let path = try folder.file(Array(xml.utf8))
        let events = try XMLEventReader(path: path, source: "long.xml")
        while try events.read(), events.localName != "a" {}
        #expect(events.line == 70_001)
        // The text reader's node holds 65,535 at most.
        let text = try XMLStreamReader(path: path, source: "long.xml")
        while try text.read(), text.localName != "a" {}
        #expect(text.line == 65_535)
    }

    /// The matching API agrees with the `String` API, as the text reader's does.
    @Test(arguments: chunkSizes)
    func nextElementAndAttributeBytesAgreeWithTheStringAPI(chunkSize: Int) throws {
        let folder = try Folder()
        let reader = try XMLEventReader(path: try folder.file(Array(PullReaderChecks.matchingDocument.utf8)), source: "in.xml", chunkSize: chunkSize)
        #expect(try PullReaderChecks.matchingWalk(reader) == PullReaderChecks.matchingWalkSeen)
    }

    @Test func saysWhyAFileCannotBeOpened() throws {
        #expect(throws: XMLError.cannotOpen(source: "missing.xml", reason: "No such file or directory")) {
            _ = try XMLEventReader(path: "/nonexistent/missing.xml", source: "missing.xml")
        }
    }
}
