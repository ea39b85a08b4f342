#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a CSV file (RFC 4180 in a declared dialect and encoding) with a
/// header row, optionally below title lines and above footer rows
/// (``CSVLayout``).
///
/// Columns are matched to fields by header name; columns the pipeline does not
/// declare are skipped. Cells are decoded straight from the file's bytes (after
/// decoding the declared encoding to UTF-8); text comes out in NFC.
/// Streams: memory is one read chunk, one record and one batch (plus
/// `footerRows` records held back).
///
/// When collecting, a table whose header is on the first line is also checked
/// for structure as Frictionless does (blank-label, duplicate-label,
/// missing-cell, extra-cell, blank-row), with rows counted as Frictionless
/// counts them (header = row 1, each blank line a row); with title lines,
/// comments or footers the layout decides what is a row, and a row of the wrong
/// width is an error. Either way bad values are reported and reading goes on.
public struct CSVExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let dialect: CSVDialect
    public let layout: CSVLayout
    public let fields: [SourceField]
    /// Cell texts that mean "no value" (Table Schema `missingValues`); the empty cell always does.
    public var missingValues: [String] = [""]

    public init(path: String, displayPath: String, dialect: CSVDialect, layout: CSVLayout = CSVLayout(), fields: [SourceField]) {
        self.path = path
        self.displayPath = displayPath
        self.dialect = dialect
        self.layout = layout
        self.fields = fields
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public var inputFiles: [(path: String, shown: String)]? { [(path, displayPath)] }

    /// The dataset's cell limit, applied to every field of the file while it is read.
    private var maximumFieldBytes: Int { fields.map(\.maximumCellBytes).max() ?? ValueDecoder.defaultMaximumCellBytes }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        guard layout == CSVLayout() else {
            try extractLaidOut(collecting: collector, emit)
            return
        }
        let reader = try CSVReader(
            path: path, displayPath: displayPath, dialect: dialect, maximumFieldBytes: maximumFieldBytes)
        guard try reader.nextRecord() else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: 1), problem: "the file is empty; expected a header row", code: .emptySource)
        }
        var header = (0..<reader.fieldCount).map { UnicodeText.nfc(reader.fieldText($0)) }
        // Empty cells closing the header (Excel's "a;b;;;") are not columns; the cells beneath them must be empty.
        let writtenWidth = header.count
        while let last = header.last, last.isBlank, header.count > 1 { header.removeLast() }
        if let collector { checkLabels(header, into: collector) }
        guard let columns = try columnIndexes(header: header, collector: collector) else { return }
        let decoders = makeDecoders()
        var cache = DecodeCache(fields: fields.count)
        var batch = BatchBuilder(width: fields.count)
        var rowNumber = 1
        var nextLine = reader.recordLine + 1 + Self.lineBreaks(in: reader)  // the line after the header
        while try reader.nextRecord() {
            let line = reader.recordLine
            if line > nextLine {  // blank lines the reader skipped: rows, as Frictionless counts them
                for blank in nextLine..<line {
                    rowNumber += 1
                    collector?.add(
                        ValidationIssue(
                            .blankRow, location: SourceLocation(file: displayPath, line: blank), rowNumber: rowNumber,
                            message: "the row is blank"))
                }
            }
            rowNumber += 1
            // One look at the record's bytes: its line breaks, and whether every field is empty.
            let (breaks, blank) = reader.withRecord { bytes, ends in
                (reader.recordHasQuotedField ? Self.lineBreaks(in: bytes) : 0, (ends.last ?? 0) == 0)
            }
            nextLine = line + 1 + breaks
            var valid = true
            if let collector {
                if blank {
                    collector.add(
                        ValidationIssue(
                            .blankRow, location: SourceLocation(file: displayPath, line: line), rowNumber: rowNumber,
                            message: "the row is blank"))
                    continue
                }
                valid = checkWidth(reader, header: header, writtenWidth: writtenWidth, rowNumber: rowNumber, into: collector)
            } else if reader.fieldCount < header.count || reader.fieldCount > writtenWidth
                || (header.count..<max(header.count, reader.fieldCount)).contains(where: { index in reader.withField(index) { !$0.isEmpty } })
            {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: reader.recordLine),
                    problem: "the row has \(reader.fieldCount) fields but the header has \(header.count)", code: .rowWidth)
            }
            let normalize = reader.mayNeedNormalization
            // Cells go straight into the batch; a row with a cell that did not decode is taken back.
            let decoded = try reader.withRecord { bytes, ends throws(PipelineFailure) in
                var decoded = true
                for index in 0..<columns.count {
                    let column = columns[index]
                    guard column < ends.count else {
                        batch.appendCell(.null)  // a missing cell, already reported
                        continue
                    }
                    let cell = CSVReader.field(column, bytes: bytes, ends: ends)
                    let found = cache.lookUp(cell, field: index)
                    if found.hit {
                        cache.appendValue(at: found.slot, to: &batch)
                        continue
                    }
                    do throws(ValueDecoder.Failure) {
                        batch.appendCell(try CSVReader.decodeMissed(cell, decoders, index, &cache, normalize, slot: found.slot))
                    } catch {
                        let kept = try report(
                            error, field: index, column: column, line: reader.recordLine, rowNumber: rowNumber,
                            cell: reader.fieldText(column), collector: collector)
                        if kept == nil { decoded = false }
                        batch.appendCell(kept ?? .null)
                    }
                }
                return decoded
            }
            guard valid, decoded else {
                batch.dropRow()
                continue
            }
            if try batch.endRow(line: reader.recordLine, emit: emit) { cache.forgetValues() }
        }
        try finish(&batch, firstRowLine: 2, collector: collector, emit: emit)
    }

    /// The path for tables with title lines, comments or footer rows (``CSVTable``).
    private func extractLaidOut(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let reader = CSVTable(
            reader: try CSVReader(path: path, displayPath: displayPath, dialect: dialect, maximumFieldBytes: maximumFieldBytes),
            layout: layout,
            displayPath: displayPath)
        guard try reader.readHeader() else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: layout.headerLine ?? 1), problem: "the file is empty; expected a header row",
                code: .emptySource)
        }
        guard let columns = try columnIndexes(header: reader.header, collector: collector) else { return }
        let decoders = makeDecoders()
        var cache = DecodeCache(fields: fields.count)
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        while try reader.nextRow() {
            let normalize = reader.mayNeedNormalization
            var valid = true
            for index in 0..<columns.count {
                do {
                    row[index] = try reader.decodeField(
                        columns[index], with: decoders, field: index, cache: &cache, normalize: normalize)
                } catch {
                    let kept = try report(
                        error, field: index, column: columns[index], line: reader.recordLine, rowNumber: nil,
                        cell: reader.fieldText(columns[index]), collector: collector)
                    if let kept { row[index] = kept } else { valid = false }
                }
            }
            guard valid else { continue }
            try batch.append(row, line: reader.recordLine, emit: emit)
        }
        try finish(&batch, firstRowLine: (layout.headerLine ?? 1) + 1, collector: collector, emit: emit)
    }

    /// The decoders of the fields. The CSV reader checks (or transcodes to) UTF-8 as it
    /// reads, so text is not checked again.
    private func makeDecoders() -> [FieldDecoder] {
        fields.map { field in
            var decoder = field.decoder(missingValues: missingValues)
            decoder.bytesAreValidUTF8 = true
            return FieldDecoder(decoder)
        }
    }

    /// Passes on the last batch; a table with a header and no rows (none dropped for errors) is refused.
    private func finish(
        _ batch: inout BatchBuilder, firstRowLine: Int, collector: ValidationCollector?,
        emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        guard batch.rows > 0 || collector?.errorsInCurrentDataset ?? 0 > 0 else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: firstRowLine),
                problem: "the file has a header but no rows; an empty table is not published", code: .noRows)
        }
        try batch.finish(emit: emit)
    }

    /// A cell that did not decode: thrown without a collector; otherwise reported,
    /// returning the value to keep when its rule is only a warning, or nil to drop the row.
    private func report(
        _ error: ValueDecoder.Failure, field index: Int, column: Int, line: Int, rowNumber: Int?, cell: String,
        collector: ValidationCollector?
    ) throws(PipelineFailure) -> Value? {
        let location = SourceLocation(file: displayPath, line: line, row: rowNumber, field: fields[index].from ?? fields[index].field.name)
        return try error.report(
            field: fields[index], location: location, rowNumber: rowNumber, fieldNumber: column + 1, cell: cell,
            collector: collector)
    }

    /// Line breaks inside the current record (in quoted cells), so that the
    /// next record's line tells how many blank lines lay between.
    private static func lineBreaks(in reader: CSVReader) -> Int {
        reader.withRecord { bytes, _ in lineBreaks(in: bytes) }
    }

    /// Line breaks in a record's field bytes.
    @inline(__always)
    private static func lineBreaks(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty,
            memchr(base, 0x0A, bytes.count) != nil || memchr(base, 0x0D, bytes.count) != nil
        else { return 0 }
        var count = 0
        for index in bytes.indices {
            if bytes[index] == 0x0A {
                if index == 0 || bytes[index - 1] != 0x0D { count += 1 }
            } else if bytes[index] == 0x0D {
                count += 1
            }
        }
        return count
    }

    private func checkLabels(_ header: [String], into collector: ValidationCollector) {
        var seen = Set<String>()
        for (index, label) in header.enumerated() {
            let location = SourceLocation(file: displayPath, line: 1, field: label.isEmpty ? nil : label)
            if label.isBlank {
                collector.add(
                    ValidationIssue(
                        .blankLabel, location: location, fieldNumber: index + 1,
                        message: "column \(index + 1) of the header has no name"))
            } else if !seen.insert(label).inserted {
                let first = (header.firstIndex(of: label) ?? 0) + 1
                collector.add(
                    ValidationIssue(
                        .duplicateLabel, location: location, fieldNumber: index + 1,
                        message: "column \(index + 1) of the header repeats the name '\(label)' of column \(first)"))
            }
        }
    }

    /// Reports missing and extra cells; true when the row has the header's width.
    private func checkWidth(
        _ reader: CSVReader, header: [String], writtenWidth: Int, rowNumber: Int, into collector: ValidationCollector
    ) -> Bool {
        var count = reader.fieldCount
        let line = reader.recordLine
        // Empty cells under the header's closing empty cells are not extra.
        while count > header.count, count <= writtenWidth, reader.withField(count - 1, { $0.isEmpty }) { count -= 1 }
        for index in count..<max(count, header.count) {
            collector.add(
                ValidationIssue(
                    .missingCell,
                    location: SourceLocation(file: displayPath, line: line, field: header[index].isEmpty ? nil : header[index]),
                    rowNumber: rowNumber, fieldNumber: index + 1,
                    message: "the row has \(count) cells but the header has \(header.count): no cell for column \(index + 1)"))
        }
        for index in header.count..<max(count, header.count) {
            collector.add(
                ValidationIssue(
                    .extraCell, location: SourceLocation(file: displayPath, line: line), rowNumber: rowNumber,
                    fieldNumber: index + 1, cell: reader.fieldText(index),
                    message: "the row has \(count) cells but the header has \(header.count): cell \(index + 1) is extra"))
        }
        return count == header.count
    }

    /// The header column of each declared field; nil (after reporting) when one is missing.
    private func columnIndexes(header: [String], collector: ValidationCollector?) throws(PipelineFailure) -> [Int]? {
        var indexes: [Int] = []
        for field in fields {
            switch field.columnIndex(in: header) {
            case let .success(index): indexes.append(index)
            case let .failure(mismatch):
                // A repeated name that no field reads is only a duplicate-label; one that a field reads is an error.
                let location = SourceLocation(file: displayPath, line: layout.headerLine ?? 1, field: field.from ?? field.field.name)
                let code: PipelineFailure.Code = mismatch.missing ? .missingLabel : .duplicateLabel
                guard let collector else { throw PipelineFailure.malformedSource(location, problem: mismatch.problem, code: code) }
                collector.add(ValidationIssue(.missingLabel, location: location, message: mismatch.problem, code: code))
                return nil
            }
        }
        return indexes
    }
}

extension String {
    /// Empty, or only spaces and tabs: a header cell without a name.
    fileprivate var isBlank: Bool {
        allSatisfy { $0 == " " || $0 == "\t" }
    }
}
