import Foundation
import LibXML
import Testing

@Suite("XMLStreamReader")
struct XMLStreamReaderTests {
    /// Writes `xml` to a temporary file and returns a reader over it.
    private func reader(_ xml: String) throws -> (XMLStreamReader, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("in.xml")
        try Data(xml.utf8).write(to: file)
        return (try XMLStreamReader(path: file.path, source: "in.xml"), directory)
    }

    @Test func walksElementsWithNamespaceURIsAttributesAndText() throws {
        let (reader, directory) = try reader(
            """
            <?xml version="1.0"?>
            <a:bao-cao xmlns:a="urn:vn:test" nam="2018">
              <a:tinh ma="01" a:ghi-chu="x">Hà Nội</a:tinh>
              <a:tinh ma="48"/>
            </a:bao-cao>
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        var seen: [String] = []
        while try reader.read() {
            switch reader.kind {
            case .element:
                let attributes = reader.attributes().map { "\($0.namespaceURI ?? "-")|\($0.localName)=\($0.value)" }
                seen.append("<\(reader.namespaceURI ?? "")|\(reader.localName) \(attributes) empty=\(reader.isEmptyElement) line=\(reader.line)")
            case .endElement:
                seen.append("</\(reader.localName)")
            case .text:
                seen.append("text \(reader.value ?? "")")
            case .other:
                break
            }
        }
        #expect(
            seen == [
                "<urn:vn:test|bao-cao [\"-|nam=2018\"] empty=false line=2",
                "<urn:vn:test|tinh [\"-|ma=01\", \"urn:vn:test|ghi-chu=x\"] empty=false line=3",
                "text Hà Nội",
                "</tinh",
                "<urn:vn:test|tinh [\"-|ma=48\"] empty=true line=4",
                "</bao-cao",
            ])
    }

    @Test func throwsTheFirstErrorWithItsLineAndColumn() throws {
        let (reader, directory) = try reader("<?xml version=\"1.0\"?>\n<a>\n  <b></c>\n</a>\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            while try reader.read() {}
            Issue.record("expected an error")
        } catch let XMLError.malformed(source, line, column, message) {
            #expect(source == "in.xml")
            #expect(line == 3)
            #expect(column > 0)
            #expect(message.contains("mismatch"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func refusesAnyDoctypeBeforeReadingTheDocument() throws {
        let (reader, directory) = try reader(
            """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <lolz>&lol1;</lolz>
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            while try reader.read() {}
            Issue.record("expected an error")
        } catch let XMLError.doctypeNotAllowed(source, line) {
            #expect(source == "in.xml")
            #expect((2...3).contains(line))  // libxml2 keeps no line for a DTD: the parser's, just past it
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func saysWhyAFileCannotBeOpened() throws {
        #expect(throws: XMLError.cannotOpen(source: "missing.xml", reason: "No such file or directory")) {
            _ = try XMLStreamReader(path: "/nonexistent/missing.xml", source: "missing.xml")
        }
    }

    /// The matching API (names and URIs compared without a `String` per node) says what the
    /// `String` API says, node for node.
    @Test func nextElementAndAttributeBytesAgreeWithTheStringAPI() throws {
        let (reader, directory) = try reader(PullReaderChecks.matchingDocument)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try PullReaderChecks.matchingWalk(reader) == PullReaderChecks.matchingWalkSeen)
    }
}
