import LibXML

/// The cells of a SpreadsheetML worksheet as bytes, written by hand rather than by
/// libxml2's writer: a sheet has five element kinds, and a million rows stream through
/// one reused byte buffer with no C call or string copy per cell. What is escaped:
/// `&`, `<`, `>` and `"`; CR as `&#13;` (a parser turns a raw CR into LF); an underscore
/// that starts `_xHHHH_` as `_x005F_` (OOXML's escape, which Excel and LibreOffice decode).
/// A character XML 1.0 forbids is never written: ``XLSXFormat`` refuses the row first.
enum SheetCells {
    /// The decimal digits a spreadsheet keeps: a cell is an IEEE double, shown to 15 significant digits.
    static let significantDigits = 15
    /// The first day a 1900-system serial means what it says (Excel counts a 1900-02-29 that never was).
    static let firstSerialDate = CalendarDate(year: 1900, month: 3, day: 1)!
    /// A worksheet's rows, the header included, and its columns.
    static let maximumRows = CellReference.maximumRow
    static let maximumColumns = CellReference.maximumColumn
    /// The characters (UTF-16 code units) Excel shows of a cell; it cuts a longer text (LibreOffice does not).
    static let excelTextLength = 32_767

    /// The column's letters: 0 is `A`, 26 is `AA`.
    static func columnName(_ index: Int) -> String { CellReference(column: index + 1, row: 1).columnName }

    /// The 1900-system serial of `date` (days since 1899-12-30), for a date from 1900-03-01.
    static func serial(_ date: CalendarDate) -> Int64? {
        guard date >= firstSerialDate else { return nil }
        return CalendarDate.days(from1970: date) + 25569
    }

    /// Whether `number` has at most ``significantDigits`` significant digits, so a spreadsheet holds it exactly.
    static func fitsADouble(_ number: DecimalNumber) -> Bool {
        var units = number.units.magnitude
        guard units != 0 else { return true }
        while units % 10 == 0 { units /= 10 }
        var digits = 0
        while units > 0 {
            units /= 10
            digits += 1
        }
        return digits <= significantDigits
    }

    /// What keeps `value` out of a cell, or nil: a character XML forbids.
    static func problem(_ value: Value) -> String? {
        guard case let .string(text) = value else { return nil }
        if let scalar = text.unicodeScalars.first(where: XMLText.isForbidden) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            return "text without the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code), "
                + "which XML (and so an .xlsx file) cannot hold"
        }
        return nil
    }

    /// Appends `text` escaped for element content or an attribute value.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case 0x0D: out.append(contentsOf: "&#13;".utf8)
            case UInt8(ascii: "_") where startsEscape(bytes, at: index): out.append(contentsOf: "_x005F_".utf8)
            default: out.append(byte)
            }
            index += 1
        }
    }

    /// Whether `bytes` hold `_xHHHH_` at `index`.
    private static func startsEscape(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "x"), bytes[index + 6] == UInt8(ascii: "_") else { return false }
        return bytes[(index + 2)...(index + 5)].allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
    }

    /// Appends an inline-string cell: text is never a formula, whatever it starts with.
    static func appendText(_ text: String, reference: String, style: Int?, to out: inout [UInt8]) {
        appendStart(reference: reference, style: style, to: &out)
        out.append(contentsOf: " t=\"inlineStr\"><is><t".utf8)
        // Spaces at either end, tabs and line breaks are kept only when the element says so.
        if let first = text.utf8.first, let last = text.utf8.last,
            [first, last].contains(where: { $0 == 0x20 }) || text.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        {
            out.append(contentsOf: " xml:space=\"preserve\"".utf8)
        }
        out.append(UInt8(ascii: ">"))
        appendEscaped(text, to: &out)
        out.append(contentsOf: "</t></is></c>".utf8)
    }

    /// Appends a number cell holding `digits` as written (`17.90`, `-7`).
    static func appendNumber(_ digits: some Sequence<UInt8>, reference: String, style: Int?, to out: inout [UInt8]) {
        appendStart(reference: reference, style: style, to: &out)
        out.append(contentsOf: "><v>".utf8)
        out.append(contentsOf: digits)
        out.append(contentsOf: "</v></c>".utf8)
    }

    /// Appends a boolean cell.
    static func appendBoolean(_ flag: Bool, reference: String, to out: inout [UInt8]) {
        appendStart(reference: reference, style: nil, to: &out)
        out.append(contentsOf: (flag ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>").utf8)
    }

    /// `<c r="B2" s="3"`: a cell's reference and style, its type and content to follow.
    private static func appendStart(reference: String, style: Int?, to out: inout [UInt8]) {
        out.append(contentsOf: "<c r=\"".utf8)
        out.append(contentsOf: reference.utf8)
        out.append(UInt8(ascii: "\""))
        if let style {
            out.append(contentsOf: " s=\"".utf8)
            out.append(contentsOf: String(style).utf8)
            out.append(UInt8(ascii: "\""))
        }
    }
}
