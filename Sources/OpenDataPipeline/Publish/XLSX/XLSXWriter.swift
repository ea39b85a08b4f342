import Foundation
import ZIPFoundation

/// Writes `data/<id>.xlsx`: the rows stream into the data sheet's XML in a temporary file
/// (one reused buffer, never a document in memory); `finish` zips it with the small parts,
/// every entry dated from the dataset's last change, so the same rows and metadata give
/// the same bytes in every release.
final class XLSXWriter: DatasetWriter {
    private enum Column {
        case text, integer, number(style: Int?), date, boolean
    }

    private let path: String
    private let sheetPath: String
    private let sheet: BufferedFileWriter
    private let columns: [Column]
    private let references: [String]
    private let decimalPlaces: [Int]
    private var line: [UInt8] = []
    private var rowNumber = 1
    /// Values a spreadsheet cell cannot hold as a number or date, written as text (said in the About sheet).
    private var numbersAsText = 0
    private var datesAsText = 0
    /// Texts longer than Excel shows (said in the About sheet; the cell holds the whole text).
    private var longTexts = 0

    init(schema: TableSchema, path: String) throws(PipelineFailure) {
        guard schema.fields.count <= SheetCells.maximumColumns else {
            throw PipelineFailure.cannotPublish(path: path, reason: "a sheet holds at most \(SheetCells.maximumColumns) columns")
        }
        self.path = path
        sheetPath = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-sheet-\(UUID().uuidString).xml").path
        let places = Array(Set(schema.fields.compactMap { $0.type == .number ? $0.decimals : nil }.filter { $0 > 0 })).sorted()
        decimalPlaces = places
        columns = schema.fields.map { field in
            switch field.type {
            case .integer, .year: .integer
            case .number: .number(style: field.decimals.flatMap { XLSXParts.Style.decimals($0, among: places) })
            case .date: .date
            case .boolean: .boolean
            case .string, .datetime, .time, .yearmonth, .duration: .text
            }
        }
        references = schema.fields.indices.map { SheetCells.columnName($0) }
        sheet = try BufferedFileWriter(path: sheetPath)
        let titles = schema.fields.map { $0.title?.vi ?? $0.name }
        // Wide enough for the header, within reason.
        let widths = titles.map { min(60, max(10, $0.count + 4)) }
        var header = Array(XLSXParts.sheetStart(widths: widths, frozenHeader: true).utf8)
        header.append(contentsOf: "<row r=\"1\">".utf8)
        for (index, title) in titles.enumerated() {
            SheetCells.appendText(title, reference: references[index] + "1", style: XLSXParts.Style.header, to: &header)
        }
        header.append(contentsOf: "</row>".utf8)
        try sheet.write(header)
    }

    deinit {
        try? sheet.close()
        try? FileManager.default.removeItem(atPath: sheetPath)
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        line.removeAll(keepingCapacity: true)
        var digits: [UInt8] = []
        for row in 0..<batch.rowCount {
            rowNumber += 1
            guard rowNumber <= SheetCells.maximumRows else {
                throw PipelineFailure.cannotPublish(
                    path: path, reason: "a sheet holds at most \(SheetCells.maximumRows - 1) rows below its header")
            }
            let number = String(rowNumber)
            line.append(contentsOf: "<row r=\"\(number)\">".utf8)
            let cells = batch.row(row)
            for column in 0..<batch.width {
                let value = cells[cells.startIndex + column]
                if let problem = SheetCells.problem(value) {
                    throw PipelineFailure.cannotPublish(path: path, reason: "expected \(problem) (row \(rowNumber - 1), column \(column + 1))")
                }
                let reference = references[column] + number
                digits.removeAll(keepingCapacity: true)
                switch (value, columns[column]) {
                case (.null, _): continue
                case let (.string(text), _):
                    if text.utf16.count > SheetCells.excelTextLength { longTexts += 1 }
                    SheetCells.appendText(text, reference: reference, style: XLSXParts.Style.text, to: &line)
                case let (.boolean(flag), _):
                    SheetCells.appendBoolean(flag, reference: reference, to: &line)
                case let (.date(date), _):
                    if let serial = SheetCells.serial(date) {
                        Value.appendDigits(serial, to: &digits)
                        SheetCells.appendNumber(digits, reference: reference, style: XLSXParts.Style.date, to: &line)
                    } else {
                        datesAsText += 1
                        SheetCells.appendText(date.description, reference: reference, style: XLSXParts.Style.text, to: &line)
                    }
                case let (.integer(integer), _):
                    value.appendCanonicalText(to: &digits)
                    if SheetCells.fitsADouble(DecimalNumber(integer)) {
                        SheetCells.appendNumber(digits, reference: reference, style: nil, to: &line)
                    } else {
                        numbersAsText += 1
                        SheetCells.appendText(String(decoding: digits, as: UTF8.self), reference: reference, style: XLSXParts.Style.text, to: &line)
                    }
                case let (.number(decimal), kind):
                    value.appendCanonicalText(to: &digits)
                    if SheetCells.fitsADouble(decimal) {
                        let style: Int? = if case let .number(style) = kind { style } else { nil }
                        SheetCells.appendNumber(digits, reference: reference, style: style, to: &line)
                    } else {
                        numbersAsText += 1
                        SheetCells.appendText(String(decoding: digits, as: UTF8.self), reference: reference, style: XLSXParts.Style.text, to: &line)
                    }
                }
            }
            line.append(contentsOf: "</row>".utf8)
        }
        try sheet.write(line)
    }

