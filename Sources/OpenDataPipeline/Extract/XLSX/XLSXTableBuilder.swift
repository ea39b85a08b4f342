import Foundation

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
        case "b":
            guard text == "1" || text == "0" else {
                throw PipelineFailure.badValue(
                    SourceLocation(file: file, field: quoted(reference)), value: text, expected: "a boolean cell of 0 or 1")
            }
            value = text == "1" ? "true" : "false"
        case "e":
            throw PipelineFailure.badValue(
                SourceLocation(file: file, field: quoted(reference)), value: text, expected: "a value, not a spreadsheet error")
        case "str", "inlineStr": value = UnicodeText.nfc(text)
        case "d": value = String(text.prefix(10))
        case "n":
            value = JSONCellDecoder.plainDecimal(text) ?? text
            isDate = styles.isDate.indices.contains(style) && styles.isDate[style]
            if !isDate { numericColumns.insert(address.column) }
        default:
            throw PipelineFailure.malformedSource(
                SourceLocation(file: file, field: quoted(reference)),
                problem: "a cell of type t=\"\(PipelineFailure.printable(String(type.prefix(24))))\": expected b, d, e, inlineStr, n, s or str")
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
            let decoder =
                cell != nil && !(cell!.isDate) && Double(text) != nil && extractor.fields[index].field.type != .string
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
        // Days since 1899-12-30; 25569 is 1970-01-01.
        let (year, month, day) = CalendarDate.civil(daysSince1970: Int64(days - 25569))
        return String(format: "%04d-%02d-%02d", Int(year), Int(month), Int(day))
    }
}
