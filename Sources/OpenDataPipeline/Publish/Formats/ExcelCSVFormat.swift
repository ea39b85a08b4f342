/// CSV for spreadsheets: a byte order mark, and formulas neutralised: `data/<id>.excel.csv`.
/// For spreadsheets without the workbook: the feed item encloses it and the page lists it first when `xlsx` is not published.
struct ExcelCSVFormat: OutputFormat {
    static let dataFile = OutputFile(
        name: "excel", suffix: ".excel.csv", mediaType: "text/csv", mediaTypeParameters: ["header=present"],
        packageFormat: "csv", encoding: "utf-8-sig",
        label: LocalizedText(vi: "CSV cho Excel và bảng tính", en: "CSV for Excel and spreadsheets"),
        dialect: DataPackage.Dialect(header: true, delimiter: ",", lineTerminator: "\r\n"), personRank: 2,
        descriptionNote: " (Bản CSV cho Excel: chữ bắt đầu bằng =, +, -, @ được thêm dấu ' phía trước.)")

    var id: String { "excel" }
    var file: OutputFile? { Self.dataFile }
    func isDefault(for dataset: Dataset) -> Bool { true }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? {
        try CSVWriter(schema: dataset.schema, path: path, style: .excel)
    }
}

extension PublishFormat {
    static let excel = PublishFormat(ExcelCSVFormat())
}
