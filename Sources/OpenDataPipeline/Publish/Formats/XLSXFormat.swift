/// A workbook for people (Office Open XML, `data/<id>.xlsx`), on by default: the download
/// that opens in Excel, LibreOffice or Numbers with every value's type intact, whatever the
/// locale. The sheet "Dữ liệu" holds the rows under a frozen header of the fields' Vietnamese
/// titles: numbers as number cells written as the CSV writes them, dates as date cells
/// (`yyyy-mm-dd`), codes and text as text cells (`01` stays `01`), and never a formula (a text
/// beginning with `=` is text). The sheet "Giới thiệu (About)" holds the title, description,
/// illustrative figures, source, licence, release and the fields' titles in both languages.
///
/// A cell is a double: a number of more than 15 significant digits is a text cell (every
/// digit kept), as is a date before 1900-03-01 (before the spreadsheets' first serial day),
/// and the About sheet counts them, as it counts texts longer than the 32,767 characters Excel
/// shows. Text with a character XML forbids (a control character, U+FFFE, U+FFFF), and rows
/// beyond a sheet's 1,048,575, are refused by the check (`type-error`, `rule: xlsx`) naming the
/// dataset, row and field.
struct XLSXFormat: OutputFormat {
    static let dataFile = OutputFile(
        name: "xlsx", suffix: ".xlsx", mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        packageFormat: "xlsx", encoding: nil,
        label: LocalizedText(vi: "Bảng tính Excel (.xlsx)", en: "Excel workbook (.xlsx)"),
        dialect: nil, personRank: 3, resourceType: "file")

    var id: String { "xlsx" }
    var file: OutputFile? { Self.dataFile }
    func isDefault(for dataset: Dataset) -> Bool { true }

    func refusal(for dataset: Dataset) -> String? {
        dataset.schema.fields.count > SheetCells.maximumColumns
            ? "a sheet holds at most \(SheetCells.maximumColumns) columns, and the dataset has \(dataset.schema.fields.count): "
                + "give it a publish list without xlsx"
            : nil
    }

    func check(for dataset: Dataset) -> (any Transform)? {
        CellCheck(dataset: dataset.id, outputSchema: dataset.schema, file: Self.dataFile, rule: "xlsx") { cells, column, row in
            if row >= SheetCells.maximumRows {
                return column == 0
                    ? (
                        "at most \(SheetCells.maximumRows - 1) rows (a sheet's limit below its header)",
                        "publish without xlsx (a publish list without it), or split the dataset"
                    ) : nil
            }
            return SheetCells.problem(cells[cells.startIndex + column]).map {
                ($0, "correct the value, or publish without xlsx (a publish list without it)")
            }
        }
    }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? {
        try XLSXWriter(schema: dataset.schema, path: path)
    }
}

extension PublishFormat {
    static let xlsx = PublishFormat(XLSXFormat())
}
