import LibXML

/// What ``SDMXExtractor``'s parsing thread knows while it reads one message, node by node: the
/// dataset's, the series', the groups' and the current observation's components, and the rows
/// parsed but not yet handed over. It finds each field's bytes for every observation
/// (``SDMXParsedRows``); decoding them is ``SDMXRowDecoding``'s work, on the other thread.
///
/// Elements and namespaces are matched as ``XMLName``s and the observation's components kept
/// as bytes (``SDMXObservation``), so an observation costs no `String` or dictionary of its
/// own; a series' or the dataset's components, read once for many observations, are kept by
/// name.
struct SDMXMessageReading: ~Copyable {
    typealias Group = SDMXExtractor.Group
    typealias Target = SDMXExtractor.Target

    /// The element names told apart, matched without a `String` per node.
    private enum Element: Int, CaseIterable {
        // The elements of every observation first: a name is looked for in this order.
        case value, attributes, obs, obsDimension, obsValue, obsKey, series, seriesKey
        case dataSet, structure, text, group, siblingGroup, groupKey

        var name: String {
            switch self {
            case .value: "Value"
            case .attributes: "Attributes"
            case .obs: "Obs"
            case .obsDimension: "ObsDimension"
            case .obsValue: "ObsValue"
            case .obsKey: "ObsKey"
            case .series: "Series"
            case .seriesKey: "SeriesKey"
            case .dataSet: "DataSet"
            case .structure: "Structure"
            case .text: "Text"
            case .group: "Group"
            case .siblingGroup: "SiblingGroup"
            case .groupKey: "GroupKey"
            }
        }

        /// Whether what happens at its end matters (an empty one's end is taken in as well).
        var hasContent: Bool {
            switch self {
            case .value, .obsDimension, .obsValue, .structure: false
            default: true
            }
        }
    }

    /// An element's namespace: one of SDMX's (in ``uris`` order), another, or none.
    private enum Namespace: Int {
        case message, generic, footer, common, other, none

        static let uris = [
            SDMXExtractor.messageNamespace, SDMXExtractor.genericNamespace, SDMXExtractor.footerNamespace,
            SDMXExtractor.commonNamespace,
        ]
    }

    private let reader: XMLEventReader
    private let fields: [SourceField]
    private let displayPath: String
    private let elements = Element.allCases
    private let elementNames: XMLNameTable
    private let namespaceURIs: [XMLName]
    private let idName: XMLName
    private let valueName: XMLName
    /// Each field's component name and slot in ``observation`` (its decoder is ``SDMXRowDecoding``'s).
    private let names: [String]
    private let fieldSlots: [Int]
    private let valueSlot: Int?
    private var dimensionSlot: Int?
    /// Observations parsed since the last hand-over, and where they go.
    private var rows: SDMXParsedRows
    private let handOver: (SDMXParsedRows) -> Bool
    /// Set when the decoding thread wants no more rows.
    private var stopped = false
    private var dimensionAtObservation = "TIME_PERIOD"
    private var dataset: [String: String] = [:]
    private var series: [String: String] = [:]
    private var observation: SDMXObservation
    /// Per slot, the series' or else the dataset's value (when no group applies), as of `contextVersion`.
    private let inherited: SlotBytes
    /// Counts changes to `series` and `dataset`; `inheritedVersion` is the count `inherited` was made at.
    private var contextVersion = 0
    private var inheritedVersion = -1
    private var groups: [Group] = []
    private var group = Group()
    /// The groups that agree with the current series' key.
    private var seriesGroups: [Group]?
    private var found: [Bool]
    private var firstComponents: [String]?
    private var target = Target.none
    private var inDataSet = false
    private var inSeries = false
    private var inObservation = false
    private var inGroup = false
    private var observationLine = 0
    private var count = 0
    private var footer: [String] = []
    private var inFooterText = false
    private var sawRoot = false
    private var structureSpecific = false

