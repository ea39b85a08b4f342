import LibXML

/// Reads rows from an XML file of any size with libxml2's streaming reader:
/// each element at the path `rows` (`/dc:bao-cao/dc:co-so-du-lieu`) is a row,
/// and each field's `from` is a simple path relative to it: an attribute
/// (`@nam`), a descendant element's text (`dc:so-nguoi-dan`, `dc:a/dc:b`) or
/// its attribute (`dc:so-nguoi-dan/@muc`). Prefixes are resolved through
/// `namespaces` and matched by URI; an unprefixed name has no namespace, as in XPath.
///
/// Memory is one row's values (at most `maximumRowBytes`) and one batch,
/// whatever the file's size. A DOCTYPE is refused.
public struct StreamingXMLExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let rows: String
    public let namespaces: [String: String]
    public let fields: [SourceField]
    public let maximumRowBytes: Int

    public static let defaultMaximumRowBytes = 16 << 20

    public init(
        path: String, displayPath: String, rows: String, namespaces: [String: String], fields: [SourceField],
        maximumRowBytes: Int = defaultMaximumRowBytes
    ) {
        self.path = path
        self.displayPath = displayPath
        self.rows = rows
        self.namespaces = namespaces
        self.fields = fields
        self.maximumRowBytes = maximumRowBytes
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    /// One step of a path: an element or (last) an attribute, by namespace URI and local name.
    struct Step: Hashable {
        var namespace: String?
        var name: String
        var isAttribute: Bool
    }

    /// The parsed `rows` path and field paths; throws a message for an unsupported path.
    func compiledPaths() throws(PipelineFailure) -> (rows: [Step], fields: [[Step]]) {
        func step(_ text: Substring, isAttribute: Bool) throws(PipelineFailure) -> Step {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard !text.isEmpty, parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: { "[]()*=' \"".contains($0) }) }) else {
                throw PipelineFailure.invalidDefinition(
                    SourceLocation(file: displayPath), problem: "'\(text)' is not a simple name; a streamed XML path is steps like a:b/c/@d")
            }
            if parts.count == 2 {
                guard let uri = namespaces[parts[0]] else {
                    throw PipelineFailure.invalidDefinition(
                        SourceLocation(file: displayPath), problem: "the prefix '\(parts[0])' is not declared in 'namespaces'")
                }
                return Step(namespace: uri, name: parts[1], isAttribute: isAttribute)
            }
            return Step(namespace: nil, name: parts[0], isAttribute: isAttribute)
        }
        func steps(_ path: String) throws(PipelineFailure) -> [Step] {
            var result: [Step] = []
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                if part.hasPrefix("@") {
                    guard index == parts.count - 1 else {
                        throw PipelineFailure.invalidDefinition(
                            SourceLocation(file: displayPath), problem: "an attribute must be the last step of '\(path)'")
                    }
                    result.append(try step(part.dropFirst(), isAttribute: true))
                } else {
                    result.append(try step(part, isAttribute: false))
                }
            }
            return result
        }
        guard rows.hasPrefix("/"), !rows.hasPrefix("//") else {
            throw PipelineFailure.invalidDefinition(
                SourceLocation(file: displayPath), problem: "a streamed 'rows' path is absolute and simple: /a:root/a:row")
        }
        let rowSteps = try steps(String(rows.dropFirst()))
        guard rowSteps.allSatisfy({ !$0.isAttribute }) else {
            throw PipelineFailure.invalidDefinition(SourceLocation(file: displayPath), problem: "'rows' must select elements")
        }
        var fieldSteps: [[Step]] = []
        for field in fields { fieldSteps.append(try steps(field.from ?? field.field.name)) }
        return (rowSteps, fieldSteps)
    }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let paths = try compiledPaths()
        let xml = XMLCalls(file: displayPath, path: path)
        let reader = try xml(try XMLStreamReader(path: path, source: displayPath))
        let wanted = Dictionary(paths.fields.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let decoders = fields.map(\.decoder)
        var stack: [Step] = []
        var values = [String?](repeating: nil, count: fields.count)
        var inRow = false
        var rowLine = 0
        var rowBytes = 0
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        var count = 0
        let rowDepth = paths.rows.count
        while try xml(try reader.read()) {
            switch reader.kind {
            case .element:
                let step = Step(namespace: reader.namespaceURI, name: reader.localName, isAttribute: false)
                stack.append(step)
                if !inRow, stack == paths.rows {
                    inRow = true
                    rowLine = reader.line
                    rowBytes = 0
                    values = [String?](repeating: nil, count: fields.count)
                }
                if inRow {
                    let relative = Array(stack.dropFirst(rowDepth))
                    for attribute in reader.attributes() {
                        if let index = wanted[relative + [Step(namespace: attribute.namespaceURI, name: attribute.localName, isAttribute: true)]] {
                            values[index] = attribute.value
                        }
                    }
                }
                if reader.isEmptyElement { try end() }
            case .text:
                guard inRow, let index = wanted[Array(stack.dropFirst(rowDepth))], let text = reader.value else { continue }
                rowBytes += text.utf8.count
                guard rowBytes <= maximumRowBytes else {
                    throw PipelineFailure.malformedSource(
                        SourceLocation(file: displayPath, line: rowLine), problem: "a row is larger than \(maximumRowBytes) bytes (maximumRowBytes)")
                }
                values[index] = (values[index] ?? "") + text
            case .endElement:
                try end()
            case .other:
                break
            }
        }
        func end() throws(PipelineFailure) {
            if inRow, stack.count == rowDepth {
                let valid = try decodeRow(&row, fields: fields, collector: collector) { index throws(CellFailure) in
                    let text = values[index] ?? ""
                    do throws(ValueDecoder.Failure) {
                        return UnicodeText.nfc(try decoders[index].decode(text))
                    } catch {
                        throw CellFailure(
                            SourceLocation(file: displayPath, line: rowLine, field: fields[index].from ?? fields[index].field.name),
                            cell: text, error)
                    }
                }
                if valid { try batch.append(row, line: rowLine, emit: emit) }
                count += 1
                inRow = false
            }
            stack.removeLast()
        }
        guard count > 0 else {
            throw PipelineFailure.malformedSource(SourceLocation(file: displayPath, field: rows), problem: "the path '\(rows)' selects no rows")
        }
        try batch.finish(emit: emit)
    }
}
