import Foundation
import Yams

/// Builds one ``Dataset`` from its entry in a pipeline file.
struct DatasetLoader {
    let sourcePath: SourcePath
    let shownDirectory: String
    let pipelineSources: [Citation]
    var pipelineID = ""
    /// The pipeline's `timeZone`.
    var timeZone = TimeZone(identifier: "UTC")!
    /// The datasets declared before this one: the only ones it may refer to.
    var earlier: [Dataset] = []

    func load(_ node: DefinitionNode) throws(PipelineFailure) -> Dataset {
        let keys = try node.mapping(allowed: [
            "id", "title", "description", "illustrative", "sources", "source", "fields", "steps", "publish", "feed",
            "primaryKey", "uniqueKeys", "foreignKeys", "missingValues", "tests", "chart", "maximumCellBytes",
            "controlCharacters", "allowEmpty", "titles", "headline",
        ])
        let id = try PipelineLoader.identifier(keys.required("id"))
        let missingValues =
            try keys["missingValues"].map { node throws(PipelineFailure) in
                try node.sequence().map { item throws(PipelineFailure) in try item.string() }
            } ?? [""]
        let (extractor, sourceFields) = try source(
            keys.required("source"), fields: keys.required("fields"), missingValues: missingValues, cells: cellRules(keys))
        var schema = extractor.schema
        var transforms: [any Transform] = []
        for stepNode in try keys["steps"]?.sequence() ?? [] {
            let step = try StepLoader(schema: schema, earlier: earlier).load(stepNode)
            transforms.append(step)
            schema = step.outputSchema
        }
        if let titles = keys["titles"] { try FieldTitles.apply(titles, to: &schema) }
        let primaryKey =
            try keys["primaryKey"].map { node throws(PipelineFailure) in
                try Self.fieldNames(node, in: schema)
            } ?? []
        var feedTemplate: FeedTemplate?
        if let feedNode = keys["feed"] {
            let sentences = try PipelineLoader.localized(feedNode)
            do {
                feedTemplate = try FeedTemplate(sentences, schema: schema)
            } catch {
                throw feedNode.fail("in the feed sentence: \(error.message)")
            }
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
        let illustrative = try keys["illustrative"].map { node throws(PipelineFailure) in
            try IllustrativeDeclaration.load(node, schema: schema)
        }
        var dataset = Dataset(
            id: id,
            title: try PipelineLoader.localized(keys.required("title")),
            description: try PipelineLoader.localized(keys.required("description")),
            illustrative: illustrative?.0,
            sources: try keys["sources"].map(PipelineLoader.citations) ?? pipelineSources,
            extractor: extractor,
            transforms: transforms,
            schema: schema,
            formats: [],
            feedTemplate: feedTemplate,
            chart: try keys["chart"]?.boolean() ?? true)
        dataset.primaryKey = primaryKey
        dataset.illustrativeFigures = illustrative?.1
        dataset.headline =
            try keys["headline"].map { node throws(PipelineFailure) in try HeadlineRule.load(node, schema: schema) }
            ?? .standard(schema: schema)
        dataset.uniqueKeys = uniqueKeys
        dataset.foreignKeys = foreignKeys
        dataset.missingValues = missingValues
        dataset.tests = tests
        dataset.allowEmpty = try keys["allowEmpty"]?.boolean() ?? false
        dataset.sourceFields = sourceFields
        dataset.formats = try PublishLoader.formats(keys["publish"], for: dataset, at: node)
        return dataset
    }

    /// A list of field names of `schema` (a single name is accepted, as Table Schema v1 allowed).
    static func fieldNames(_ node: DefinitionNode, in schema: TableSchema) throws(PipelineFailure) -> [String] {
        let items: [DefinitionNode]
        if case .scalar = node.node { items = [node] } else { items = try node.sequence() }
        var names: [String] = []
        for item in items { names.append(schema.fields[try fieldIndex(item, in: schema)].name) }
        guard !names.isEmpty else { throw node.fail("expected at least one field name") }
        return names
    }

    /// The position of the field a scalar node names, or an error at the node listing the fields.
    static func fieldIndex(_ node: DefinitionNode, in schema: TableSchema) throws(PipelineFailure) -> Int {
        let name = try node.string()
        guard let index = schema.index(of: name) else {
            throw node.fail(
                "no field named '\(name)'; the fields here are \(schema.fields.map(\.name).joined(separator: ", "))", code: .unknownField)
        }
        return index
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
                "a foreign key refers to this dataset or one declared earlier in the pipeline; found '\(resource)', earlier: \(earlier.map(\.id).joined(separator: ", "))"
            )
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

    /// The extractor a `source:` mapping declares, and the fields it reads.
    private func source(
        _ node: DefinitionNode, fields fieldsNode: DefinitionNode, missingValues: [String],
        cells: (maximumBytes: Int, keepControls: Bool)
    ) throws(PipelineFailure) -> (extractor: any Extractor, fields: [SourceField]) {
        let typeNames = SourceType.registry.map(\.name).joined(separator: ", ")
        guard case let .mapping(mapping) = node.node else { throw node.fail("expected a mapping with a 'type' (\(typeNames))") }
        // The type first, so that an unknown key is named with the keys of that type.
        let typeNode = try node.mapping(allowed: mapping.keys.compactMap(\.string)).required("type")
        let type = try typeNode.string()
        guard let sourceType = SourceType.named(type) else {
            throw typeNode.fail("expected a source type of \(typeNames), found '\(type)'", code: .unknownName)
        }
        for key in mapping.keys {
            let name = key.string ?? ""
            guard !sourceType.keys.contains(name) else { continue }
            throw DefinitionNode(node: key, file: node.file, path: "\(node.path).\(name)").fail(
                "unknown key '\(name)' for a \(type) source; expected one of: \(sourceType.keys.joined(separator: ", "))", code: .unknownKey)
        }
        let keys = try node.mapping(allowed: sourceType.keys)
        for option in SourceType.commonOptions + sourceType.options {
            if let value = keys[option.key] { try option.check(value) }
        }
        var path = ""
        var shown = ""
        if sourceType.readsFile {
            let pathNode = try keys.required("path")
            let relative = try pathNode.nonEmptyString()
            guard !relative.hasPrefix("/") else {
                throw pathNode.fail("expected a path relative to the pipeline file, found an absolute path")
            }
            path = try sourcePath.resolve(relative, node: pathNode)
            shown = shownDirectory.isEmpty ? relative : "\(shownDirectory)/\(relative)"
        } else if let pathNode = keys["path"] {
            throw pathNode.fail("a \(type) source reads no file; remove 'path'", code: .unknownKey)
        }
        let numberFormat = try keys["numberFormat"].map(Self.numberFormat) ?? .plain
        var fields = try sourceFields(
            fieldsNode, defaultFormat: numberFormat, missingValues: missingValues, tabular: sourceType.tabular)
        for index in fields.indices {
            fields[index].maximumCellBytes = cells.maximumBytes
            fields[index].keepsControlCharacters = cells.keepControls
        }
        var declaration = SourceDeclaration(
            node: node, keys: keys, fieldsNode: fieldsNode, path: path, shownPath: shown, fields: fields,
            missingValues: missingValues)
        declaration.timeZone = timeZone
        return (try sourceType.build(declaration), fields)
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
                guard tabular else {
                    let tables = SourceType.registry.filter(\.tabular).map(\.name)
                    throw columnNode.fail(
                        "'column' picks a column of a \(tables.dropLast().joined(separator: ", ")) or \(tables.last ?? "") table by position")
                }
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
                        "expected a format of a \(fieldType.rawValue) field: email, uri, uuid or binary for strings; a pattern such as %d/%m/%Y for dates and times"
                    )
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
