import Foundation
import LibXML
import Yams

/// Builds one ``Dataset`` from its entry in a pipeline file.
struct DatasetLoader {
    let sourcePath: SourcePath
    let shownDirectory: String
    let pipelineSources: [Citation]
    var pipelineID = ""
    /// The datasets declared before this one: the only ones it may refer to.
    var earlier: [Dataset] = []

    func load(_ node: DefinitionNode) throws(PipelineFailure) -> Dataset {
        let keys = try node.mapping(allowed: [
            "id", "title", "description", "illustrative", "sources", "source", "fields", "steps", "publish", "feed",
            "primaryKey", "uniqueKeys", "foreignKeys", "missingValues", "tests", "chart", "maximumCellBytes",
            "controlCharacters", "allowEmpty",
        ])
        let id = try PipelineLoader.identifier(keys.required("id"))
        let missingValues = try keys["missingValues"].map { node throws(PipelineFailure) in
            try node.sequence().map { item throws(PipelineFailure) in try item.string() }
        } ?? [""]
        var sourceFields: [SourceField] = []
        let extractor = try source(
            keys.required("source"), fields: keys.required("fields"), missingValues: missingValues, cells: cellRules(keys),
            declared: &sourceFields)
        var schema = extractor.schema
        var transforms: [any Transform] = []
        for stepNode in try keys["steps"]?.sequence() ?? [] {
            let step = try StepLoader(schema: schema, earlier: earlier).load(stepNode)
            transforms.append(step)
            schema = step.outputSchema
        }
        let primaryKey = try keys["primaryKey"].map { node throws(PipelineFailure) in
            try Self.fieldNames(node, in: schema)
        } ?? []
        var formats: [PublishFormat] = PublishFormat.allCases.filter { $0 != .jsonstat || !primaryKey.isEmpty }
        if let publishNode = keys["publish"] {
            formats = []
            for item in try publishNode.sequence() {
                guard let format = PublishFormat(rawValue: try item.string()) else {
                    throw item.fail("expected one of: \(PublishFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                formats.append(format)
            }
        }
        var feedTemplate: FeedTemplate?
        if let feedNode = keys["feed"] {
            let sentences = try PipelineLoader.localized(feedNode)
            do {
                feedTemplate = try FeedTemplate(sentences, schema: schema)
            } catch {
                throw feedNode.fail("in the feed sentence: \(error.message)")
            }
        }
        if formats.contains(.jsonstat), primaryKey.isEmpty {
            throw node.fail("JSON-stat needs a 'primaryKey': the fields that identify a row become its dimensions")
        }
        if formats.contains(.rss), feedTemplate == nil {
            throw node.fail("a dataset published as rss needs a 'feed' sentence ({vi, en}) that states its figures")
        }
        let uniqueKeys = try (keys["uniqueKeys"]?.sequence() ?? []).map { node throws(PipelineFailure) in
            try Self.fieldNames(node, in: schema)
        }
        var foreignKeys: [ForeignKey] = []
        for node in try keys["foreignKeys"]?.sequence() ?? [] {
            foreignKeys.append(try foreignKey(node, schema: schema, id: id))
        }
        var tests: [DataTest] = []
        for node in try keys["tests"]?.sequence() ?? [] {
            tests.append(
                try DataTestLoader(schema: schema, earlier: earlier, pipeline: pipelineID, dataset: id).load(node))
        }
        var dataset = Dataset(
            id: id,
            title: try PipelineLoader.localized(keys.required("title")),
            description: try PipelineLoader.localized(keys.required("description")),
            illustrative: try keys["illustrative"].map(PipelineLoader.localized),
            sources: try keys["sources"].map(PipelineLoader.citations) ?? pipelineSources,
            extractor: extractor,
            transforms: transforms,
            schema: schema,
            formats: formats,
            feedTemplate: feedTemplate,
            chart: try keys["chart"]?.boolean() ?? true)
        dataset.primaryKey = primaryKey
        dataset.uniqueKeys = uniqueKeys
        dataset.foreignKeys = foreignKeys
        dataset.missingValues = missingValues
        dataset.tests = tests
        dataset.allowEmpty = try keys["allowEmpty"]?.boolean() ?? false
        dataset.sourceFields = sourceFields
        return dataset
    }

    /// A list of field names of `schema` (a single name is accepted, as Table Schema v1 allowed).
    static func fieldNames(_ node: DefinitionNode, in schema: TableSchema) throws(PipelineFailure) -> [String] {
        let items: [DefinitionNode]
        if case .scalar = node.node { items = [node] } else { items = try node.sequence() }
        var names: [String] = []
        for item in items {
            let name = try item.string()
            guard schema.index(of: name) != nil else {
                throw item.fail(
                    "no field named '\(name)'; the fields here are \(schema.fields.map(\.name).joined(separator: ", "))", code: .unknownField)
            }
            names.append(name)
        }
        guard !names.isEmpty else { throw node.fail("expected at least one field name") }
        return names
    }

    /// `{fields: [...], reference: {resource: <earlier dataset>, fields: [...]}}`.
    private func foreignKey(_ node: DefinitionNode, schema: TableSchema, id: String) throws(PipelineFailure) -> ForeignKey {
        let keys = try node.mapping(allowed: ["fields", "reference"])
        let fields = try Self.fieldNames(keys.required("fields"), in: schema)
        let reference = try keys.required("reference").mapping(allowed: ["resource", "fields"])
        // Without a resource (or naming this dataset), the key refers to this dataset's own rows (Table Schema).
        guard let resourceNode = reference["resource"], try resourceNode.string() != id else {
            let referenced = try Self.fieldNames(reference.required("fields"), in: schema)
            guard referenced.count == fields.count else {
                throw node.fail("the foreign key has \(fields.count) fields but refers to \(referenced.count)")
            }
            return ForeignKey(fields: fields, dataset: id, referencedFields: referenced)
        }
        let resource = try resourceNode.string()
        guard let target = earlier.first(where: { $0.id == resource }) else {
            throw resourceNode.fail(
                "a foreign key refers to this dataset or one declared earlier in the pipeline; found '\(resource)', earlier: \(earlier.map(\.id).joined(separator: ", "))")
        }
        let referenced = try Self.fieldNames(reference.required("fields"), in: target.schema)
        guard referenced.count == fields.count else {
            throw node.fail("the foreign key has \(fields.count) fields but refers to \(referenced.count)")
        }
        return ForeignKey(fields: fields, dataset: resource, referencedFields: referenced)
    }

    /// What one cell may hold: `maximumCellBytes` (default 1 MiB) and `controlCharacters` (`refuse` or `keep`).
    private func cellRules(_ keys: DefinitionMapping) throws(PipelineFailure) -> (maximumBytes: Int, keepControls: Bool) {
        var rules = (maximumBytes: ValueDecoder.defaultMaximumCellBytes, keepControls: false)
        if let node = keys["maximumCellBytes"] {
            rules.maximumBytes = try node.integer()
            guard rules.maximumBytes > 0 else { throw node.fail("expected a positive number of bytes") }
        }
        if let node = keys["controlCharacters"] {
            switch try node.string() {
            case "refuse": rules.keepControls = false
            case "keep": rules.keepControls = true
            default: throw node.fail("expected refuse (the default: a control character is a type error) or keep")
            }
        }
        return rules
    }

    private func source(
        _ node: DefinitionNode, fields fieldsNode: DefinitionNode, missingValues: [String],
        cells: (maximumBytes: Int, keepControls: Bool), declared: inout [SourceField]
    ) throws(PipelineFailure) -> any Extractor {
        let typeKeys: [(type: String, keys: [String])] = [
            ("csv", ["delimiter", "quote", "encoding", "headerLine", "footerRows", "commentPrefix", "numberFormat"]),
            ("xml", ["rows", "namespaces", "numberFormat", "maximumBytes", "stream", "maximumRowBytes"]),
            ("json", ["records", "numberFormat", "maximumBytes", "maximumDepth"]),
            ("ndjson", ["numberFormat", "maximumLineBytes", "maximumDepth"]),
            ("json-stat", ["dataset", "numberFormat", "maximumBytes", "maximumCells"]),
            ("sdmx", ["numberFormat"]),
            ("html", ["table", "headerRows", "numberFormat", "maximumBytes", "maximumCells"]),
            ("sqlite", ["query", "numberFormat"]),
            ("xlsx", ["sheet", "range", "headerRows", "numberFormat", "maximumPartBytes", "maximumCompressionRatio"]),
        ]
        let typeNames = typeKeys.map(\.type).joined(separator: ", ")
        guard case .mapping = node.node else { throw node.fail("expected a mapping with a 'type' (\(typeNames))") }
        let typeNode = try node.mapping(allowed: ["type", "path"] + Set(typeKeys.flatMap(\.keys)).sorted()).required("type")
        let type = try typeNode.string()
        guard let allowed = typeKeys.first(where: { $0.type == type }).map({ ["type", "path"] + $0.keys }) else {
            throw typeNode.fail("expected a source type of \(typeNames), found '\(type)'")
        }
        let keys = try node.mapping(allowed: allowed)
        let pathNode = try keys.required("path")
        let relative = try pathNode.nonEmptyString()
        guard !relative.hasPrefix("/") else {
            throw pathNode.fail("expected a path relative to the pipeline file, found an absolute path")
        }
        let path = try sourcePath.resolve(relative, node: pathNode)
        let shown = shownDirectory.isEmpty ? relative : "\(shownDirectory)/\(relative)"
        let numberFormat = try keys["numberFormat"].map(Self.numberFormat) ?? .plain
        var fields = try sourceFields(
            fieldsNode, defaultFormat: numberFormat, missingValues: missingValues, tabular: ["csv", "xlsx", "html"].contains(type))
        for index in fields.indices {
            fields[index].maximumCellBytes = cells.maximumBytes
            fields[index].keepsControlCharacters = cells.keepControls
        }
        declared = fields
        func positive(_ key: String, default value: Int) throws(PipelineFailure) -> Int {
            guard let node = keys[key] else { return value }
            let number = try node.integer()
            guard number > 0 else { throw node.fail("expected a positive number") }
            return number
        }
        switch type {
        case "sdmx":
            return SDMXExtractor(path: path, displayPath: shown, fields: fields)
        case "xlsx":
            var range: CellRange?
            if let rangeNode = keys["range"] {
                let text = try rangeNode.nonEmptyString()
                guard let parsed = CellRange(text) else { throw rangeNode.fail("expected a cell range such as A3:F200, found '\(text)'") }
                range = parsed
            }
            var headerRows = 1
            if let node = keys["headerRows"] {
                headerRows = try node.integer()
                guard (1...20).contains(headerRows) else { throw node.fail("expected 1 to 20 header rows") }
            }
            return XLSXExtractor(
                path: path, displayPath: shown, sheet: try keys["sheet"]?.nonEmptyString(), range: range, headerRows: headerRows,
                fields: fields, maximumPartBytes: try positive("maximumPartBytes", default: XLSXExtractor.defaultMaximumPartBytes),
                maximumCompressionRatio: try positive(
                    "maximumCompressionRatio", default: XLSXExtractor.defaultMaximumCompressionRatio))
        case "sqlite":
            let queryNode = try keys.required("query")
            let extractor = SQLiteExtractor(path: path, displayPath: shown, query: try queryNode.nonEmptyString(), fields: fields)
            // Prepared against the database (opened read-only) when it is there; a missing file is a run-time error.
            if let problem = extractor.queryProblem() { throw queryNode.fail(problem) }
            return extractor
        case "html":
            let tableNode = try keys.required("table")
            let choice = try tableNode.mapping(allowed: ["id", "caption", "xpath"])
            let selector: HTMLTableExtractor.Selector
            switch (choice["id"], choice["caption"], choice["xpath"]) {
            case let (id?, nil, nil): selector = .id(try id.nonEmptyString())
            case let (nil, caption?, nil): selector = .caption(try caption.nonEmptyString())
            case let (nil, nil, xpath?):
                let expression = try xpath.nonEmptyString()
                do {
                    _ = try XPathQuery(expression)
                } catch {
                    throw xpath.fail("\(error)")
                }
                selector = .xpath(expression)
            default: throw tableNode.fail("expected exactly one of id, caption or xpath")
            }
            var headerRows = 1
            if let node = keys["headerRows"] {
                headerRows = try node.integer()
                guard (1...20).contains(headerRows) else { throw node.fail("expected 1 to 20 header rows") }
            }
            var extractor = HTMLTableExtractor(
                path: path, displayPath: shown, table: selector, headerRows: headerRows, fields: fields,
                maximumBytes: try positive("maximumBytes", default: HTMLTableExtractor.defaultMaximumBytes))
            extractor.maximumCells = try positive("maximumCells", default: HTMLTable.defaultMaximumCells)
            return extractor
        case "json":
            let records = try keys["records"]?.string() ?? ""
            if let problem = JSONExtractor.pointerProblem(records) {
                throw keys["records"]!.fail("expected a JSON Pointer such as /data/items ('' for the whole document): \(problem)")
            }
            for (item, field) in zip(try fieldsNode.sequence(), fields) {
                if let from = field.from, from.hasPrefix("/"), let problem = JSONExtractor.pointerProblem(from) { throw item.fail(problem) }
            }
            return JSONExtractor(
                path: path, displayPath: shown, records: records, fields: fields,
                maximumBytes: try positive("maximumBytes", default: JSONExtractor.defaultMaximumBytes),
                maximumDepth: try positive("maximumDepth", default: JSONExtractor.defaultMaximumDepth))
        case "ndjson":
            return NDJSONExtractor(
                path: path, displayPath: shown, fields: fields,
                maximumLineBytes: try positive("maximumLineBytes", default: NDJSONExtractor.defaultMaximumLineBytes),
                maximumDepth: try positive("maximumDepth", default: JSONExtractor.defaultMaximumDepth))
        case "json-stat":
            var dataset = 0
            if let datasetNode = keys["dataset"] {
                dataset = try datasetNode.integer()
                guard dataset >= 0 else { throw datasetNode.fail("expected the 0-based position of a dataset in the collection") }
            }
            return JSONStatExtractor(
                path: path, displayPath: shown, dataset: dataset, fields: fields,
                maximumBytes: try positive("maximumBytes", default: JSONExtractor.defaultMaximumBytes),
                maximumCells: try positive("maximumCells", default: JSONStatExtractor.defaultMaximumCells))
        case "csv":
            var dialect = CSVDialect()
            if let delimiterNode = keys["delimiter"] {
                dialect.delimiter = try Self.csvCharacter(delimiterNode, what: "one ASCII character such as ',', ';', '|' or a tab")
            }
            if let quoteNode = keys["quote"] {
                dialect.quote = try Self.csvCharacter(quoteNode, what: "one ASCII character such as '\"' or \"'\"")
            }
            guard dialect.quote != dialect.delimiter else {
                throw node.fail("the quote and the delimiter must differ")
            }
            if let encodingNode = keys["encoding"] {
                let name = try encodingNode.string().lowercased()
                guard let encoding = TextEncoding(rawValue: name == "utf8" ? "utf-8" : name) else {
                    throw encodingNode.fail(
                        "expected an encoding: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")), found '\(name)'")
                }
                dialect.encoding = encoding
            }
            var layout = CSVLayout()
            if let lineNode = keys["headerLine"] {
                let line = try lineNode.integer()
                guard line >= 1 else { throw lineNode.fail("expected a line number from 1") }
                layout.headerLine = line
            }
            if let footerNode = keys["footerRows"] {
                let count = try footerNode.integer()
                guard (0...CSVLayout.maximumFooterRows).contains(count) else {
                    throw footerNode.fail("expected a number of rows from 0 to \(CSVLayout.maximumFooterRows)")
                }
                layout.footerRows = count
            }
            if let commentNode = keys["commentPrefix"] {
                layout.commentPrefix = try commentNode.nonEmptyString()
            }
            var extractor = CSVExtractor(path: path, displayPath: shown, dialect: dialect, layout: layout, fields: fields)
            extractor.missingValues = missingValues
            return extractor
        default:  // xml
            var namespaces: [String: String] = [:]
            if let namespacesNode = keys["namespaces"] {
                guard case let .mapping(mapping) = namespacesNode.node else {
                    throw namespacesNode.fail("expected a mapping of prefix: namespace URI")
                }
                for (prefix, uri) in mapping {
                    namespaces[prefix.string ?? ""] = uri.string ?? ""
                }
            }
            var maximumBytes = XMLExtractor.defaultMaximumBytes
            if let node = keys["maximumBytes"] {
                maximumBytes = try node.integer()
                guard maximumBytes > 0 else { throw node.fail("expected a positive number of bytes") }
            }
            let rowsNode = try keys.required("rows")
            if try keys["stream"]?.boolean() == true {
                let extractor = StreamingXMLExtractor(
                    path: path, displayPath: shown, rows: try rowsNode.nonEmptyString(), namespaces: namespaces, fields: fields,
                    maximumRowBytes: try positive("maximumRowBytes", default: StreamingXMLExtractor.defaultMaximumRowBytes))
                do {
                    _ = try extractor.compiledPaths()
                } catch {
                    if case let .invalidDefinition(_, problem, _) = error { throw rowsNode.fail(problem) }
                    throw error
                }
                return extractor
            }
            for (item, field) in zip(try fieldsNode.sequence(), fields) {
                do {
                    _ = try XPathQuery(field.from ?? field.field.name)
                } catch {
                    throw item.fail("\(error)")
                }
            }
            let extractor = XMLExtractor(
                path: path, displayPath: shown, rows: try rowsNode.nonEmptyString(), namespaces: namespaces,
                fields: fields, maximumBytes: maximumBytes)
            do {
                _ = try extractor.compileQueries()
            } catch {
                throw rowsNode.fail("\(error)")
            }
            return extractor
        }
    }

    /// One ASCII character of a CSV dialect (not a line break).
    private static func csvCharacter(_ node: DefinitionNode, what: String) throws(PipelineFailure) -> UInt8 {
        let text = try node.string()
        let bytes = Array(text.utf8)
        guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != 0x0A, bytes[0] != 0x0D else {
            throw node.fail("expected \(what), found '\(text)'")
        }
        return bytes[0]
    }

    static func numberFormat(_ node: DefinitionNode) throws(PipelineFailure) -> NumberFormat {
        guard let format = NumberFormat(rawValue: try node.string()) else {
            throw node.fail("expected a number format: plain (1883.5), vi (1.883,5) or en (1,883.5)")
        }
        return format
    }

    /// The declared fields; the dataset's `missingValues` become each field's unless it declares its own,
    /// so that every kind of source honours them.
    private func sourceFields(
        _ node: DefinitionNode, defaultFormat: NumberFormat, missingValues: [String], tabular: Bool
    ) throws(PipelineFailure) -> [SourceField] {
        var fields: [SourceField] = []
        let items = try node.sequence()
        guard !items.isEmpty else { throw node.fail("expected at least one field") }
        for item in items {
            let keys = try item.mapping(allowed: FieldLoader.keys + ["from", "numberFormat", "column"])
            var field = try FieldLoader.field(keys, type: nil)
            if field.missingValues == nil, missingValues != [""] { field.missingValues = missingValues }
            if fields.contains(where: { $0.field.name == field.name }) {
                throw item.fail("the field '\(field.name)' is declared twice", code: .duplicateName)
            }
            var column: Int?
            if let columnNode = keys["column"] {
                guard tabular else { throw columnNode.fail("'column' picks a column of a csv, xlsx or html table by position") }
                guard keys["from"] == nil else { throw columnNode.fail("give either 'from' (a header name) or 'column' (a position), not both") }
                column = try columnNode.integer()
                guard column! >= 1 else { throw columnNode.fail("expected a column position from 1") }
            }
            fields.append(
                SourceField(
                    field: field, from: try keys["from"]?.nonEmptyString(),
                    numberFormat: try keys["numberFormat"].map(Self.numberFormat) ?? defaultFormat, column: column))
        }
        return fields
    }
}

/// Reads a field declaration: name, type, titles, unit and constraints.
enum FieldLoader {
    static let keys = [
        "name", "type", "format", "title", "description", "unit", "unitMultiplier", "decimals", "role", "missingValues",
        "required", "unique", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
        "pattern", "enum", "severity",
    ]

