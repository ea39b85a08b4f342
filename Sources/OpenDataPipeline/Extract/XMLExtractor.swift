import Foundation
import LibXML

/// Reads rows from an XML document: each node selected by `rows` is a row,
/// and each field's cells come from an XPath relative to it (`@code`,
/// `value`, `count(item)`), matching namespaces by URI.
///
/// Holds the parsed document in memory (about 20× the file), which suits the
/// exports of moderate size this reader is for; the file size is capped by
/// `maximumBytes`.
public struct XMLExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let rows: String
    public let namespaces: [String: String]
    public let fields: [SourceField]
    public let maximumBytes: Int

    public init(
        path: String, displayPath: String, rows: String, namespaces: [String: String], fields: [SourceField],
        maximumBytes: Int = XMLExtractor.defaultMaximumBytes
    ) {
        self.path = path
        self.displayPath = displayPath
        self.rows = rows
        self.namespaces = namespaces
        self.fields = fields
        self.maximumBytes = maximumBytes
    }

    /// The default largest XML source: 256 MiB (a DOM costs about 20 times the file).
    public static let defaultMaximumBytes = 256 << 20

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public var inputFiles: [(path: String, shown: String)]? { [(path, displayPath)] }

    /// Compiles the XPath expressions, so that a bad one is found when the pipeline is loaded.
    func compileQueries() throws(XMLError) -> (rows: XPathQuery, fields: [XPathQuery]) {
        (try XPathQuery(rows), try fields.map { field throws(XMLError) in try XPathQuery(field.from ?? field.field.name) })
    }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let bytes = try SourceFile.read(path: path, displayPath: displayPath, maximumBytes: maximumBytes, kind: "XML")
        let xml = XMLCalls(file: displayPath, path: path)
        let queries = try xml(try compileQueries())
        let document = try xml(try Document(parsing: bytes, source: displayPath, maximumBytes: maximumBytes))
        let evaluator = try xml(try document.xpath(namespaces: namespaces))
        let nodes = try xml(try evaluator.nodes(queries.rows))
        guard !nodes.isEmpty else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath, field: rows), problem: "the XPath '\(rows)' selects no rows")
        }
        let decoders = fields.map(\.decoder)
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        var texts = [String](repeating: "", count: fields.count)
        for node in nodes {
            for index in fields.indices {
                do {
                    texts[index] = try evaluator.string(queries.fields[index], at: node) ?? ""
                } catch {
                    throw PipelineFailure.malformedSource(
                        SourceLocation(file: displayPath, line: node.line, field: queries.fields[index].expression), problem: "\(error)")
                }
            }
            let valid = try decodeRow(&row, fields: fields, collector: collector) { index throws(CellFailure) in
                do throws(ValueDecoder.Failure) {
                    return try decoders[index].decode(texts[index])
                } catch {
                    throw CellFailure(
                        SourceLocation(file: displayPath, line: node.line, field: queries.fields[index].expression),
                        cell: texts[index], error)
                }
            }
            if valid { try batch.append(row, line: node.line, emit: emit) }
        }
        try batch.finish(emit: emit)
    }

    /// A libxml2 error as a failure naming `file` once. With `path`, a file that is
    /// not XML at all (empty, compressed, an archive, a PDF) is said to be so.
    static func failure(_ error: XMLError, file: String, path: String? = nil) -> PipelineFailure {
        if case .malformed = error, let path, let problem = FileSignature.problem(path: path, expected: "an XML document") {
            return .malformedSource(SourceLocation(file: file), problem: problem, code: .wrongFileType)
        }
        // A part of the file (a workbook's `xl/worksheets/sheet1.xml`) is named once, after the file.
        func name(_ source: String) -> String? {
            guard source != file else { return nil }
            let prefix = "\(file) ("
            return source.hasPrefix(prefix) && source.hasSuffix(")") ? String(source.dropFirst(prefix.count).dropLast()) : source
        }
        func part(_ source: String) -> String { name(source).map { " in \($0)" } ?? "" }
        return switch error {
        case let .malformed(source, line, column, message):
            .malformedSource(
                SourceLocation(file: file, line: line, column: column), problem: "malformed XML\(part(source)): \(message)", code: .malformedXML)
        case let .entityDeclarationsNotAllowed(source, line):
            .malformedSource(
                SourceLocation(file: file, line: line),
                problem: "the DOCTYPE\(part(source)) declares entities, which are refused "
                    + "(they can read local files or expand without bound)", code: .xmlEntities)
        case let .doctypeNotAllowed(source, line):
            .malformedSource(
                SourceLocation(file: file, line: line),
                problem: "the document\(part(source)) has a DOCTYPE, which is refused (a DTD can declare entities that read "
                    + "local files or expand without bound); remove the DOCTYPE", code: .xmlEntities)
        case let .tooLarge(source, bytes, limit):
            .malformedSource(
                SourceLocation(file: file),
                problem: name(source).map { "\($0) is \(bytes) bytes, over the limit of \(limit) bytes" }
                    ?? "the file is \(bytes) bytes; XML sources are limited to \(limit) bytes (maximumBytes)", code: .sourceTooLarge)
        case let .cannotOpen(source, reason):
            .sourceUnreadable(SourceLocation(file: file), reason: "cannot open \(name(source) ?? "the file") (\(reason))")
        case .invalidXPath, .unexpectedXPathResult, .writeFailed:
            .malformedSource(SourceLocation(file: file), problem: "\(error)")
        }
    }
}

/// Where an extractor calls LibXML: an ``XMLError`` becomes the ``PipelineFailure`` that
/// ``XMLExtractor/failure(_:file:path:)`` makes of it, the one conversion.
struct XMLCalls {
    let file: String
    var path: String?

    func callAsFunction<T>(_ body: @autoclosure () throws(XMLError) -> T) throws(PipelineFailure) -> T {
        do {
            return try body()
        } catch {
            throw XMLExtractor.failure(error, file: file, path: path)
        }
    }
}
