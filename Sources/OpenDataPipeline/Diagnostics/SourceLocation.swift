/// Where in an input a problem was found.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file, as the user named it or relative to the working directory.
    public var file: String
    /// 1-based line in the file (for CSV: the line on which the record starts).
    public var line: Int?
    /// 1-based column within the line (YAML, expressions).
    public var column: Int?
    /// The field: a CSV column, a YAML key, an XML path.
    public var field: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
    }

    public var description: String {
        var parts = [file]
        if let line { parts.append(column.map { "line \(line), column \($0)" } ?? "line \(line)") }
        if let field { parts.append("'\(field)'") }
        return parts.joined(separator: ", ")
    }
}
