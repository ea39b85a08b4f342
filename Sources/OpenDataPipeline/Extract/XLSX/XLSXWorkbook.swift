import LibXML

/// What `xl/workbook.xml` says: the sheets (name and relationship id) and the date system.
struct XLSXWorkbook {
    var sheets: [(name: String, relationship: String)] = []
    var date1904 = false

    init(_ workbook: XMLStreamReader) throws {
        while try workbook.read() {
            guard workbook.kind == .element else { continue }
            if workbook.localName == "sheet", let name = workbook.attribute("name") {
                let relationship = workbook.attributes().first { $0.localName == "id" && $0.namespaceURI != nil }?.value ?? ""
                sheets.append((name, relationship))
            } else if workbook.localName == "workbookPr", let value = workbook.attribute("date1904") {
                date1904 = value == "1" || value == "true"
            }
        }
    }

    /// The part of the sheet with `relationship`, as `xl/_rels/workbook.xml.rels` gives it; nil when it does not.
    static func sheetPart(relationship: String, in relationships: XMLStreamReader) throws -> String? {
        var target: String?
        while try relationships.read() {
            guard relationships.kind == .element else { continue }
            if relationships.localName == "Relationship", relationships.attribute("Id") == relationship {
                target = relationships.attribute("Target")
            }
        }
        guard let target else { return nil }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    /// The shared-string table: each `si`'s text runs joined (phonetic runs skipped).
    static func sharedStrings(_ reader: XMLStreamReader, limit: Int) throws -> [String] {
        var strings: [String] = []
        var current = ""
        var inText = false
        var phonetic = 0
        var total = 0
        while try reader.read() {
            switch reader.kind {
            case .element:
                switch reader.localName {
                case "si": current = ""
                case "rPh": if !reader.isEmptyElement { phonetic += 1 }
                case "t": inText = !reader.isEmptyElement && phonetic == 0
                default: break
                }
            case .text where inText:
                let text = reader.value ?? ""
                total += text.utf8.count
                if total > limit { throw XMLError.tooLarge(source: "sharedStrings.xml", bytes: total, limit: limit) }
                current += text
            case .endElement:
                switch reader.localName {
                case "si": strings.append(UnicodeText.nfc(current))
                case "rPh": phonetic -= 1
                case "t": inText = false
                default: break
                }
            default: break
            }
        }
        return strings
    }
}