    /// `handOver` takes each full set of rows (and the last); false: stop reading.
    init(extractor: SDMXExtractor, reader: XMLEventReader, handOver: @escaping (SDMXParsedRows) -> Bool) {
        self.reader = reader
        fields = extractor.fields
        displayPath = extractor.displayPath
        self.handOver = handOver
        elementNames = reader.nameTable(elements.map(\.name))
        namespaceURIs = Namespace.uris.map { reader.name($0) }
        idName = reader.name("id")
        valueName = reader.name("value")
        names = fields.map { $0.from ?? $0.field.name }
        observation = SDMXObservation(names: names)
        fieldSlots = names.map { [observation] in observation.slot(of: $0)! }
        valueSlot = observation.slot(of: "OBS_VALUE")
        dimensionSlot = observation.slot(of: dimensionAtObservation)
        inherited = SlotBytes(count: observation.names.count)
        rows = SDMXParsedRows(width: fields.count)
        found = Array(repeating: false, count: fields.count)
    }

    /// Reads the whole message (or until the decoding thread stops it): hands over every row,
    /// and returns what the decoding thread needs to finish.
    mutating func read(_ xml: XMLCalls) throws(PipelineFailure) -> SDMXReadSummary {
        do throws(PipelineFailure) {
            // Text matters only inside a footer's text.
            while !stopped, let node = try xml(try reader.nextElement(in: elementNames, namespaces: namespaceURIs, text: inFooterText)) {
                try take(node)
            }
        } catch {
            // The rows read before the error are decoded first: a bad value among them is what a single thread would have met first.
            if !stopped, rows.count > 0 { _ = handOver(rows) }
            throw error
        }
        if !stopped, rows.count > 0 { stopped = !handOver(rows) }
        return SDMXReadSummary(
            observations: count, found: found, footer: footer, firstComponents: firstComponents ?? [])
    }

    /// Takes in the node the reader is on. An element with no content has no end-element node
    /// (``XMLEventReader`` reports `<a/>`, `<a></a>` and whitespace alike as empty): the end of
    /// one whose end matters is taken in right after it.
    private mutating func take(_ node: XMLElementMatch) throws(PipelineFailure) {
        try take(node, as: node.kind)
        if node.kind == .element, let name = node.name, elements[name].hasContent, reader.isEmptyElement {
            try take(node, as: .endElement)
        }
    }

