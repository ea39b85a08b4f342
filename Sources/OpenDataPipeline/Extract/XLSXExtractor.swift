import Foundation
import LibXML
import ZIPFoundation

/// Reads one sheet of an Office Open XML workbook (.xlsx).
///
/// The archive is read with ZIPFoundation; each part needed (workbook,
/// relationships, styles, shared strings, the sheet) is inflated to a
/// temporary file, refusing a zip bomb (a part larger than
/// `maximumPartBytes`, or compressed more than `maximumCompressionRatio`
/// times, whether declared or found while inflating), and read with libxml2's
/// streaming reader. Memory holds the shared strings (the format indexes
/// them), the merged ranges and one batch; the sheet itself streams.
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
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw PipelineFailure.sourceUnreadable(SourceLocation(file: displayPath), reason: "cannot open the file (does it exist?)")
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw fail("not an .xlsx workbook (not a ZIP archive)")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var partNumber = 0
        func part(_ name: String, required: Bool = true) throws -> XMLStreamReader? {
            guard let entry = archive[name] else {
                if required { throw fail("not an .xlsx workbook: the archive has no \(name)") }
                return nil
            }
            partNumber += 1
            let file = scratch.appendingPathComponent("part\(partNumber).xml")
            try inflate(entry, from: archive, to: file, name: name)
            return try XMLStreamReader(path: file.path, source: "\(displayPath) (\(name))")
        }

        // The workbook: sheet names, their relationship ids, the date system.
        var sheets: [(name: String, relationship: String)] = []
        var date1904 = false
        let workbook = try part("xl/workbook.xml")!
        while try workbook.read() {
            guard workbook.kind == .element else { continue }
            if workbook.localName == "sheet", let name = workbook.attribute("name") {
                let relationship = workbook.attributes().first { $0.localName == "id" && $0.namespaceURI != nil }?.value ?? ""
                sheets.append((name, relationship))
            } else if workbook.localName == "workbookPr", let value = workbook.attribute("date1904") {
                date1904 = value == "1" || value == "true"
            }
        }
        guard !sheets.isEmpty else { throw fail("the workbook has no sheets") }
        let chosen: (name: String, relationship: String)
        if let sheet {
            guard let found = sheets.first(where: { $0.name == sheet }) else {
                throw fail("no sheet named '\(sheet)'; the workbook has: \(sheets.map(\.name).joined(separator: ", "))")
            }
            chosen = found
        } else {
            chosen = sheets[0]
        }
        var target: String?
        let relationships = try part("xl/_rels/workbook.xml.rels")!
        while try relationships.read() {
            guard relationships.kind == .element else { continue }
            if relationships.localName == "Relationship", relationships.attribute("Id") == chosen.relationship {
                target = relationships.attribute("Target")
            }
        }
        guard var sheetPath = target else { throw fail("the workbook does not say where sheet '\(chosen.name)' is") }
        sheetPath = sheetPath.hasPrefix("/") ? String(sheetPath.dropFirst()) : "xl/" + sheetPath

        let styles = try part("xl/styles.xml", required: false).map(XLSXStyles.init) ?? XLSXStyles()
        var sharedStrings: [String] = []
        if let strings = try part("xl/sharedStrings.xml", required: false) {
            sharedStrings = try Self.sharedStrings(strings, limit: maximumPartBytes)
        }
        let sheetName = chosen.name

        // First pass over the sheet: merged ranges (they follow the cells in the file).
        var merges: [CellRange] = []
        let mergeReader = try part(sheetPath)!
        while try mergeReader.read() {
            guard mergeReader.kind == .element, mergeReader.localName == "mergeCell" else { continue }
            if let ref = mergeReader.attribute("ref"), let merged = CellRange(ref) { merges.append(merged) }
        }
        // Second pass: the cells.
        let sheetReader = try part(sheetPath)!
        var table = XLSXTableBuilder(
            extractor: self, sheet: sheetName, merges: merges, sharedStrings: sharedStrings, styles: styles, date1904: date1904,
            collector: collector)
        var cellRef = ""
        var cellType = ""
        var cellStyle = 0
        var cellText: String?
        var inValue = false
        var inInline = false
        var rowNumber = 0
        var nextColumn = 1
        while try sheetReader.read() {
            switch sheetReader.kind {
            case .element:
                switch sheetReader.localName {
                case "row":
                    // Checked, so that a huge `r` cannot overflow the count of the rows after it.
                    let r = sheetReader.attribute("r")
                    let number = r == nil ? rowNumber + 1 : Int(r!)
                    guard let number, (1...CellReference.maximumRow).contains(number) else {
                        throw PipelineFailure.malformedSource(
                            SourceLocation(file: displayPath, line: sheetReader.line, field: sheetName),
                            problem: "a row number \(r.map { "r=\"\($0.prefix(24))\"" } ?? String(rowNumber + 1)) "
                                + "outside 1 to \(CellReference.maximumRow)")
                    }
                    rowNumber = number
                    nextColumn = 1
                    try table.startRow(rowNumber, line: sheetReader.line, emit)
                case "c":
                    if let r = sheetReader.attribute("r"), let reference = CellReference(r) {
                        cellRef = r
                        nextColumn = reference.column
                    } else {
                        cellRef = CellReference(column: nextColumn, row: rowNumber).description
                    }
                    nextColumn += 1
                    cellType = sheetReader.attribute("t") ?? "n"
                    cellStyle = Int(sheetReader.attribute("s") ?? "") ?? 0
                    cellText = nil
                    if sheetReader.isEmptyElement { try table.cell(cellRef, type: cellType, style: cellStyle, text: nil) }
                case "v": inValue = !sheetReader.isEmptyElement
                case "is": inInline = true
                case "t" where inInline: inValue = !sheetReader.isEmptyElement
                default: break
                }
            case .text:
                if inValue { cellText = (cellText ?? "") + (sheetReader.value ?? "") }
            case .endElement:
                switch sheetReader.localName {
                case "v", "t": inValue = false
                case "is": inInline = false
                case "c": try table.cell(cellRef, type: cellType, style: cellStyle, text: cellText)
                default: break
                }
            case .other:
                break
            }
        }
        try table.finish(emit)
    }

    /// Inflates `entry` to `file`, refusing a part that is too large or too compressed.
    private func inflate(_ entry: Entry, from archive: Archive, to file: URL, name: String) throws {
        let declared = Int(exactly: entry.uncompressedSize) ?? Int.max
        let compressed = max(Int(exactly: entry.compressedSize) ?? 1, 1)
        let limit = min(maximumPartBytes, compressed.multipliedReportingOverflow(by: maximumCompressionRatio).partialValue)
        guard declared <= maximumPartBytes else {
            throw fail("\(name) declares \(declared) bytes inflated, more than the limit of \(maximumPartBytes) (a zip bomb?)")
        }
        guard declared <= limit else {
            throw fail("\(name) is compressed \(declared / compressed) times, more than the limit of \(maximumCompressionRatio) (a zip bomb?)")
        }
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw fail("cannot write a temporary file to inflate \(name)")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var written = 0
        _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in
            written += data.count
            guard written <= limit, written <= declared else {
                throw fail("\(name) inflates to more than it declares or than \(limit) bytes (a zip bomb?)")
            }
            handle.write(data)
        }
    }

    /// The shared-string table: each `si`'s text runs joined (phonetic runs skipped).
    private static func sharedStrings(_ reader: XMLStreamReader, limit: Int) throws -> [String] {
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

/// A cell address: 1-based column and row (`C14` is column 3, row 14).
public struct CellReference: Sendable, Hashable, CustomStringConvertible {
    public var column: Int
    public var row: Int

    public init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }

    /// Parses `A1`-style references (`$` signs allowed); nil when invalid.
    /// The last row of a sheet (Excel's limit).
    public static let maximumRow = 1_048_576

    public init?(_ text: String) {
        var column = 0
        var digits = ""
        for character in text.uppercased() where character != "$" {
            if let ascii = character.asciiValue, (65...90).contains(ascii), digits.isEmpty {
                column = column * 26 + Int(ascii - 64)
                guard column <= 16384 else { return nil }
            } else if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                return nil
            }
        }
        guard column > 0, let row = Int(digits), row > 0, row <= Self.maximumRow else { return nil }
        self.column = column
        self.row = row
    }

    public var columnName: String {
        var name = ""
        var value = column
        while value > 0 {
            let remainder = (value - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            value = (value - 1) / 26
        }
        return name
    }

    public var description: String { "\(columnName)\(row)" }
}

