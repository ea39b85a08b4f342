import LibXML

/// Reads one sheet of an Office Open XML workbook (.xlsx).
///
/// Each part needed (workbook, relationships, styles, shared strings, the
/// sheet) is inflated once by ``XLSXPackage``, which refuses a zip bomb, and
/// read with libxml2's streaming reader. Memory holds the shared strings (the
/// format indexes them), the merged ranges and one batch; the sheet streams.
///
/// `range` (e.g. `A3:F200`) limits the cells read; the first `headerRows` rows
/// of the range name the columns (several rows are joined with " / ", merged
/// cells fill the whole range they cover). Dates are serial numbers in a date
/// format, in the workbook's 1900 or 1904 date system. Errors name the sheet
/// and the cell: `Dân số!C14`.
public struct XLSXExtractor: Extractor {
    public let path: String
    public let displayPath: String
    /// The sheet's name; nil: the first sheet.
    public let sheet: String?
    public let range: CellRange?
    public let headerRows: Int
    public let fields: [SourceField]
    public let maximumPartBytes: Int
    public let maximumCompressionRatio: Int
    /// Told the header's names (from the table's first column), for `inspect`.
    var headerSink: (@Sendable ([String]) -> Void)?
    /// Told the name of each part as it is inflated (each is inflated once).
    var partSink: (@Sendable (String) -> Void)?
    /// Told the name of a part each time the whole of it is read (the sheet's cells are read once).
    var readSink: (@Sendable (String) -> Void)?

    /// The default largest inflated part: 1 GiB.
    public static let defaultMaximumPartBytes = 1 << 30
    /// The default highest compression ratio of a part (real sheets stay well under 100).
    public static let defaultMaximumCompressionRatio = 200

    public init(
        path: String, displayPath: String, sheet: String? = nil, range: CellRange? = nil, headerRows: Int = 1,
        fields: [SourceField], maximumPartBytes: Int = defaultMaximumPartBytes,
        maximumCompressionRatio: Int = defaultMaximumCompressionRatio
    ) {
        self.path = path
        self.displayPath = displayPath
        self.sheet = sheet
        self.range = range
        self.headerRows = headerRows
        self.fields = fields
        self.maximumPartBytes = maximumPartBytes
        self.maximumCompressionRatio = maximumCompressionRatio
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        do {
            try read(collector: collector, emit)
        } catch let failure as PipelineFailure {
            throw failure
        } catch let error as XMLError {
            throw XMLExtractor.failure(error, file: displayPath)
        } catch {
            throw PipelineFailure.malformedSource(SourceLocation(file: displayPath), problem: "not a readable .xlsx workbook (\(error))")
        }
    }

    private func fail(_ problem: String, cell: String? = nil) -> PipelineFailure {
        .malformedSource(SourceLocation(file: displayPath, field: cell), problem: problem)
    }

    private func read(collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void) throws {
        let package = try XLSXPackage(
            path: path, displayPath: displayPath, maximumPartBytes: maximumPartBytes, maximumCompressionRatio: maximumCompressionRatio)
        package.onInflate = partSink
        package.onRead = readSink
        let workbook = try XLSXWorkbook(package.reader("xl/workbook.xml")!)
        guard !workbook.sheets.isEmpty else { throw fail("the workbook has no sheets") }
        let chosen: (name: String, relationship: String)
        if let sheet {
            guard let found = workbook.sheets.first(where: { $0.name == sheet }) else {
                throw fail("no sheet named '\(sheet)'; the workbook has: \(workbook.sheets.map(\.name).joined(separator: ", "))")
            }
            chosen = found
        } else {
            chosen = workbook.sheets[0]
        }
        guard
            let sheetPath = try XLSXWorkbook.sheetPart(
                relationship: chosen.relationship, in: package.reader("xl/_rels/workbook.xml.rels")!)
        else { throw fail("the workbook does not say where sheet '\(chosen.name)' is") }

        let styles = try package.reader("xl/styles.xml", required: false).map(XLSXStyles.init) ?? XLSXStyles()
        var sharedStrings: [String] = []
        if let strings = try package.reader("xl/sharedStrings.xml", required: false) {
            sharedStrings = try XLSXWorkbook.sharedStrings(strings, limit: maximumPartBytes)
        }
        // The sheet is inflated once; its cells are read once. The merged ranges follow the cells in the
        // part: they are read from its outline (the part without its cells), or from the whole part when
        // the outline cannot be cut out or read (which then reports the part's own error).
        var merges: [CellRange]?
        if let outline = try package.outlineReader(sheetPath) { merges = try? XLSXSheet.merges(outline) }
        if merges == nil { merges = try XLSXSheet.merges(package.reader(sheetPath)!) }
        var table = XLSXTableBuilder(
            extractor: self, sheet: chosen.name, merges: merges ?? [], sharedStrings: sharedStrings, styles: styles,
            date1904: workbook.date1904, collector: collector)
        try XLSXSheet.cells(package.reader(sheetPath)!, file: displayPath, sheet: chosen.name, into: &table, emit)
        try table.finish(emit)
    }
}