    private mutating func take(_ node: XMLElementMatch, as kind: XMLStreamReader.NodeKind) throws(PipelineFailure) {
        if kind == .text {
            if let text = reader.value { footer.append(text) }
            return
        }
        let element = node.name.map { elements[$0] }
        // A generic message's data: the elements of every observation go straight to readGeneric.
        if node.namespace == Namespace.generic.rawValue, inDataSet, !structureSpecific, let element {
            return try readGeneric(element, kind: kind)
        }
        let namespace = node.namespace.flatMap(Namespace.init(rawValue:)) ?? (node.hasNamespace ? .other : .none)
        if kind == .element, !sawRoot {
            sawRoot = true
            let name = reader.localName
            structureSpecific = name.hasPrefix("StructureSpecific")
            guard namespace == .message else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: reader.line),
                    problem: "expected an SDMX-ML 2.1 message (namespace \(SDMXExtractor.messageNamespace)), found <\(name)> "
                        + "in \(reader.namespaceURI.map { "namespace \($0)" } ?? "no namespace")")
            }
        }
        // A structure-specific DataSet may be in the message namespace or in the DSD's own.
        if element == .dataSet, namespace == .message || (structureSpecific && namespace != .generic) {
            if kind == .element {
                inDataSet = !reader.isEmptyElement
                dataset = [:]
                contextVersion += 1
                // Structure-specific: the dataset's attributes are its unqualified XML attributes.
                if structureSpecific {
                    for attribute in reader.attributes() where attribute.namespaceURI == nil {
                        dataset[attribute.localName] = attribute.value
                    }
                }
            } else {
                inDataSet = false
            }
            return
        }
        if namespace == .message {
            if element == .structure, kind == .element, !inDataSet, let dimension = reader.attribute("dimensionAtObservation") {
                dimensionAtObservation = dimension
                dimensionSlot = observation.slot(of: dimension)
            }
            return
        }
        if namespace == .footer {
            return
        }
        if namespace == .common, element == .text {
            inFooterText = kind == .element && !reader.isEmptyElement
            return
        }
        guard inDataSet else { return }
        if structureSpecific {
            try readStructureSpecific(element, kind: kind, namespace: namespace)
        } else if namespace == .generic, let element {
            try readGeneric(element, kind: kind)
        }
    }

    /// A generic message: components are `generic:Value` elements (and `ObsDimension`, `ObsValue`).
    private mutating func readGeneric(
        _ element: Element, kind: XMLStreamReader.NodeKind
    ) throws(PipelineFailure) {
        switch (element, kind) {
        case (.group, .element):
            inGroup = !reader.isEmptyElement
            group = Group(key: [])
        case (.group, .endElement):
            inGroup = false
            groups.append(group)
        case (.series, .element):
            inSeries = true
            series.removeAll(keepingCapacity: true)
            contextVersion += 1
        case (.series, .endElement):
            inSeries = false
        case (.obs, .element):
            inObservation = true
            observationLine = reader.line
        case (.obs, .endElement):
            finishObservation()
        case (.groupKey, .element):
            target = .groupKey
        case (.seriesKey, .element), (.obsKey, .element), (.attributes, .element):
            target = inGroup ? .groupAttributes : inObservation ? .observation : inSeries ? .series : .dataset
        case (.seriesKey, .endElement):
            target = .none
            seriesStarted()
        case (.obsKey, .endElement), (.attributes, .endElement), (.groupKey, .endElement):
            target = .none
        case (.value, .element):
            var complete = false
            reader.withAttributes(idName, valueName) { id, value in
                guard let id, let value else { return }
                setComponent(id, value)
                complete = true
            }
            guard complete else {
                throw PipelineFailure.malformedSource(
                    SourceLocation(file: displayPath, line: reader.line, field: "generic:Value"),
                    problem: "a generic:Value needs both 'id' and 'value'")
            }
        case (.obsDimension, .element):
            reader.withAttributes(idName, valueName) { id, value in
                if let id {
                    observation.set(id, value)
                } else if let dimensionSlot {
                    observation.set(slot: dimensionSlot, value)
                } else {
                    observation.set(dimensionAtObservation, value)
                }
            }
        case (.obsValue, .element):
            reader.withAttribute(valueName) { value in
                if let valueSlot { observation.set(slot: valueSlot, value) } else { observation.set("OBS_VALUE", value) }
            }
        default:
            break
        }
    }

    /// A `generic:Value`'s component, where ``target`` says.
    private mutating func setComponent(_ id: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) {
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        switch target {
        case .dataset:
            dataset[text(id)] = text(value)
            contextVersion += 1
        case .series:
            series[text(id)] = text(value)
            contextVersion += 1
        case .observation:
            observation.set(id, value)
        case .groupKey:
            group.components[text(id)] = text(value)
            group.key?.insert(text(id))
        case .groupAttributes:
            group.components[text(id)] = text(value)
        case .none:
            break
        }
    }

    /// A structure-specific message: Series, Obs and Group carry their components as XML
    /// attributes, in no namespace or the DSD's.
    private mutating func readStructureSpecific(
        _ element: Element?, kind: XMLStreamReader.NodeKind, namespace: Namespace
    ) throws(PipelineFailure) {
        guard namespace != .generic, namespace != .common else { return }
        switch (element, kind) {
        case (.group, .element), (.siblingGroup, .element):
            var components: [String: String] = [:]
            for attribute in reader.attributes() where attribute.namespaceURI == nil {
                components[attribute.localName] = attribute.value
            }
            groups.append(Group(components: components))
        case (.series, .element):
            series.removeAll(keepingCapacity: true)
            for attribute in reader.attributes() where attribute.namespaceURI == nil {
                series[attribute.localName] = attribute.value
            }
            contextVersion += 1
            seriesStarted()
            inSeries = !reader.isEmptyElement
        case (.series, .endElement):
            inSeries = false
            series.removeAll(keepingCapacity: true)
            contextVersion += 1
        case (.obs, .element):
            observationLine = reader.line
            inObservation = true
            var measureType: String?
            for attribute in reader.attributes() {
                if attribute.namespaceURI == nil {
                    observation.set(attribute.localName, attribute.value)
                } else if attribute.namespaceURI == SDMXExtractor.schemaInstanceNamespace, attribute.localName == "type" {
                    measureType = String(attribute.value.split(separator: ":").last ?? "")
                }
            }
            // Explicit measures: the derived type names the measure, the observation-level dimension.
            if let measureType, !measureType.isEmpty, dimensionAtObservation != "AllDimensions",
                observation.value(dimensionAtObservation) == nil
            {
                observation.set(dimensionAtObservation, measureType)
            }
        case (.obs, .endElement):
            finishObservation()
        case (_, .element) where inSeries && !inObservation && dimensionAtObservation != "AllDimensions":
            // A measure element (`<POP OBS_VALUE="…"/>`): its name is the observation-level dimension.
            let attributes = reader.attributes().filter { $0.namespaceURI == nil }
            guard attributes.contains(where: { $0.localName == "OBS_VALUE" || $0.localName == "value" }) else { break }
            observationLine = reader.line
            inObservation = true
            for attribute in attributes {
                observation.set(attribute.localName == "value" ? "OBS_VALUE" : attribute.localName, attribute.value)
            }
            if observation.value(dimensionAtObservation) == nil { observation.set(dimensionAtObservation, reader.localName) }
            // Not one of ``elements``: its end is taken here when it has none.
            if reader.isEmptyElement { finishObservation() }
        case (_, .endElement) where inObservation:
            finishObservation()
        default:
            break
        }
    }

    /// The groups that may apply to the series just read.
    private mutating func seriesStarted() {
        let series = series
        seriesGroups = groups.isEmpty ? [] : groups.filter { $0.agrees(with: { series[$0] }, requireShared: false) }
    }

    /// One row from the observation just read: each field's component from the observation,
    /// else its series, else a group that agrees with both, else the dataset (as bytes; an
    /// empty cell when none has it).
    private mutating func finishObservation() {
        inObservation = false
        defer { observation.removeAll() }
        var matching: [Group] = []
        if !groups.isEmpty {
            let candidates = inSeries ? (seriesGroups ?? []) : groups
            let (observation, series) = (observation, series)
            matching = candidates.filter { candidate in
                candidate.agrees(with: { observation.value($0) ?? series[$0] }, requireShared: true)
            }
        }
        if firstComponents == nil {
            var names = Set(observation.componentNames).union(series.keys).union(dataset.keys)
            for match in matching { names.formUnion(match.components.keys) }
            firstComponents = names.sorted()
        }
        if matching.isEmpty, inheritedVersion != contextVersion { inherit() }
        for index in fields.indices {
            let slot = fieldSlots[index]
            if let bytes = observation.slots[slot] {
                found[index] = true
                rows.append(cell: bytes)
                continue
            }
            if matching.isEmpty {
                if let bytes = inherited[slot] {
                    found[index] = true
                    rows.append(cell: bytes)
                } else {
                    rows.appendEmptyCell()
                }
                continue
            }
            // The series', then a matching group's, then the dataset's.
            let name = names[index]
            guard var text = series[name] ?? matching.lazy.compactMap({ $0.components[name] }).first ?? dataset[name] else {
                rows.appendEmptyCell()
                continue
            }
            found[index] = true
            text.withUTF8 { rows.append(cell: $0) }
        }
        rows.endRow(line: observationLine)
        count += 1
        if rows.count == Batch.preferredRowCount {
            stopped = !handOver(rows)
            rows = SDMXParsedRows(width: fields.count)
        }
    }

    /// The series' (else the dataset's) component of each slot, for observations without it
    /// (when no group applies).
    private mutating func inherit() {
        inherited.removeAll()
        for (slot, name) in observation.names.enumerated() {
            guard var text = series[name] ?? dataset[name] else { continue }
            text.withUTF8 { inherited.set(slot, $0) }
        }
        inheritedVersion = contextVersion
    }
}
