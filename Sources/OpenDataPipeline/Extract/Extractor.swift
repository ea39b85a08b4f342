/// Reads one source and passes its rows on in batches, typed by `schema`.
///
/// An extractor never holds more than one batch of rows unless its format
/// forces it to (see each type's notes).
public protocol Extractor: Sendable {
    /// The fields the source yields, in order.
    var schema: TableSchema { get }
    /// The source file, and as shown to the user in messages.
    var path: String { get }
    var displayPath: String { get }
    /// The files the rows come from (real path, path as shown), for the input
    /// fingerprint that lets an unchanged run skip its work; nil when the
    /// extractor cannot say, and then the run never skips. By default the one file at `path`.
    var inputFiles: [(path: String, shown: String)]? { get }
    /// An input entry that stands for a source with no file (a database's
    /// `changeQuery` result), computed without reading the rows; nil when none.
    func changeFingerprint() throws(PipelineFailure) -> ReleaseManifest.InputEntry?
    /// Reads the source from the start and calls `emit` with each batch.
    /// With a collector, every bad cell is reported to it (with its position)
    /// and reading goes on; rows with an error are not emitted. Without one,
    /// the first problem is thrown. Every extractor implements this: there is
    /// no default that stops at the first bad value.
    func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure)
}

extension Extractor {
    public var inputFiles: [(path: String, shown: String)]? { [(path, displayPath)] }

    public func changeFingerprint() throws(PipelineFailure) -> ReleaseManifest.InputEntry? { nil }

    /// Reads the source, throwing the first problem.
    public func extract(_ emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure) {
        try extract(collecting: nil, emit)
    }
}

/// A field of a source: the typed field and where its cells come from.
public struct SourceField: Sendable {
    public var field: Field
    /// The CSV header or XML path the cells come from; the field name when nil.
    public var from: String?
    public var numberFormat: NumberFormat
    /// The dataset's `maximumCellBytes` and `controlCharacters: keep`.
    public var maximumCellBytes = ValueDecoder.defaultMaximumCellBytes
    public var keepsControlCharacters = false
    /// The column by position (1-based) in a table's header, for headers that repeat a name.
    public var column: Int?

    public init(field: Field, from: String? = nil, numberFormat: NumberFormat, column: Int? = nil) {
        self.field = field
        self.from = from
        self.numberFormat = numberFormat
        self.column = column
    }

    /// The 0-based column of a table's header this field reads: its `column`, or the one
    /// column named by `from` (or the field's name); otherwise what is wrong.
    func columnIndex(in header: [String]) -> Result<Int, HeaderMismatch> {
        if let column {
            guard column <= header.count else {
                return .failure(.init(problem: "column \(column) is beyond the header's \(header.count) columns", missing: true))
            }
            return .success(column - 1)
        }
        let name = from ?? field.name
        let matches = header.indices.filter { header[$0] == name }
        guard let first = matches.first else {
            return .failure(
                .init(problem: "no column named '\(name)' in the header; the header has: \(header.joined(separator: ", "))", missing: true))
        }
        guard matches.count == 1 else {
            let columns = matches.map { String($0 + 1) }
            return .failure(
                .init(
                    problem:
                        "the header names '\(name)' \(matches.count) times (columns \(columns.dropLast().joined(separator: ", ")) and \(columns.last!)): "
                        + "'from' cannot tell them apart; pick one by position with 'column: N'",
                    missing: false))
        }
        return .success(first)
    }

    var decoder: ValueDecoder { decoder(missingValues: [""]) }

    func decoder(missingValues: [String]) -> ValueDecoder {
        var decoder = ValueDecoder(field: field, numberFormat: numberFormat, missingValues: missingValues)
        decoder.maximumCellBytes = maximumCellBytes
        decoder.keepsControlCharacters = keepsControlCharacters
        return decoder
    }
}

/// A cell that did not decode: where it is, its text as found, and what was expected.
struct CellFailure: Error {
    var location: SourceLocation
    var cell: String
    var failure: ValueDecoder.Failure
    var rowNumber: Int?
    /// The column in the source, where the format has numbered columns.
    var fieldNumber: Int?

    init(_ location: SourceLocation, cell: String, _ failure: ValueDecoder.Failure, rowNumber: Int? = nil, fieldNumber: Int? = nil) {
        self.location = location
        self.cell = cell
        self.failure = failure
        self.rowNumber = rowNumber
        self.fieldNumber = fieldNumber
    }
}

/// Fills `row` with `decode(index)` for every field. Without a collector the
/// first failure is thrown; with one, every failure is reported and the result
/// is false when the row must be dropped (true when only warnings were broken,
/// their values kept).
func decodeRow(
    _ row: inout [Value], fields: [SourceField], collector: ValidationCollector?,
    _ decode: (Int) throws(CellFailure) -> Value
) throws(PipelineFailure) -> Bool {
    var valid = true
    for index in fields.indices {
        do {
            row[index] = try decode(index)
        } catch {
            let kept = try error.failure.report(
                field: fields[index], location: error.location, rowNumber: error.rowNumber,
                fieldNumber: error.fieldNumber, cell: error.cell, collector: collector)
            if let kept { row[index] = kept } else { valid = false }
        }
    }
    return valid
}

/// Why a field finds no single column in a table's header.
struct HeaderMismatch: Error {
    var problem: String
    /// True when no column matches; false when several do.
    var missing: Bool
}

extension ValueDecoder.Failure {
    /// Reports a cell that did not decode: thrown without a collector; otherwise
    /// added to it. Returns the value to keep when the broken rule is only a
    /// warning, or nil when the row must be dropped.
    func report(
        field: SourceField, location: SourceLocation, rowNumber: Int? = nil, fieldNumber: Int? = nil, cell: String,
        collector: ValidationCollector?
    ) throws(PipelineFailure) -> Value? {
        guard let collector else {
            throw PipelineFailure.badValue(location, value: cell, expected: expected, code: rule == nil ? .typeError : .constraintError)
        }
        let warning = rule != nil && field.field.constraints.isWarning
        collector.add(
            ValidationIssue(
                rule == nil ? .typeError : .constraintError, severity: warning ? .warning : .error,
                location: location, rowNumber: rowNumber, fieldNumber: fieldNumber, cell: cell, message: expected,
                rule: rule))
        return warning ? value : nil
    }
}