/// A rectangle of cells, `A3:F200` (a single cell `B2` is a range too).
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    public var start: CellReference
    public var end: CellReference

    public init?(_ text: String) {
        let parts = text.split(separator: ":").map(String.init)
        guard (1...2).contains(parts.count), let start = CellReference(parts[0]),
            let end = CellReference(parts.count == 2 ? parts[1] : parts[0]), start.column <= end.column, start.row <= end.row
        else { return nil }
        self.start = start
        self.end = end
    }

    public func contains(_ reference: CellReference) -> Bool {
        (start.column...end.column).contains(reference.column) && (start.row...end.row).contains(reference.row)
    }

    public var description: String { "\(start):\(end)" }
}

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

/// Turns the cells of a sheet into typed rows: range, header, merges, decoding.
struct XLSXTableBuilder {
    let extractor: XLSXExtractor
    let sheet: String
    let merges: [CellRange]
    let sharedStrings: [String]
    let styles: XLSXStyles
    let date1904: Bool
    let collector: ValidationCollector?
    private var decoders: [ValueDecoder]
    private var headerRowsSeen: [[Int: String]] = []
    private var current: [Int: (text: String, reference: String, isDate: Bool)] = [:]
    /// The columns of the current row whose cells are numbers (not dates).
    private var numericColumns = Set<Int>()
    private var currentRow = 0
    private var currentLine = 0
    private var columns: [Int]?
    private var batch: BatchBuilder
    private var row: [Value]
    private var count = 0
    /// Text of merge anchors, to fill the rest of their range.
    private var mergeText: [CellRange: (text: String, isDate: Bool)] = [:]

