import Foundation
import SystemPackage

/// Reads a whole source file, refusing one larger than `maximumBytes`.
enum SourceFile {
    static func read(path: String, displayPath: String, maximumBytes: Int, kind: String) throws(PipelineFailure) -> [UInt8] {
        let location = SourceLocation(file: displayPath)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue
        else {
            throw PipelineFailure.sourceUnreadable(location, reason: "cannot open the file (does it exist?)")
        }
        guard size <= maximumBytes else {
            throw PipelineFailure.malformedSource(
                location, problem: "the file is \(size) bytes; \(kind) sources are limited to \(maximumBytes) bytes (maximumBytes)",
                code: .sourceTooLarge)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineFailure.sourceUnreadable(location, reason: "cannot read the file")
        }
        return [UInt8](data)
    }

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

/// Turns one JSON value into a typed cell for a field.
///
/// Strings are decoded like CSV cells (the field's number format applies);
/// JSON numbers are read from their exact text (exponents expanded), so a
/// number that does not fit the field's type without loss is an error, never
/// rounded; booleans only fill boolean fields.
struct JSONCellDecoder {
    let decoder: ValueDecoder
    let plainDecoder: ValueDecoder

    init(_ field: SourceField) {
        decoder = field.decoder
        plainDecoder = ValueDecoder(field: field.field, numberFormat: .plain)
    }

    /// Decodes `node`; a missing one (nil) is an empty cell, located at `owner` (its record).
    func decode(_ node: JSONNode?, owner: JSONNode? = nil, file: String, pointer: String) throws(CellFailure) -> Value {
        let located = node ?? owner
        let location = SourceLocation(file: file, line: located?.line, column: located?.column, field: pointer)
        func bad(_ shown: String, _ expected: String) -> CellFailure {
            CellFailure(location, cell: shown, ValueDecoder.Failure(expected: expected))
        }
        func bad(_ shown: String, _ failure: ValueDecoder.Failure) -> CellFailure {
            CellFailure(location, cell: shown, failure)
        }
        guard let node else {
            do { return try decoder.decode("") } catch { throw bad("", error) }
        }
        switch node.kind {
        case .null:
            do { return try decoder.decode("") } catch { throw bad("null", error) }
        case let .string(text):
            do { return try decoder.decode(text) } catch { throw bad(text, error) }
        case let .number(text):
            if decoder.field.type == .string { return .string(text) }
            guard let plain = Self.plainDecimal(text) else {
                throw bad(text, "a number with an exponent of at most 40")
            }
            do { return try plainDecoder.decode(plain) } catch {
                var failure = error
                if failure.rule == nil { failure.expected += " (exactly; JSON numbers are never rounded)" }
                throw bad(text, failure)
            }
        case let .bool(flag):
            guard decoder.field.type == .boolean else {
                throw bad(flag ? "true" : "false", decoder.field.type.expectation(numberFormat: decoder.numberFormat))
            }
            return .boolean(flag)
        case .array, .object:
            throw bad(node.kindName, "a single value, not \(node.kindName)")
        }
    }

    /// The JSON number `text` without an exponent ("1.5e3" → "1500"); nil for a huge exponent.
    static func plainDecimal(_ text: String) -> String? {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        // `magnitude`, not `abs`: abs(Int.min) traps, and 1e-9223372036854775808 is valid JSON.
        guard let exponent = Int(text[text.index(after: e)...]), exponent.magnitude <= 40 else { return nil }
        var mantissa = Substring(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa = mantissa.dropFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = integer + fraction
        let point = integer.count + exponent
        var result: String
        if point <= 0 {
            result = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            result = digits + String(repeating: "0", count: point - digits.count)
        } else {
            result = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        // Drop leading zeros of the integer part ("0015" → "15").
        while result.count > 1, result.hasPrefix("0"), !result.hasPrefix("0.") { result.removeFirst() }
        return (negative ? "-" : "") + result
    }
}

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

/// Builds batches of rows from JSON records, shared by JSON and NDJSON.
struct RowBuilder {
    let fields: [SourceField]
    let file: String
    let collector: ValidationCollector?
    private let decoders: [JSONCellDecoder]
    private var batch: Batch
    private var row: [Value]

    init(fields: [SourceField], file: String, collector: ValidationCollector?) {
        self.fields = fields
        self.file = file
        self.collector = collector
        decoders = fields.map(JSONCellDecoder.init)
        batch = Batch(width: fields.count, capacity: Batch.preferredRowCount)
        row = [Value](repeating: .null, count: fields.count)
    }

    /// Adds the record's row; returns a full batch to pass on.
    mutating func append(record: JSONNode, pointer: String) throws(PipelineFailure) -> Batch? {
        guard record.members != nil else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: file, line: record.line, column: record.column, field: pointer),
                problem: "expected a record (an object), found \(record.kindName)")
        }
        let decoders = decoders
        let file = file
        let valid = try decodeRow(&row, fields: fields, collector: collector) { [fields] index throws(CellFailure) in
            let from = fields[index].from ?? fields[index].field.name
            let cell = from.hasPrefix("/") ? record.at(pointer: from) : record[from]
            let cellPointer = from.hasPrefix("/") ? pointer + from : pointer + "/" + from
            return try decoders[index].decode(cell, owner: record, file: file, pointer: cellPointer)
        }
        guard valid else { return nil }
        batch.append(row: row, line: record.line)
        guard batch.rowCount == Batch.preferredRowCount else { return nil }
        defer { batch = Batch(width: fields.count, capacity: Batch.preferredRowCount) }
        return batch
    }

