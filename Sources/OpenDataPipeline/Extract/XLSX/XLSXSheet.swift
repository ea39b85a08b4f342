import LibXML

/// Reads a worksheet part: its merged ranges, then its cells into an ``XLSXTableBuilder``.
enum XLSXSheet {
    /// The merged ranges (they follow the cells in the part, so they need a pass of their own).
    static func merges(_ reader: XMLStreamReader) throws -> [CellRange] {
        var merges: [CellRange] = []
        while try reader.read() {
            guard reader.kind == .element, reader.localName == "mergeCell" else { continue }
            if let ref = reader.attribute("ref"), let merged = CellRange(ref) { merges.append(merged) }
        }
        return merges
    }

    /// Passes every row and cell of the sheet to `table`; `file` and `sheet` name them in errors.
    static func cells(
        _ reader: XMLStreamReader, file: String, sheet: String, into table: inout XLSXTableBuilder,
        _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws {
        var cellRef = ""
        var cellType = ""
        var cellStyle = 0
        var cellText: String?
        var inValue = false
        var inInline = false
        var rowNumber = 0
        var nextColumn = 1
        while try reader.read() {
            switch reader.kind {
            case .element:
                switch reader.localName {
                case "row":
                    // Checked, so that a huge `r` cannot overflow the count of the rows after it.
                    let r = reader.attribute("r")
                    let number = r == nil ? rowNumber + 1 : Int(r!)
                    guard let number, (1...CellReference.maximumRow).contains(number) else {
                        throw PipelineFailure.malformedSource(
                            SourceLocation(file: file, line: reader.line, field: sheet),
                            problem: "a row number \(r.map { "r=\"\($0.prefix(24))\"" } ?? String(rowNumber + 1)) "
                                + "outside 1 to \(CellReference.maximumRow)")
                    }
                    rowNumber = number
                    nextColumn = 1
                    try table.startRow(rowNumber, line: reader.line, emit)
                case "c":
                    if let r = reader.attribute("r"), let reference = CellReference(r) {
                        cellRef = r
                        nextColumn = reference.column
                    } else {
                        cellRef = CellReference(column: nextColumn, row: rowNumber).description
                    }
                    nextColumn += 1
                    cellType = reader.attribute("t") ?? "n"
                    cellStyle = Int(reader.attribute("s") ?? "") ?? 0
                    cellText = nil
                    if reader.isEmptyElement { try table.cell(cellRef, type: cellType, style: cellStyle, text: nil) }
                case "v": inValue = !reader.isEmptyElement
                case "is": inInline = true
                case "t" where inInline: inValue = !reader.isEmptyElement
                default: break
                }
            case .text:
                if inValue { cellText = (cellText ?? "") + (reader.value ?? "") }
            case .endElement:
                switch reader.localName {
                case "v", "t": inValue = false
                case "is": inInline = false
                case "c": try table.cell(cellRef, type: cellType, style: cellStyle, text: cellText)
                default: break
                }
            case .other:
                break
            }
        }
    }
}
