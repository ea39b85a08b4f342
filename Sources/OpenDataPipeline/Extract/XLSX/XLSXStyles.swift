import LibXML

/// Which cell styles are dates (from `xl/styles.xml`).
struct XLSXStyles {
    /// For each `cellXfs` entry (the cells' `s` index): whether its number format is a date.
    var isDate: [Bool] = []

    init() {}

    init(_ reader: XMLStreamReader) throws {
        var customDates: Set<Int> = []
        var inCellXfs = false
        while try reader.read() {
            guard reader.kind == .element || reader.kind == .endElement else { continue }
            switch (reader.localName, reader.kind) {
            case ("numFmt", .element):
                if let id = Int(reader.attribute("numFmtId") ?? ""), let code = reader.attribute("formatCode"),
                    Self.isDateFormat(code)
                {
                    customDates.insert(id)
                }
            case ("cellXfs", .element): inCellXfs = !reader.isEmptyElement
            case ("cellXfs", .endElement): inCellXfs = false
            case ("xf", .element) where inCellXfs:
                let id = Int(reader.attribute("numFmtId") ?? "") ?? 0
                isDate.append(Self.builtInDates.contains(id) || customDates.contains(id))
            default: break
            }
        }
    }

    /// Built-in number formats that show dates or times (ECMA-376 18.8.30).
    static let builtInDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// A custom format is a date when, outside quotes and brackets, it has d, m, y (or h, s) codes.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuotes = false
        var inBrackets = false
        var escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "\"": inQuotes.toggle()
            case "[" where !inQuotes: inBrackets = true
            case "]" where !inQuotes: inBrackets = false
            case "d", "m", "y", "h", "s":
                if !inQuotes && !inBrackets { return true }
            default: break
            }
        }
        return false
    }
}