    /// The last, partly filled batch.
    func finish() -> Batch? {
        batch.isEmpty ? nil : batch
    }
}

/// Reads NDJSON (JSON Lines): one JSON object per line, blank lines skipped.
/// Streams: memory is one read chunk, one line (at most `maximumLineBytes`) and one batch.
public struct NDJSONExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let fields: [SourceField]
    public let maximumLineBytes: Int
    public let maximumDepth: Int

    /// The default longest line: 16 MiB.
    public static let defaultMaximumLineBytes = 16 << 20

    public init(
        path: String, displayPath: String, fields: [SourceField], maximumLineBytes: Int = defaultMaximumLineBytes,
        maximumDepth: Int = JSONExtractor.defaultMaximumDepth
    ) {
        self.path = path
        self.displayPath = displayPath
        self.fields = fields
        self.maximumLineBytes = maximumLineBytes
        self.maximumDepth = maximumDepth
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
        } catch {
            throw PipelineFailure.sourceUnreadable(SourceLocation(file: displayPath), reason: "cannot open the file (\(error))")
        }
        defer { try? descriptor.close() }
        var rows = RowBuilder(fields: fields, file: displayPath, collector: collector)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var lineBytes: [UInt8] = []
        var lineNumber = 1
        var count = 0
        var atEnd = false
        func parseLine() throws(PipelineFailure) {
            defer {
                lineBytes.removeAll(keepingCapacity: true)
                lineNumber += 1
            }
            if lineNumber == 1, lineBytes.starts(with: [0xEF, 0xBB, 0xBF]) { lineBytes.removeFirst(3) }
            if lineBytes.last == 0x0D { lineBytes.removeLast() }
            guard lineBytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            let record: JSONNode
            do {
                record = try lineBytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
                    try JSONParser.parse(buffer, maximumDepth: maximumDepth, firstLine: lineNumber)
                }
            } catch {
                if lineNumber == 1, let problem = FileSignature.problem(lineBytes.prefix(16), expected: "NDJSON text") {
                    throw PipelineFailure.malformedSource(SourceLocation(file: displayPath), problem: problem, code: .wrongFileType)
                }
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: error.line, column: error.column), problem: "invalid JSON: \(error.problem)",
                    code: .malformedJSON)
            }
            if let full = try rows.append(record: record, pointer: "") { try emit(full) }
            count += 1
        }
        while !atEnd {
            let read: Int
            do {
                read = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw PipelineFailure.sourceUnreadable(SourceLocation(file: displayPath, line: lineNumber), reason: "read failed: \(error)")
            }
            if read == 0 { atEnd = true }
            var start = 0
            for index in 0..<read where chunk[index] == 0x0A {
                lineBytes.append(contentsOf: chunk[start..<index])
                start = index + 1
                try parseLine()
            }
            lineBytes.append(contentsOf: chunk[start..<read])
            guard lineBytes.count <= maximumLineBytes else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: lineNumber),
                    problem: "the line is longer than \(maximumLineBytes) bytes (maximumLineBytes)")
            }
        }
        if !lineBytes.isEmpty { try parseLine() }
        guard count > 0 else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, line: 1), problem: "the file has no records; an empty table is not published")
        }
        if let last = rows.finish() { try emit(last) }
    }
}
