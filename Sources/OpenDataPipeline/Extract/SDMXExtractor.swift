import Foundation
import LibXML

/// Reads an SDMX-ML 2.1 data message, generic or structure-specific, in any
/// layout (`dimensionAtObservation`: time series, cross-sectional or flat
/// `AllDimensions`): one row per observation.
///
/// Each field's `from` names a component: a dimension (`CURRENCY`,
/// `TIME_PERIOD`), an attribute at any level (dataset, series or observation:
/// `UNIT_MULT`, `OBS_STATUS`), or `OBS_VALUE` for the value. An observation
/// sees its own components, then its series', then the dataset's. Codes are
/// kept as text (leading zeros survive) and values at full precision.
///
/// Elements are matched by namespace URI, never by prefix. Streams with
/// libxml2's SAX2 push parser (``XMLEventReader``): memory is one chunk's events,
/// one series' components and a few batches, whatever the file's size. A message with a footer and no observations
/// (a deferred response) is a "no data" error; no URL in it is fetched.
/// `Group` and `SiblingGroup` elements (which precede the series) attach
/// their attributes to every series whose key matches theirs; an observation
/// sees its own components, then its series', its groups', the dataset's.
/// In a cross-sectional structure-specific message with explicit measures the
/// observation-level dimension is the `xsi:type` of `Obs`, or the name of the
/// measure element. A `from` that no component in the message carries is an
/// error; a component absent from only some series is empty there.
public struct SDMXExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let fields: [SourceField]

    public init(path: String, displayPath: String, fields: [SourceField]) {
        self.path = path
        self.displayPath = displayPath
        self.fields = fields
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    static let messageNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    static let genericNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
    static let footerNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer"
    static let commonNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"

    static let schemaInstanceNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    /// Where `generic:Value` elements are being collected.
    enum Target {
        case none, dataset, series, observation, groupKey, groupAttributes
    }

    /// A `Group` or `SiblingGroup`: its components apply to every series whose key matches.
    struct Group {
        var components: [String: String] = [:]
        /// The key's component names (generic `GroupKey`); nil in a structure-specific message,
        /// where the key is the components the series or observation also carries.
        var key: Set<String>?

        /// Whether the group does not contradict what `carried` says.
        func agrees(with carried: (String) -> String?, requireShared: Bool) -> Bool {
            if let key {
                for name in key {
                    guard let value = carried(name) else {
                        if requireShared { return false }
                        continue
                    }
                    if value != components[name] { return false }
                }
                return true
            }
            var shared = 0
            for (name, value) in components {
                guard let carriedValue = carried(name) else { continue }
                if carriedValue != value { return false }
                shared += 1
            }
            return !requireShared || shared > 0
        }
    }

    /// Parses on a thread of its own while the calling thread decodes and passes batches on (a
    /// bounded hand-over between them, ``ChunkHandOff``), so both cores work. Rows, errors and
    /// reports come in the order a single thread would meet them: the parser's error is thrown
    /// only after every row it read before it has been decoded.
    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let xml = XMLCalls(file: displayPath, path: path)
        let reader = ParsingThreadReader(try xml(try XMLEventReader(path: path, source: displayPath)))
        let handOff = ChunkHandOff<ParsedChunk>()
        let thread = Thread { [self] in
            var message = SDMXMessageReading(extractor: self, reader: reader.take()) { handOff.put(.rows($0)) }
            do throws(PipelineFailure) {
                let summary = try message.read(xml)
                if handOff.put(.end(summary)) { handOff.close(failure: nil) }
            } catch {
                handOff.close(failure: error)
            }
            handOff.markFinished()
        }
        thread.name = "opendata-sdmx-parse"
        thread.start()
        var decoding = SDMXRowDecoding(extractor: self, collector: collector)
        do throws(PipelineFailure) {
            while true {
                let (chunk, failure) = handOff.take()
                switch chunk {
                case let .rows(rows)?:
                    try decoding.decode(rows, emit: emit)
                case let .end(summary)?:
                    handOff.waitUntilFinished()
                    try decoding.finish(summary, emit: emit)
                    return
                case nil:
                    handOff.waitUntilFinished()
                    throw failure ?? .malformedSource(SourceLocation(file: displayPath), problem: "the message could not be read")
                }
            }
        } catch {
            handOff.cancel()
            throw error
        }
    }

    /// What the parsing thread hands over: a batch's worth of rows, then what it knows at the end.
    enum ParsedChunk: Sendable {
        case rows(SDMXParsedRows)
        case end(SDMXReadSummary)
    }

    /// The reader, made on the calling thread (so that opening errors are thrown there) and used
    /// only by the parsing thread from then on.
    final class ParsingThreadReader: @unchecked Sendable {
        private var reader: XMLEventReader?

        init(_ reader: XMLEventReader) { self.reader = reader }

        /// The reader, once; the box then holds no reference, so the parsing thread's is the last.
        func take() -> XMLEventReader {
            defer { reader = nil }
            return reader!
        }
    }
}
