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
/// libxml2's `xmlTextReader`: memory is one series' components and one batch,
/// whatever the file's size. A message with a footer and no observations
/// (a deferred response) is a "no data" error; no URL in it is fetched.
/// Group elements (`Group`, `generic:Group`) are not read.
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

    /// Where `generic:Value` elements are being collected.
    private enum Target {
        case none, dataset, series, observation
    }

    public func extract(_ emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure) {
        do {
            try read(emit)
        } catch let failure as PipelineFailure {
            throw failure
        } catch let error as XMLError {
            switch error {
            case let .cannotOpen(_, reason):
                throw PipelineFailure.sourceUnreadable(SourceLocation(file: displayPath), reason: "cannot open the file (\(reason))")
            default:
                throw XMLExtractor.failure(error, file: displayPath, path: path)
            }
        } catch {
            throw PipelineFailure.malformedSource(SourceLocation(file: displayPath), problem: "\(error)")
        }
    }

    private func read(_ emit: (Batch) throws(PipelineFailure) -> Void) throws {
        let reader = try XMLStreamReader(path: path, source: displayPath)
        let names = fields.map { $0.from ?? $0.field.name }
        let decoders = fields.map(\.decoder)
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        var dimensionAtObservation = "TIME_PERIOD"
        var dataset: [String: String] = [:]
        var series: [String: String] = [:]
        var observation: [String: String] = [:]
        var target = Target.none
        var inDataSet = false
        var inSeries = false
        var inObservation = false
        var inGroup = false
        var observationLine = 0
        var count = 0
        var footer: [String] = []
        var inFooterText = false
        var sawRoot = false
        var structureSpecific = false

        func finishObservation() throws {
            for index in fields.indices {
                let name = names[index]
                let text = observation[name] ?? series[name] ?? dataset[name]
                do {
                    row[index] = try decoders[index].decode(text ?? "")
                } catch {
                    throw PipelineFailure.badValue(
                        SourceLocation(file: displayPath, line: observationLine, field: name), value: text ?? "",
                        expected: error.expected)
                }
            }
            try batch.append(row, line: observationLine, emit: emit)
            count += 1
            observation.removeAll(keepingCapacity: true)
            inObservation = false
        }

        while try reader.read() {
            let kind = reader.kind
            if kind == .text {
                if inFooterText, let text = reader.value { footer.append(text) }
                continue
            }
            guard kind == .element || kind == .endElement else { continue }
            let name = reader.localName
            let namespace = reader.namespaceURI
            if kind == .element, !sawRoot {
                sawRoot = true
                structureSpecific = name.hasPrefix("StructureSpecific")
                guard namespace == Self.messageNamespace else {
                    throw PipelineFailure.malformedSource(
                        SourceLocation(file: displayPath, line: reader.line),
                        problem: "expected an SDMX-ML 2.1 message (namespace \(Self.messageNamespace)), found <\(name)> "
                            + "in \(namespace.map { "namespace \($0)" } ?? "no namespace")")
                }
            }
            // A structure-specific DataSet may be in the message namespace or in the DSD's own.
            if name == "DataSet", namespace == Self.messageNamespace || (structureSpecific && namespace != Self.genericNamespace) {
                if kind == .element {
                    inDataSet = !reader.isEmptyElement
                    dataset = [:]
                    // Structure-specific: the dataset's attributes are its unqualified XML attributes.
                    if structureSpecific {
                        for attribute in reader.attributes() where attribute.namespaceURI == nil {
                            dataset[attribute.localName] = attribute.value
                        }
                    }
                } else {
                    inDataSet = false
                }
                continue
            }
            if namespace == Self.messageNamespace {
                if name == "Structure", kind == .element, !inDataSet, let dimension = reader.attribute("dimensionAtObservation") {
                    dimensionAtObservation = dimension
                }
                continue
            }
            if namespace == Self.footerNamespace {
                continue
            }
            if namespace == Self.commonNamespace, name == "Text" {
                inFooterText = kind == .element && !reader.isEmptyElement
                continue
            }
            guard inDataSet else { continue }
            if !structureSpecific {
                guard namespace == Self.genericNamespace else { continue }
                switch (name, kind) {
                case ("Group", .element):
                    inGroup = !reader.isEmptyElement
                case ("Group", .endElement):
                    inGroup = false
                case ("Series", .element):
                    inSeries = true
                    series.removeAll(keepingCapacity: true)
                case ("Series", .endElement):
                    inSeries = false
                case ("Obs", .element):
                    inObservation = true
                    observationLine = reader.line
                case ("Obs", .endElement):
                    try finishObservation()
                case ("SeriesKey", .element), ("ObsKey", .element), ("Attributes", .element):
                    target = inGroup ? .none : inObservation ? .observation : inSeries ? .series : .dataset
                case ("SeriesKey", .endElement), ("ObsKey", .endElement), ("Attributes", .endElement):
                    target = .none
                case ("Value", .element):
                    guard let id = reader.attribute("id"), let value = reader.attribute("value") else {
                        throw PipelineFailure.malformedSource(
                            SourceLocation(file: displayPath, line: reader.line, field: "generic:Value"),
                            problem: "a generic:Value needs both 'id' and 'value'")
                    }
                    switch target {
                    case .dataset: dataset[id] = value
                    case .series: series[id] = value
                    case .observation: observation[id] = value
                    case .none: break
                    }
                case ("ObsDimension", .element):
                    observation[reader.attribute("id") ?? dimensionAtObservation] = reader.attribute("value")
                case ("ObsValue", .element):
                    observation["OBS_VALUE"] = reader.attribute("value")
                default:
                    break
                }
                continue
            }
            // Structure-specific: Series, Obs and Group carry their components as XML attributes,
            // in no namespace or the DSD's.
            guard namespace != Self.genericNamespace, namespace != Self.commonNamespace else { continue }
            switch (name, kind) {
            case ("Series", .element):
                series.removeAll(keepingCapacity: true)
                for attribute in reader.attributes() where attribute.namespaceURI == nil {
                    series[attribute.localName] = attribute.value
                }
                inSeries = !reader.isEmptyElement
            case ("Series", .endElement):
                inSeries = false
                series.removeAll(keepingCapacity: true)
            case ("Obs", .element):
                observationLine = reader.line
                inObservation = true
                for attribute in reader.attributes() where attribute.namespaceURI == nil {
                    observation[attribute.localName] = attribute.value
                }
                if reader.isEmptyElement { try finishObservation() }
            case ("Obs", .endElement):
                try finishObservation()
            default:
                break
            }
        }
        guard count > 0 else {
            if !footer.isEmpty {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath),
                    problem: "no data: the message has only a footer (a deferred or refused response; "
                        + "no URL in it is fetched): \(footer.first!)")
            }
            throw PipelineFailure.malformedSource(
                SourceLocation(file: displayPath), problem: "no data: the message has no observations")
        }
        try batch.finish(emit: emit)
    }
}