    func finish(_ metadata: DatasetMetadata) throws(PipelineFailure) -> Int {
        try sheet.write(XLSXParts.sheetEnd)
        try sheet.close()
        defer { try? FileManager.default.removeItem(atPath: sheetPath) }
        let dataset = metadata.dataset
        // Dated from the dataset's last change (data or metadata), not from this run: an unchanged dataset keeps its bytes.
        let modified =
            [metadata.dates.data, metadata.dates.metadata].compactMap(FeedDate.parse).max()
            ?? Date(timeIntervalSince1970: 0)
        let parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(XLSXParts.contentTypes.utf8)),
            ("_rels/.rels", Array(XLSXParts.packageRelationships.utf8)),
            (
                "docProps/core.xml",
                Array(
                    XLSXParts.coreProperties(
                        title: dataset.title.vi, subject: dataset.title.en, creator: metadata.pipeline.publisher.name,
                        description: dataset.description.vi, modified: modified
                    ).utf8)
            ),
            ("docProps/app.xml", Array(XLSXParts.appProperties.utf8)),
            ("xl/workbook.xml", Array(XLSXParts.workbook.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(XLSXParts.workbookRelationships.utf8)),
            ("xl/styles.xml", Array(XLSXParts.styles(decimalPlaces: decimalPlaces).utf8)),
        ]
        do {
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
            for (name, bytes) in parts {
                try Self.add(name, bytes: bytes, to: archive, modified: modified)
            }
            let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: sheetPath))
            defer { try? reader.close() }
            try archive.addEntry(
                with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(sheet.byteCount), modificationDate: modified,
                permissions: 0o644, compressionMethod: .deflate, bufferSize: 1 << 16
            ) { position, size in
                try reader.seek(toOffset: UInt64(position))
                return try reader.read(upToCount: size) ?? Data()
            }
            try Self.add("xl/worksheets/sheet2.xml", bytes: XLSXParts.aboutSheet(metadata, notes: notes), to: archive, modified: modified)
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot write the workbook: \(error)")
        }
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    private static func add(_ name: String, bytes: [UInt8], to archive: Archive, modified: Date) throws {
        let data = Data(bytes)
        try archive.addEntry(
            with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: modified, permissions: 0o644,
            compressionMethod: .deflate
        ) { position, size in
            data.subdata(in: Int(position)..<min(data.count, Int(position) + size))
        }
    }

    /// What the About sheet says of the cells: their types, and the values kept as text.
    private var notes: LocalizedText {
        var vi =
            "Mỗi dòng của trang \"\(XLSXParts.dataSheetName)\" là một dòng của tệp CSV, với tiêu đề cột theo tiếng Việt. "
            + "Số là ô số, ngày là ô ngày (yyyy-mm-dd), mã và chữ là ô chữ (giữ nguyên số 0 ở đầu). Không ô nào là công thức."
        var en =
            "Each row of the sheet \"\(XLSXParts.dataSheetName)\" (Data) is a row of the CSV file, with the column titles in Vietnamese "
            + "(in English below). Numbers are number cells, dates are date cells (yyyy-mm-dd), codes and text are text cells "
            + "(leading zeros kept). No cell is a formula."
        if numbersAsText > 0 {
            vi += " \(numbersAsText) số có hơn \(SheetCells.significantDigits) chữ số có nghĩa được ghi dưới dạng chữ để không mất chữ số nào."
            en +=
                " \(numbersAsText) numbers of more than \(SheetCells.significantDigits) significant digits are text cells, so that no digit is lost."
        }
        if datesAsText > 0 {
            vi += " \(datesAsText) ngày trước 1900-03-01 được ghi dưới dạng chữ (yyyy-mm-dd)."
            en += " \(datesAsText) dates before 1900-03-01 are text cells (yyyy-mm-dd)."
        }
        if longTexts > 0 {
            vi +=
                " \(longTexts) ô chữ dài hơn \(SheetCells.excelTextLength) ký tự: Excel chỉ hiện \(SheetCells.excelTextLength) ký tự đầu (tệp và bản CSV giữ đủ)."
            en +=
                " \(longTexts) text cells are longer than \(SheetCells.excelTextLength) characters: Excel shows only the first "
                + "\(SheetCells.excelTextLength) (the file and the CSV hold them whole)."
        }
        return LocalizedText(vi: vi, en: en)
    }
}
