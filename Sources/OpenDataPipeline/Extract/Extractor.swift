/// Reads one source and passes its rows on in batches, typed by `schema`.
///
/// An extractor never holds more than one batch of rows unless its format
/// forces it to (see each type's notes).
public protocol Extractor: Sendable {
    /// The fields the source yields, in order.
    var schema: TableSchema { get }
    /// The source as shown to the user in messages.
    var displayPath: String { get }
    /// Reads the source from the start and calls `emit` with each batch.
    func extract(_ emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure)
    /// The files the rows come from (real path, path as shown), for the input
    /// fingerprint that lets an unchanged run skip its work; nil when the
    /// extractor cannot say, and then the run never skips.
    var inputFiles: [(path: String, shown: String)]? { get }
    /// Reads the source, reporting problems with rows to `collector` and
    /// reading on (rows with problems are not emitted); without a collector,
    /// the first problem is thrown. By default the first problem is thrown.
    func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure)
}

extension Extractor {
    public var inputFiles: [(path: String, shown: String)]? { nil }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        try extract(emit)
    }
}

/// A field of a source: the typed field and where its cells come from.
public struct SourceField: Sendable {
    public var field: Field
    /// The CSV header or XML path the cells come from; the field name when nil.
    public var from: String?
    public var numberFormat: NumberFormat

    public init(field: Field, from: String? = nil, numberFormat: NumberFormat) {
        self.field = field
        self.from = from
        self.numberFormat = numberFormat
    }

    var decoder: ValueDecoder { ValueDecoder(field: field, numberFormat: numberFormat) }
}

extension ValueDecoder.Failure {
    /// Reports a cell that did not decode: thrown without a collector; otherwise
    /// added to it. Returns the value to keep when the broken rule is only a
    /// warning, or nil when the row must be dropped.
    func report(
        field: SourceField, location: SourceLocation, rowNumber: Int? = nil, fieldNumber: Int? = nil, cell: String,
        collector: ValidationCollector?
    ) throws(PipelineFailure) -> Value? {
        guard let collector else { throw PipelineFailure.badValue(location, value: cell, expected: expected) }
        let warning = rule != nil && field.field.constraints.isWarning
        collector.add(
            ValidationIssue(
                rule == nil ? .typeError : .constraintError, severity: warning ? .warning : .error,
                location: location, rowNumber: rowNumber, fieldNumber: fieldNumber, cell: cell, message: expected,
                rule: rule))
        return warning ? value : nil
    }
}
