import SystemPackage

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
