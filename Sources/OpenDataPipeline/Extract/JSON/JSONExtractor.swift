/// Reads records from a JSON document: `records` is a JSON Pointer (RFC 6901)
/// to an array of objects; each field's `from` is a member name, or a JSON
/// Pointer relative to the record when it starts with "/".
///
/// The format forces the whole document into memory (about 10× the file); the
/// file size is capped by `maximumBytes` and nesting by `maximumDepth`.
/// Duplicate keys in any object are an error.
public struct JSONExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let records: String
    public let fields: [SourceField]
    public let maximumBytes: Int
    public let maximumDepth: Int

    /// The default largest JSON source: 256 MiB.
    public static let defaultMaximumBytes = 256 << 20
    /// The default deepest nesting of arrays and objects.
    public static let defaultMaximumDepth = 256

    public init(
        path: String, displayPath: String, records: String = "", fields: [SourceField],
        maximumBytes: Int = defaultMaximumBytes, maximumDepth: Int = JSONExtractor.defaultMaximumDepth
    ) {
        self.path = path
        self.displayPath = displayPath
        self.records = records
        self.fields = fields
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let bytes = try SourceFile.read(path: path, displayPath: displayPath, maximumBytes: maximumBytes, kind: "JSON")
        let root = try SourceFile.parseJSON(bytes, displayPath: displayPath, maximumDepth: maximumDepth)
        guard let list = root.at(pointer: records) else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, field: records), problem: "the JSON Pointer '\(records)' selects nothing")
        }
        guard let items = list.array else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: list.line, column: list.column, field: records),
                problem: "expected an array of records at '\(records)', found \(list.kindName)")
        }
        guard !items.isEmpty else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: list.line, column: list.column, field: records),
                problem: "the array of records is empty; an empty table is not published")
        }
        var rows = RowBuilder(fields: fields, file: displayPath, collector: collector)
        for (index, item) in items.enumerated() {
            if let full = try rows.append(record: item, pointer: "\(records)/\(index)") { try emit(full) }
        }
        if let last = rows.finish() { try emit(last) }
    }
}

extension JSONExtractor {
    /// Why `pointer` cannot be a JSON Pointer (RFC 6901), or nil: it is empty or
    /// starts with "/", and "~" is only ever "~0" or "~1".
    static func pointerProblem(_ pointer: String) -> String? {
        guard pointer.isEmpty || pointer.hasPrefix("/") else { return "'\(pointer)' is not a JSON Pointer: it must start with '/'" }
        let scalars = Array(pointer.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "~" {
            guard index + 1 < scalars.count, scalars[index + 1] == "0" || scalars[index + 1] == "1" else {
                return "'\(pointer)' is not a JSON Pointer: '~' at character \(index + 1) must be '~0' (for ~) or '~1' (for /)"
            }
        }
        return nil
    }
}

extension SourceFile {
    static func parseJSON(_ bytes: [UInt8], displayPath: String, maximumDepth: Int) throws(PipelineFailure) -> JSONNode {
        do {
            return try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
                try JSONParser.parse(buffer, maximumDepth: maximumDepth)
            }
        } catch {
            if let problem = FileSignature.problem(bytes.prefix(16), expected: "a JSON document") {
                throw PipelineFailure.malformedSource(SourceLocation(file: displayPath), problem: problem, code: .wrongFileType)
            }
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: error.line, column: error.column), problem: "invalid JSON: \(error.problem)",
                code: .malformedJSON)
        }
    }
}
