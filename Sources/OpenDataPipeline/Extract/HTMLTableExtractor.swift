import LibXML

/// Reads one `<table>` of an HTML page: chosen by `id`, by caption text or by
/// an XPath. The first `headerRows` rows name the columns (cells of several
/// header rows are joined with " / ", after `colspan`/`rowspan` are expanded);
/// each field's `from` is such a name. Numbers are read in the page's
/// declared `numberFormat`.
///
/// The page is parsed whole with libxml2's HTML parser (capped by
/// `maximumBytes`). Unknown tags (HTML5's `header`, `section`, …) are not
/// errors; any other parser error on the lines of the selected table is a
/// failure with its line and column, and one elsewhere on the page a warning
/// in the report. Cell text has its white space collapsed (CR, LF, CRLF, tabs,
/// NBSP), so a header spread over lines is found.
public struct HTMLTableExtractor: Extractor {
    /// How the table is found in the page.
    public enum Selector: Sendable, Equatable {
        case id(String)
        case caption(String)
        case xpath(String)
    }

    public let path: String
    public let displayPath: String
    public let table: Selector
    public let headerRows: Int
    public let fields: [SourceField]
    public let maximumBytes: Int
    /// The most cells of the table once `colspan` and `rowspan` are expanded.
    public var maximumCells = HTMLTable.defaultMaximumCells

    /// The default largest page: 64 MiB.
    public static let defaultMaximumBytes = 64 << 20

    public init(
        path: String, displayPath: String, table: Selector, headerRows: Int = 1, fields: [SourceField],
        maximumBytes: Int = defaultMaximumBytes
    ) {
        self.path = path
        self.displayPath = displayPath
        self.table = table
        self.headerRows = headerRows
        self.fields = fields
        self.maximumBytes = maximumBytes
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let bytes = try SourceFile.read(path: path, displayPath: displayPath, maximumBytes: maximumBytes, kind: "HTML")
        let grid: HTMLTable
        let xml = XMLCalls(file: displayPath)
        let page = try xml(try HTMLPage(parsing: bytes, source: displayPath, maximumBytes: maximumBytes))
        let expression: String
        switch table {
        case let .id(id): expression = "//table[@id=\(Self.literal(id))]"
        case let .caption(caption): expression = "//table[normalize-space(caption)=\(Self.literal(caption))]"
        case let .xpath(xpath): expression = xpath
        }
        let nodes = try xml(try page.document.xpath().nodes(try XPathQuery(expression)))
            .filter { $0.name.lowercased() == "table" }
        guard nodes.count == 1 else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, field: expression),
                problem: nodes.isEmpty ? "no table matches \(table)" : "\(nodes.count) tables match \(table); choose one")
        }
        // An error inside the table could have moved a cell; one elsewhere on the page cannot.
        let problems = page.problems(within: nodes[0])
        if let first = problems.inside.first { throw XMLExtractor.failure(first.error(source: displayPath), file: displayPath) }
        for problem in problems.outside {
            collector?.add(
                ValidationIssue(
                    .sourceError, severity: .warning,
                    location: SourceLocation(file: displayPath, line: problem.line, column: problem.column),
                    message: "HTML error outside the table, which was read as written: \(problem.message)"))
        }
        do {
            grid = try HTMLTable(nodes[0], maximumCells: maximumCells)
        } catch {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: error.line, field: expression),
                problem: "the table (\(table)) expands to more than \(error.limit) cells at its row \(error.row), "
                    + "column \(error.column): expected at most \(error.limit) cells once colspan and rowspan are "
                    + "expanded (maximumCells)")
        }
        guard grid.rows.count > headerRows else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: grid.rows.first?.line),
                problem: "the table has \(grid.rows.count) rows: no data below \(headerRows) header row(s)")
        }
        let width = grid.rows.map(\.cells.count).max() ?? 0
        var header: [String] = []
        for column in 0..<width {
            var parts: [String] = []
            for row in grid.rows.prefix(headerRows) {
                let text = column < row.cells.count ? row.cells[column] : ""
                if !text.isEmpty, parts.last != text { parts.append(text) }
            }
            header.append(UnicodeText.nfc(parts.joined(separator: " / ")))
        }
        var columns: [Int] = []
        for field in fields {
            switch field.columnIndex(in: header) {
            case let .success(index): columns.append(index)
            case let .failure(mismatch):
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: grid.rows[0].line, field: field.from ?? field.field.name),
                    problem: mismatch.problem)
            }
        }
        let decoders = fields.map(\.decoder)
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        for (offset, gridRow) in grid.rows.enumerated().dropFirst(headerRows) {
            var valid = true
            for index in fields.indices {
                let text = columns[index] < gridRow.cells.count ? gridRow.cells[columns[index]] : ""
                do {
                    row[index] = UnicodeText.nfc(try decoders[index].decode(text))
                } catch {
                    let location = SourceLocation(file: displayPath, line: gridRow.line, field: header[columns[index]])
                    guard
                        let kept = try error.report(
                            field: fields[index], location: location, rowNumber: offset + 1, fieldNumber: columns[index] + 1,
                            cell: text, collector: collector)
                    else {
                        valid = false
                        continue
                    }
                    row[index] = kept
                }
            }
            if valid { try batch.append(row, line: gridRow.line, emit: emit) }
        }
        try batch.finish(emit: emit)
    }

    /// `text` as an XPath string literal.
    static func literal(_ text: String) -> String {
        if !text.contains("'") { return "'\(text)'" }
        if !text.contains("\"") { return "\"\(text)\"" }
        return "concat('" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "', \"'\", '") + "')"
    }
}
