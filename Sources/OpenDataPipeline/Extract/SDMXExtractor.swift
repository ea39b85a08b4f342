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
    private enum Target {
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

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let xml = XMLCalls(file: displayPath, path: path)
        let reader = try xml(try XMLStreamReader(path: path, source: displayPath))
        let names = fields.map { $0.from ?? $0.field.name }
        let decoders = fields.map(\.decoder)
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        var dimensionAtObservation = "TIME_PERIOD"
        var dataset: [String: String] = [:]
        var series: [String: String] = [:]
        var observation: [String: String] = [:]
        var groups: [Group] = []
        var group = Group()
        /// The groups that agree with the current series' key.
        var seriesGroups: [Group]?
        var found = [Bool](repeating: false, count: fields.count)
        var firstComponents: [String]?
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

        func finishObservation() throws(PipelineFailure) {
            inObservation = false
            defer { observation.removeAll(keepingCapacity: true) }
            var matching: [Group] = []
            if !groups.isEmpty {
                let candidates = inSeries ? (seriesGroups ?? []) : groups
                matching = candidates.filter { candidate in
                    candidate.agrees(with: { observation[$0] ?? series[$0] }, requireShared: true)
                }
            }
            if firstComponents == nil {
                var names = Set(observation.keys).union(series.keys).union(dataset.keys)
                for match in matching { names.formUnion(match.components.keys) }
                firstComponents = names.sorted()
            }
            var valid = true
            for index in fields.indices {
                let name = names[index]
                var text = observation[name] ?? series[name]
                if text == nil {
                    for match in matching where match.components[name] != nil {
                        text = match.components[name]
                        break
                    }
                }
                if text == nil { text = dataset[name] }
                if text != nil { found[index] = true }
                do {
                    row[index] = try decoders[index].decode(text ?? "")
                } catch {
                    let location = SourceLocation(file: displayPath, line: observationLine, field: name)
                    guard
                        let kept = try error.report(
                            field: fields[index], location: location, fieldNumber: index + 1, cell: text ?? "", collector: collector)
                    else {
                        valid = false
                        continue
                    }
                    row[index] = kept
                }
            }
            count += 1
            if valid { try batch.append(row, line: observationLine, emit: emit) }
        }

        /// The groups that may apply to the series just read.
        func seriesStarted() {
            seriesGroups = groups.isEmpty ? [] : groups.filter { $0.agrees(with: { series[$0] }, requireShared: false) }
        }

        while try xml(try reader.read()) {
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
                    group = Group(key: [])
                case ("Group", .endElement):
                    inGroup = false
                    groups.append(group)
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
                case ("GroupKey", .element):
                    target = .groupKey
                case ("SeriesKey", .element), ("ObsKey", .element), ("Attributes", .element):
                    target = inGroup ? .groupAttributes : inObservation ? .observation : inSeries ? .series : .dataset
                case ("SeriesKey", .endElement):
                    target = .none
                    seriesStarted()
                case ("ObsKey", .endElement), ("Attributes", .endElement), ("GroupKey", .endElement):
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
                    case .groupKey:
                        group.components[id] = value
                        group.key?.insert(id)
                    case .groupAttributes: group.components[id] = value
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
            case ("Group", .element), ("SiblingGroup", .element):
                var components: [String: String] = [:]
                for attribute in reader.attributes() where attribute.namespaceURI == nil {
                    components[attribute.localName] = attribute.value
                }
                groups.append(Group(components: components))
            case ("Series", .element):
                series.removeAll(keepingCapacity: true)
                for attribute in reader.attributes() where attribute.namespaceURI == nil {
                    series[attribute.localName] = attribute.value
                }
                seriesStarted()
                inSeries = !reader.isEmptyElement
            case ("Series", .endElement):
                inSeries = false
                series.removeAll(keepingCapacity: true)
            case ("Obs", .element):
                observationLine = reader.line
                inObservation = true
                var measureType: String?
                for attribute in reader.attributes() {
                    if attribute.namespaceURI == nil {
                        observation[attribute.localName] = attribute.value
                    } else if attribute.namespaceURI == Self.schemaInstanceNamespace, attribute.localName == "type" {
                        measureType = String(attribute.value.split(separator: ":").last ?? "")
                    }
                }
                // Explicit measures: the derived type names the measure, the observation-level dimension.
                if let measureType, !measureType.isEmpty, dimensionAtObservation != "AllDimensions",
                    observation[dimensionAtObservation] == nil
                {
                    observation[dimensionAtObservation] = measureType
                }
                if reader.isEmptyElement { try finishObservation() }
            case ("Obs", .endElement):
                try finishObservation()
            case (_, .element) where inSeries && !inObservation && dimensionAtObservation != "AllDimensions":
                // A measure element (`<POP OBS_VALUE="…"/>`): its name is the observation-level dimension.
                let attributes = reader.attributes().filter { $0.namespaceURI == nil }
                guard attributes.contains(where: { $0.localName == "OBS_VALUE" || $0.localName == "value" }) else { break }
                observationLine = reader.line
                inObservation = true
                for attribute in attributes {
                    observation[attribute.localName == "value" ? "OBS_VALUE" : attribute.localName] = attribute.value
                }
                if observation[dimensionAtObservation] == nil { observation[dimensionAtObservation] = name }
                if reader.isEmptyElement { try finishObservation() }
            case (_, .endElement) where inObservation:
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
        if let missing = fields.indices.first(where: { !found[$0] }) {
            let location = SourceLocation(file: displayPath, field: names[missing])
            let problem =
                "no observation, series, group or dataset in the message carries the component '\(names[missing])' "
                + "(field '\(fields[missing].field.name)'); the first observation has: \((firstComponents ?? []).joined(separator: ", "))"
            guard let collector else { throw PipelineFailure.malformedSource(location, problem: problem) }
            for index in fields.indices where !found[index] {
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
