/// One problem found while validating a dataset, named with Frictionless'
/// error vocabulary so that reports compare with Frictionless tooling.
public struct ValidationIssue: Sendable, Hashable {
    /// The kind of problem, as Frictionless names it (plus `step-error`,
    /// `test-error` and `source-error` for what Frictionless has no name for).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case blankLabel = "blank-label"
        case duplicateLabel = "duplicate-label"
        case missingLabel = "missing-label"
        case missingCell = "missing-cell"
        case extraCell = "extra-cell"
        case blankRow = "blank-row"
        case typeError = "type-error"
        case constraintError = "constraint-error"
        case uniqueError = "unique-error"
        case primaryKeyError = "primary-key-error"
        case foreignKeyError = "foreign-key-error"
        /// A transform step could not compute a value (division by zero, overflow, an unmatched lookup key).
        case stepError = "step-error"
        /// A data test of the pipeline does not hold.
        case testError = "test-error"
        /// The source is not in the declared shape (an unterminated quote, an empty file, hostile XML).
        case sourceError = "source-error"
    }

    /// Whether the problem blocks publication.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var type: Kind
    public var severity: Severity
    /// The pipeline and dataset the problem belongs to (empty when validating a bare file).
    public var pipeline: String
    public var dataset: String
    /// The file, the line on which the record starts, and the field's name.
    public var location: SourceLocation
    /// The row as Frictionless counts it: the header is row 1, every record and every blank line one row.
    public var rowNumber: Int?
    /// The column, counted from 1 in the source's header.
    public var fieldNumber: Int?
    /// The offending cell's text, as found.
    public var cell: String?
    /// What is wrong, phrased as what was expected.
    public var message: String
    /// The rule that was broken: a constraint (`minimum`), a key, or a data test's name.
    public var rule: String?
    /// The reason: the failure's code for a source that could not be read on
    /// (`unclosed-quote`), else the code of ``type``.
    public var code: PipelineFailure.Code

    public init(
        _ type: Kind, severity: Severity = .error, pipeline: String = "", dataset: String = "",
        location: SourceLocation, rowNumber: Int? = nil, fieldNumber: Int? = nil, cell: String? = nil,
        message: String, rule: String? = nil, code: PipelineFailure.Code? = nil
    ) {
        self.type = type
        self.severity = severity
        self.pipeline = pipeline
        self.dataset = dataset
        self.location = location
        self.rowNumber = rowNumber
        self.fieldNumber = fieldNumber
        self.cell = cell
        self.message = message
        self.rule = rule
        self.code = code ?? PipelineFailure.Code(type)
    }
}

extension ValidationIssue: CustomStringConvertible {
    /// One line: `<file>, line <n>, '<field>': [type] message`.
    public var description: String {
        // The row is among the tags.
        var shown = location
        if rowNumber != nil { shown.row = nil }
        var text = "\(shown): "
        if let cell, type == .typeError || type == .constraintError {
            text += "'\(PipelineFailure.printable(cell))' is not valid: expected \(message)"
        } else {
            text += message
        }
        var tags = [type.rawValue]
        if let rowNumber { tags.append("row \(rowNumber)") }
        if let fieldNumber { tags.append("field \(fieldNumber)") }
        if let rule { tags.append(rule) }
        return text + " [\(tags.joined(separator: ", "))]"
    }
}
