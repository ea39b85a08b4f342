/// Tab-separated values (IANA `text/tab-separated-values`): `data/<id>.tsv`, off by default
/// (`publish: [csv, tsv]`). A header of field names, then one line a row: cells separated by
/// a tab, lines ended by LF, UTF-8 without a byte order mark, a missing value as an empty
/// cell, and no quoting or escapes, so `cut -f`, `awk -F'\t'`, `split("\t")` and Python's
/// `csv.reader(delimiter="\t", quoting=csv.QUOTE_NONE)` read back every value exactly.
///
/// A tab, LF or CR inside a value cannot be represented, and neither can the empty cell
/// of a one-field row (a blank line, which readers skip); a value that starts with `"` would
/// be read as a quoted cell by the readers that apply CSV quoting to TSV (Frictionless, pandas'
/// default, spreadsheets). Such a value is a `type-error` (`rule: tsv`) naming the dataset, the
/// row and the field, found by `validate` as by `run`, and nothing is published. Escaping
/// (`\t`, `\n`) would silently change every value holding a backslash for the readers above,
/// which know no escapes.
struct TSVFormat: OutputFormat {
    static let dataFile = OutputFile(
        name: "tsv", suffix: ".tsv", mediaType: "text/tab-separated-values", packageFormat: "tsv",
        label: LocalizedText(vi: "TSV (phân cách bằng tab)", en: "TSV (tab-separated values)"),
        // The default quoteChar holds: no published value starts with one, so quoting never applies.
        dialect: DataPackage.Dialect(header: true, delimiter: "\t", lineTerminator: "\n"))

    var id: String { "tsv" }
    var file: OutputFile? { Self.dataFile }
    func isDefault(for dataset: Dataset) -> Bool { false }

    func check(for dataset: Dataset) -> (any Transform)? {
        CellCheck(dataset: dataset.id, outputSchema: dataset.schema, file: Self.dataFile, rule: "tsv") { cells, column, _ in
            Self.problem(cells, column: column)
        }
    }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? {
        try TSVWriter(schema: dataset.schema, path: path)
    }

    /// What the cell at `column` of `row` should be to be written, and what to do; nil when it can be written.
    static func problem(_ row: ArraySlice<Value>, column: Int) -> (expected: String, advice: String)? {
        switch row[row.startIndex + column] {
        case let .string(text):
            if text.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                ("text without a tab, line feed or carriage return", "TSV has no quoting: publish csv instead, or correct the value")
            } else if text.utf8.first == UInt8(ascii: "\"") {
                (
                    "text that does not start with a double quote",
                    "readers that apply CSV quoting to TSV (Frictionless, pandas, spreadsheets) would take it for a quoted cell: "
                        + "publish csv instead, or correct the value"
                )
            } else {
                nil
            }
        case .null:
            row.count == 1
                ? ("a value", "an empty cell of a one-field TSV is a blank line, which readers skip: publish csv instead, or fill the value")
                : nil
        case .integer, .number, .boolean, .date:
            nil
        }
    }
}

extension PublishFormat {
    static let tsv = PublishFormat(TSVFormat())
}

/// Writes the TSV file; every row has passed its ``CellCheck``, and one that did not is refused here too.
final class TSVWriter: DatasetWriter {
    private let file: BufferedFileWriter
    private var line: [UInt8] = []

    init(schema: TableSchema, path: String) throws(PipelineFailure) {
        file = try BufferedFileWriter(path: path)
        try file.write(schema.fields.map(\.name).joined(separator: "\t") + "\n")
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        line.removeAll(keepingCapacity: true)
        for row in 0..<batch.rowCount {
            let cells = batch.row(row)
            for column in 0..<batch.width {
                if column > 0 { line.append(0x09) }
                if let problem = TSVFormat.problem(cells, column: column) {
                    throw PipelineFailure.cannotPublish(path: file.path, reason: "expected \(problem.expected): \(problem.advice)")
                }
                switch cells[cells.startIndex + column] {
                case let .string(text): line.append(contentsOf: text.utf8)
                case let other: other.appendCanonicalText(to: &line)
                }
            }
            line.append(0x0A)
        }
        try file.write(line)
    }

    func finish(_ metadata: DatasetMetadata) throws(PipelineFailure) -> Int {
        try file.close()
        return file.byteCount
    }
}
