/// The SDMX extractor's decoding thread: turns the parsing thread's ``SDMXParsedRows`` into
/// typed batches, in order, with the field decoders and a decode cache (a series' components
/// repeat in every observation), and reports what the message lacked once it is read.
struct SDMXRowDecoding: ~Copyable {
    private let fields: [SourceField]
    private let names: [String]
    private let decoders: [FieldDecoder]
    private let displayPath: String
    private let collector: ValidationCollector?
    private var cache: DecodeCache
    private var batch: BatchBuilder

    init(extractor: SDMXExtractor, collector: ValidationCollector?) {
        fields = extractor.fields
        names = fields.map { $0.from ?? $0.field.name }
        decoders = fields.map { FieldDecoder($0.decoder) }
        displayPath = extractor.displayPath
        self.collector = collector
        cache = DecodeCache(fields: fields.count)
        batch = BatchBuilder(width: fields.count)
    }

    /// Decodes each row into the batch being filled (passed on when full); a row with a cell
    /// that does not decode is reported (or kept, as the collector says) and taken back.
    mutating func decode(_ rows: SDMXParsedRows, emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure) {
        let width = fields.count
        let decoders = decoders
        try rows.withCells { bytes, ends throws(PipelineFailure) in
            var cell = 0
            for row in 0..<rows.count {
                let line = rows.lines[row]
                var valid = true
                for index in 0..<width {
                    let start = cell == 0 ? 0 : ends[cell - 1]
                    try decodeCell(index, decoders, UnsafeBufferPointer(rebasing: bytes[start..<ends[cell]]), line: line, valid: &valid)
                    cell += 1
                }
                guard valid else {
                    batch.dropRow()
                    continue
                }
                // A new batch shares no `String` with the last: the cache's values are made again.
                if try batch.endRow(line: line, emit: emit) { cache.forgetValues() }
            }
        }
    }

    /// Decodes field `index`'s cell into the row being built; a value that cannot be is reported (or
    /// kept, or makes the row invalid, its cell then null until the row is taken back) as the collector says.
    @inline(__always)
    private mutating func decodeCell(
        _ index: Int, _ decoders: [FieldDecoder], _ bytes: UnsafeBufferPointer<UInt8>, line: Int, valid: inout Bool
    ) throws(PipelineFailure) {
        let cached = cache.lookUp(bytes, field: index)
        if cached.hit {
            cache.appendValue(at: cached.slot, to: &batch)
            return
        }
        do {
            let value = try decoders[index].decode(bytes)
            cache.remember(value, of: bytes, in: cached.slot)
            batch.appendCell(value)
        } catch {
            let location = SourceLocation(file: displayPath, line: line, field: names[index])
            guard
                let kept = try error.report(
                    field: fields[index], location: location, fieldNumber: index + 1, cell: String(decoding: bytes, as: UTF8.self),
                    collector: collector)
            else {
                valid = false
                batch.appendCell(.null)
                return
            }
            batch.appendCell(kept)
        }
    }

    /// After the last row: the last batch, or why the message gave none.
    mutating func finish(_ summary: SDMXReadSummary, emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure) {
        guard summary.observations > 0 else {
            if let first = summary.footer.first {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath),
                    problem: "no data: the message has only a footer (a deferred or refused response; "
                        + "no URL in it is fetched): \(first)")
            }
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath), problem: "no data: the message has no observations")
        }
        if let missing = fields.indices.first(where: { !summary.found[$0] }) {
            let location = SourceLocation(file: displayPath, field: names[missing])
            let problem =
                "no observation, series, group or dataset in the message carries the component '\(names[missing])' "
                + "(field '\(fields[missing].field.name)'); the first observation has: \(summary.firstComponents.joined(separator: ", "))"
            guard let collector else { throw PipelineFailure.malformedSource(location, problem: problem) }
            for index in fields.indices where !summary.found[index] {
                collector.add(
                    ValidationIssue(
                        .missingLabel, location: SourceLocation(file: displayPath, field: names[index]),
                        fieldNumber: index + 1,
                        message: index == missing ? problem : "no component in the message is named '\(names[index])'"))
            }
        }
        try batch.finish(emit: emit)
    }
}