    init(
        extractor: XLSXExtractor, sheet: String, merges: [CellRange], sharedStrings: [String], styles: XLSXStyles,
        date1904: Bool, collector: ValidationCollector? = nil
    ) {
        self.collector = collector
        self.extractor = extractor
        self.sheet = sheet
        self.merges = merges
        self.sharedStrings = sharedStrings
        self.styles = styles
        self.date1904 = date1904
        decoders = extractor.fields.map(\.decoder)
        batch = BatchBuilder(width: extractor.fields.count)
        row = [Value](repeating: .null, count: extractor.fields.count)
    }

    private var file: String { extractor.displayPath }

    private func quoted(_ reference: String) -> String {
        sheet.contains(where: { !$0.isLetter && !$0.isNumber && $0 != "_" }) ? "'\(sheet)'!\(reference)" : "\(sheet)!\(reference)"
    }

    mutating func startRow(_ number: Int, line: Int, _ emit: (Batch) throws(PipelineFailure) -> Void) throws {
        try flushRow(emit)
        currentRow = number
        currentLine = line
    }

    /// Records one cell of the current row (nil text: an empty cell).
    mutating func cell(_ reference: String, type: String, style: Int, text: String?) throws {
        guard let address = CellReference(reference) else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: file, field: quoted(reference)), problem: "an invalid cell reference")
        }
        if let range = extractor.range, !range.contains(address) { return }
        guard let text else { return }
        var value = text
        var isDate = false
        switch type {
        case "s":
            guard let index = Int(text), sharedStrings.indices.contains(index) else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: file, field: quoted(reference)), problem: "a shared string index \(text) that does not exist")
            }
            value = sharedStrings[index]
        case "b": value = text == "1" ? "true" : "false"
        case "e":
            throw PipelineFailure.badValue(
                SourceLocation(file: file, field: quoted(reference)), value: text, expected: "a value, not a spreadsheet error")
        case "str", "inlineStr": value = UnicodeText.nfc(text)
        case "d": value = String(text.prefix(10))
        default:  // a number
            value = JSONCellDecoder.plainDecimal(text) ?? text
            isDate = styles.isDate.indices.contains(style) && styles.isDate[style]
            if !isDate { numericColumns.insert(address.column) }
        }
        for merge in merges where merge.start == address {
            mergeText[merge] = (value, isDate)
        }
        current[address.column] = (value, reference, isDate)
    }

    /// Fills merged slots of the current row, then makes it a header row or a data row.
    private mutating func flushRow(_ emit: (Batch) throws(PipelineFailure) -> Void) throws {
        guard currentRow > 0 else { return }
        defer {
            current.removeAll(keepingCapacity: true)
            numericColumns.removeAll(keepingCapacity: true)
            currentRow = 0
        }
        for (merge, anchor) in mergeText where (merge.start.row...merge.end.row).contains(currentRow) {
            for column in merge.start.column...merge.end.column where current[column] == nil {
                let reference = CellReference(column: column, row: currentRow)
                if let range = extractor.range, !range.contains(reference) { continue }
                current[column] = (anchor.text, reference.description, anchor.isDate)
            }
        }
        let firstRow = extractor.range?.start.row ?? 1
        guard currentRow >= firstRow else { return }
        if headerRowsSeen.count < extractor.headerRows {
            headerRowsSeen.append(current.mapValues(\.text))
            return
        }
        if columns == nil { try resolveColumns() }
        guard !current.isEmpty else { return }  // a blank row
        let columns = columns!
        var row = self.row
        defer { self.row = row }
        let valid = try decodeRow(&row, fields: extractor.fields, collector: collector) { index throws(CellFailure) in
            let column = columns[index]
            let cell = current[column]
            let reference = cell?.reference ?? CellReference(column: column, row: currentRow).description
            let location = SourceLocation(file: file, field: quoted(reference))
            var text = cell?.text ?? ""
            if let cell, cell.isDate, extractor.fields[index].field.type != .number,
                extractor.fields[index].field.type != .integer
            {
                let type = extractor.fields[index].field.type
                // A datetime or time field keeps the time of day (the serial's fraction).
                let withTime = type == .datetime || type == .time
                guard
                    let date = withTime
                        ? Self.dateTime(serial: cell.text, date1904: date1904) : Self.date(serial: cell.text, date1904: date1904)
                else {
                    throw CellFailure(location, cell: cell.text, .init(expected: "a date serial number"), rowNumber: currentRow, fieldNumber: column)
                }
                text = type == .year ? String(date.prefix(4)) : type == .time ? String(date.suffix(8)) : date
            }
            // A number read as text is written as the sheet shows it in the General format: 31001, not 31001.0.
            if cell != nil, extractor.fields[index].field.type == .string, numericColumns.contains(column) {
                text = Self.general(text)
            }
            let decoder = cell != nil && !(cell!.isDate) && Double(text) != nil && extractor.fields[index].field.type != .string
                ? ValueDecoder(field: decoders[index].field, numberFormat: .plain) : decoders[index]
            do throws(ValueDecoder.Failure) {
                return try decoder.decode(text)
            } catch {
                throw CellFailure(location, cell: text, error, rowNumber: currentRow, fieldNumber: column)
            }
        }
        count += 1
        if valid { try batch.append(row, line: currentRow, emit: emit) }
    }

    private mutating func resolveColumns() throws {
        let allColumns = Set(headerRowsSeen.flatMap(\.keys)).sorted()
        var names: [Int: String] = [:]
        for column in allColumns {
            var parts: [String] = []
            for header in headerRowsSeen {
                if let text = header[column], !text.isEmpty, parts.last != text { parts.append(text) }
            }
            names[column] = parts.joined(separator: " / ")
        }
        if let sink = extractor.headerSink {
            let first = extractor.range?.start.column ?? 1
            sink((first...max(first, allColumns.last ?? first)).map { names[$0] ?? "" })
        }
        var resolved: [Int] = []
        for field in extractor.fields {
            // Positions count from the table's first column (the range's, or A).
            let first = extractor.range?.start.column ?? 1
            let header = (first...max(first, allColumns.last ?? first)).map { names[$0] ?? "" }
            switch field.columnIndex(in: header) {
            case let .success(index): resolved.append(first + index)
            case let .failure(mismatch):
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: file, field: quoted("\(extractor.range?.start.description ?? "A1")")), problem: mismatch.problem)
            }
        }
        columns = resolved
    }

    /// A number as Excel's General format shows it: up to 15 significant digits, no
    /// trailing zeros or point (`31001.0` → `31001`, `0.30000000000000004` → `0.3`).
    /// Numbers of 10^15 and more keep their digits.
    static func general(_ plain: String) -> String {
        guard let number = Double(plain), number.isFinite, abs(number) < 1e15 else { return plain }
        var text = String(format: "%.15g", number)
        if text.contains("e") { return plain }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    mutating func finish(_ emit: (Batch) throws(PipelineFailure) -> Void) throws {
        try flushRow(emit)
        if columns == nil, headerRowsSeen.count == extractor.headerRows { try resolveColumns() }
        guard count > 0 else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: file, field: sheet), problem: "the sheet has no data rows below its header")
        }
        try batch.finish(emit: emit)
    }

    /// `YYYY-MM-DDThh:mm:ss` of a date serial number, its fraction rounded to the second.
    static func dateTime(serial text: String, date1904: Bool) -> String? {
        guard let serial = Double(text), serial >= 0, serial < 2_958_466 else { return nil }
        let seconds = Int((serial * 86_400).rounded())
        guard let date = date(serial: String(seconds / 86_400), date1904: date1904) else { return nil }
        let time = seconds % 86_400
        return date + String(format: "T%02d:%02d:%02d", time / 3600, time / 60 % 60, time % 60)
    }

    /// `YYYY-MM-DD` of a date serial number in the 1900 or 1904 date system.
    static func date(serial text: String, date1904: Bool) -> String? {
        guard let serial = Double(text), serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        if date1904 {
            days += 1462  // 1904-01-01 is serial 1462 in the 1900 system
        } else if days == 60 {
            return nil  // 1900-02-29, which Excel counts but never existed
        } else if days < 60 {
            days += 1
        }
        // Days since 1899-12-30 → civil date (Howard Hinnant's algorithm).
        let z = days - 25569 + 719_468  // 25569: 1970-01-01
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}
