internal import CLibXML2

extension Document {
    /// Parses an HTML page with libxml2's HTML parser, without network access.
    ///
    /// The HTML parser recovers from every error and returns a document anyway;
    /// here any error it reports (an unclosed tag, bad nesting, invalid bytes) is
    /// thrown with its line and column, so a page is read exactly as written or
    /// not at all. Unknown tags (HTML5 elements libxml2 2.9 does not know) are
    /// not errors. ``HTMLPage`` keeps the errors instead, for callers that judge them.
    public convenience init(parsingHTML bytes: [UInt8], source: String, maximumBytes: Int = Document.defaultMaximumBytes) throws(XMLError) {
        let (parsed, problems) = try HTMLPage.parse(bytes, source: source, maximumBytes: maximumBytes)
        if let first = problems.first {
            xmlFreeDoc(parsed)
            throw first.error(source: source)
        }
        self.init(owning: parsed)
    }
}

/// The cells of an HTML `<table>` as a grid, with `colspan` and `rowspan`
/// expanded: a spanning cell's text fills every slot it covers.
public struct HTMLTable: Sendable {
    /// One row of the grid and the line of its `<tr>`.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var cells: [String]
    }

    public var rows: [Row]

    /// The largest `colspan` and `rowspan` honoured (HTML's own limits are 1000 and 65534).
    public static let maximumColumnSpan = 1000
    public static let maximumRowSpan = 65534
    /// The most cells of the expanded grid, by default: spans multiply cells, so a
    /// small page could otherwise expand to hundreds of millions.
    public static let defaultMaximumCells = 1_000_000

    /// The grid would have more than `limit` cells; `line` is that of the cell that
    /// passes it, at grid `row` and `column` (1-based).
    public struct TooManyCells: Error, Sendable, Equatable {
        public var line: Int
        public var row: Int
        public var column: Int
        public var limit: Int
    }

    /// Reads the rows of `table` (its own `tr`s, directly or in `thead`/`tbody`/`tfoot`;
    /// not those of nested tables). Cell text has its white space collapsed. Spans are
    /// read as browsers read them (leading digits; 0 or none is 1) and clamped to HTML's limits.
    public init(_ table: Node, maximumCells: Int = defaultMaximumCells) throws(TooManyCells) {
        var trs: [Node] = []
        for child in table.children {
            switch child.name.lowercased() {
            case "tr": trs.append(child)
            case "thead", "tbody", "tfoot": trs += child.children.filter { $0.name.lowercased() == "tr" }
            default: break
            }
        }
        // Slots filled from above by a rowspan: column → (text, rows left).
        var pending: [Int: (text: String, remaining: Int, line: Int)] = [:]
        var rows: [Row] = []
        var total = 0
        for tr in trs {
            var cells: [String] = []
            func count(line: Int) throws(TooManyCells) {
                total += 1
                guard total <= maximumCells else {
                    throw TooManyCells(line: line, row: rows.count + 1, column: cells.count + 1, limit: maximumCells)
                }
            }
            func fillPending() throws(TooManyCells) {
                while let carried = pending[cells.count] {
                    try count(line: carried.line)
                    cells.append(carried.text)
                    pending[cells.count - 1] =
                        carried.remaining > 1 ? (carried.text, carried.remaining - 1, carried.line) : nil
                }
            }
            for cell in tr.children where ["td", "th"].contains(cell.name.lowercased()) {
                try fillPending()
                let text = Self.collapsed(cell.content)
                let columns = Self.span(cell.attribute("colspan"), maximum: Self.maximumColumnSpan)
                let spannedRows = Self.span(cell.attribute("rowspan"), maximum: Self.maximumRowSpan)
                for _ in 0..<columns {
                    try count(line: cell.line)
                    if spannedRows > 1 { pending[cells.count] = (text, spannedRows - 1, cell.line) }
                    cells.append(text)
                }
            }
            try fillPending()
            rows.append(Row(line: tr.line, cells: cells))
        }
        self.rows = rows
    }

    /// A span attribute as HTML's rules for non-negative integers read it (leading white
    /// space, then digits; `3px` is 3), at least 1 and at most `maximum`.
    static func span(_ attribute: String?, maximum: Int) -> Int {
        var value = 0
        var digits = 0
        for scalar in (attribute ?? "").unicodeScalars.drop(while: { [" ", "\t", "\n", "\r", "\u{C}"].contains($0) }) {
            guard ("0"..."9").contains(scalar) else { break }
            value = min(value * 10 + Int(scalar.value - 48), maximum)
            digits += 1
        }
        return digits == 0 ? 1 : max(value, 1)
    }

    /// `text` with runs of white space (spaces, tabs, CR, LF, CRLF, NBSP and the other
    /// Unicode spaces) made one space and none at the ends. Works on scalars: Swift
    /// treats "\r\n" as one Character, which a Character comparison would miss.
    static func collapsed(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(scalar)
        }
        return String(result)
    }
}