    /// `type` is given when a step decides it; otherwise the declaration must say it.
    static func field(_ keys: DefinitionMapping, type: FieldType?) throws(PipelineFailure) -> Field {
        let nameNode = try keys.required("name")
        let name = try nameNode.string()
        let valid = name.unicodeScalars.enumerated().allSatisfy { offset, c in
            c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || (offset > 0 && ("0"..."9").contains(c))
        }
        guard valid, !name.isEmpty else {
            throw nameNode.fail("expected a field name of letters, digits and '_' (not starting with a digit), found '\(name)'")
        }
        var fieldType: FieldType
        if let typeNode = keys["type"] {
            guard let declared = FieldType(rawValue: try typeNode.string()) else {
                throw typeNode.fail("expected a type: \(FieldType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            fieldType = declared
        } else if let type {
            fieldType = type
        } else {
            throw keys.owner.fail("missing required key 'type'")
        }
        var constraints = FieldConstraints()
        constraints.required = try keys["required"]?.boolean() ?? false
        constraints.unique = try keys["unique"]?.boolean() ?? false
        constraints.minimum = try keys["minimum"]?.decimal()
        constraints.maximum = try keys["maximum"]?.decimal()
        constraints.exclusiveMinimum = try keys["exclusiveMinimum"]?.decimal()
        constraints.exclusiveMaximum = try keys["exclusiveMaximum"]?.decimal()
        let bounds = [constraints.minimum, constraints.maximum, constraints.exclusiveMinimum, constraints.exclusiveMaximum]
        if bounds.contains(where: { $0 != nil }), !fieldType.isNumeric, fieldType != .year {
            throw keys.owner.fail("minimum and maximum apply to numeric fields; '\(name)' is \(fieldType.rawValue)")
        }
        if let minimum = constraints.minimum, let maximum = constraints.maximum, maximum < minimum {
            throw keys.owner.fail("minimum \(minimum) is larger than maximum \(maximum)")
        }
        for key in ["minLength", "maxLength"] {
            guard let node = keys[key] else { continue }
            let length = try node.integer()
            guard length >= 0, fieldType == .string else {
                throw node.fail("\(key) is a number of characters (0 or more) for a string field")
            }
            if key == "minLength" { constraints.minLength = length } else { constraints.maxLength = length }
        }
        if let node = keys["pattern"] {
            guard fieldType == .string, let pattern = FieldConstraints.Pattern(try node.nonEmptyString()) else {
                throw node.fail("expected a regular expression for a string field")
            }
            constraints.pattern = pattern
        }
        var field = Field(
            name: name, type: fieldType,
            title: try keys["title"].map(PipelineLoader.localized),
            description: try keys["description"].map(PipelineLoader.localized),
            unit: try keys["unit"]?.string())
        if let node = keys["format"] {
            let text = try node.string()
            if text != "default" {
                guard let format = FieldFormat(text, type: fieldType) else {
                    throw node.fail(
                        "expected a format of a \(fieldType.rawValue) field: email, uri, uuid or binary for strings; a pattern such as %d/%m/%Y for dates and times")
                }
                field.format = format
            }
        }
        if let node = keys["role"] {
            guard let role = FieldRole(rawValue: try node.string()) else {
                throw node.fail("expected a role: \(FieldRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard fieldType == .string else { throw node.fail("an observation-status field is a string field") }
            field.role = role
            constraints.allowed = FieldRole.observationStatusCodes.map(Value.string)
        }
        if let node = keys["enum"] {
            let decoder = ValueDecoder(field: Field(name: name, type: fieldType), numberFormat: .plain)
            var allowed: [Value] = []
            for item in try node.sequence() {
                let text = try item.string()
                do {
                    allowed.append(try decoder.decode(text))
                } catch {
                    throw item.fail("'\(text)' is not a value of '\(name)': expected \(error.expected)")
                }
            }
            guard !allowed.isEmpty else { throw node.fail("expected at least one allowed value") }
            constraints.allowed = allowed
        }
        if let node = keys["severity"] {
            switch try node.string() {
            case "warning": constraints.isWarning = true
            case "error": constraints.isWarning = false
            default: throw node.fail("expected the severity of the field's constraints: error or warning")
            }
        }
        field.constraints = constraints
        if let node = keys["unitMultiplier"] {
            let multiplier = try node.integer()
            guard [0, 3, 6, 9].contains(multiplier), fieldType.isNumeric else {
                throw node.fail("expected the power of ten a numeric field counts in: 0 (units), 3 (thousands), 6 (millions) or 9 (billions)")
            }
            field.unitMultiplier = multiplier
        }
        if let node = keys["decimals"] {
            let decimals = try node.integer()
            guard (0...DecimalNumber.maximumScale).contains(decimals), fieldType == .number else {
                throw node.fail("decimals apply to number fields: 0 to \(DecimalNumber.maximumScale)")
            }
            field.decimals = decimals
        }
        if let node = keys["missingValues"] {
            field.missingValues = try node.sequence().map { item throws(PipelineFailure) in try item.string() }
        }
        return field
    }
}
