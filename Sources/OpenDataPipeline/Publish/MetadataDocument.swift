import Foundation

/// The metadata objects written into `datapackage.json` and at the head of each
/// dataset's JSON file: the typed ``DataPackage``, and the hashed descriptions and
/// JSON Schema as plain Foundation values for `JSONSerialization`.
enum MetadataDocument {
    /// A typed part of a document (``DataPackage``'s) as a Foundation object, for the documents still built by hand
    /// (hashed, or written once and never read back). The encoder's containers never throw, and these types'
    /// synthesized `encode(to:)` throw only what the containers throw, so the `NSNull` is never reached.
    static func foundation(_ value: some Encodable) -> Any {
        (try? FoundationObjectEncoder.encode(value, path: "")) ?? NSNull()
    }

    static func localized(_ text: LocalizedText) -> Any { foundation(text) }

    static func citations(_ citations: [Citation]) -> [DataPackage.PackageSource] {
        citations.map { DataPackage.PackageSource(title: $0.title, path: $0.path) }
    }

    static func licenses(_ license: License) -> [DataPackage.PackageLicense] {
        [DataPackage.PackageLicense(name: license.name, title: license.title, path: license.path)]
    }

    /// A decimal as an exact JSON number (never through `Double`).
    static func number(_ number: DecimalNumber) -> Any {
        if let integer = number.exactInteger { return NSNumber(value: integer) }
        return NSDecimalNumber(string: number.description)
    }

    /// The Table Schema of a dataset's published CSV: fields, keys, and the
    /// published files' missing value (the empty cell, whatever the source used).
    static func schema(_ dataset: Dataset, publishedAsCSV: Set<String>) -> DataPackage.Schema {
        var schema = DataPackage.Schema(fields: dataset.schema.fields.map(DataPackage.FieldDescriptor.init), missingValues: [""])
        if !dataset.primaryKey.isEmpty { schema.primaryKey = dataset.primaryKey }
        if !dataset.uniqueKeys.isEmpty { schema.uniqueKeys = dataset.uniqueKeys }
        let foreignKeys = dataset.foreignKeys.filter { publishedAsCSV.contains($0.dataset) }.map { key in
            DataPackage.Schema.Key(
                fields: key.fields,
                reference: .init(resource: key.dataset == dataset.id ? nil : key.dataset, fields: key.referencedFields))
        }
        if !foreignKeys.isEmpty { schema.foreignKeys = foreignKeys }
        return schema
    }

    /// A value as a Foundation object for `JSONSerialization` (exact decimals).
    static func jsonValue(_ value: Value) -> Any {
        switch value {
        case .null: NSNull()
        case let .integer(integer): NSNumber(value: integer)
        case let .number(number): self.number(number)
        case let .string(text): text
        case let .boolean(flag): NSNumber(value: flag)
        case let .date(date): date.description
        }
    }

    /// The dataset's metadata without dates: hashed to tell whether the metadata changed.
    static func datasetDescription(_ dataset: Dataset, pipeline: Pipeline) -> [String: Any] {
        var object: [String: Any] = [
            "id": dataset.id,
            "pipeline": pipeline.id,
            "title": localized(dataset.title),
            "description": localized(dataset.description),
            "publisher": pipeline.publisher.name,
            "licenses": foundation(licenses(pipeline.license)),
            "sources": foundation(citations(dataset.sources)),
            "fields": foundation(dataset.schema.fields.map(DataPackage.FieldDescriptor.init)),
            "url": "\(pipeline.folderURL)/\(JSONFormat.dataFile.path(for: dataset.id))",
            "files": dataset.formats.compactMap(\.file).map { "\(pipeline.folderURL)/\($0.path(for: dataset.id))" },
        ]
        if !dataset.primaryKey.isEmpty { object["primaryKey"] = dataset.primaryKey }
        for companion in dataset.formats.flatMap(\.output.companions) {
            if let key = companion.metadataKey { object[key] = "\(pipeline.folderURL)/\(companion.path(for: dataset.id))" }
        }
        if let illustrative = dataset.illustrative { object["illustrative"] = localized(illustrative) }
        if let figures = dataset.illustrativeFigures { object["illustrativeFigures"] = foundation(figures) }
        return object
    }

    /// The metadata that follows a dataset's records in its JSON file.
    static func dataset(
        _ dataset: Dataset, pipeline: Pipeline, release: String, dates: DatasetDates, figureNote: LocalizedText? = nil
    ) -> [String: Any] {
        var object = datasetDescription(dataset, pipeline: pipeline)
        if let figureNote { object["figureNote"] = localized(figureNote) }
        object["release"] = release
        object["dataModified"] = dates.data
        object["metadataModified"] = dates.metadata
        return object
    }

    /// A JSON Schema (2020-12) for a dataset's JSON file.
    static func jsonSchema(_ dataset: Dataset, pipeline: Pipeline) -> [String: Any] {
        var properties: [String: Any] = [:]
        for field in dataset.schema.fields {
            var property: [String: Any]
            switch field.type {
            case .integer, .year: property = ["type": "integer"]
            case .number: property = ["type": "number"]
            case .string: property = ["type": "string"]
            case .boolean: property = ["type": "boolean"]
            case .date: property = ["type": "string", "format": "date"]
            case .datetime: property = ["type": "string", "format": "date-time"]
            case .time: property = ["type": "string", "format": "time"]
            case .yearmonth: property = ["type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"]
            case .duration: property = ["type": "string", "format": "duration"]
            }
            if !field.constraints.required, let type = property["type"] as? String { property["type"] = [type, "null"] }
            if let minimum = field.constraints.minimum { property["minimum"] = number(minimum) }
            if let maximum = field.constraints.maximum { property["maximum"] = number(maximum) }
            if let title = field.title { property["title"] = title.en }
            if let description = field.description { property["description"] = description.en }
            properties[field.name] = property
        }
        let localizedText: [String: Any] = [
            "type": "object", "required": ["vi", "en"],
            "properties": ["vi": ["type": "string"], "en": ["type": "string"]],
        ]
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "\(pipeline.folderURL)/\(JSONFormat.schemaFile.path(for: dataset.id))",
            "title": dataset.title.en,
            "description": "The JSON file of the dataset '\(dataset.id)': its records, then its metadata.",
            "type": "object",
            "required": ["records", "id", "pipeline", "title", "description", "fields", "release", "dataModified", "metadataModified"],
            "properties": [
                "records": [
                    "type": "array",
                    "items": [
                        "type": "object",
                        "properties": properties,
                        "required": dataset.schema.fields.map(\.name),
                        "additionalProperties": false,
                    ],
                ],
                "id": ["const": dataset.id],
                "pipeline": ["const": pipeline.id],
                "title": localizedText,
                "description": localizedText,
                "fields": ["type": "array", "items": ["type": "object", "required": ["name", "type"]]],
                "release": ["type": "string"],
                "dataModified": ["type": "string", "format": "date-time"],
                "metadataModified": ["type": "string", "format": "date-time"],
            ],
        ]
    }

    /// A Frictionless Data Package (v2) describing every published file of a pipeline.
    static func dataPackage(
        _ pipeline: Pipeline, files: [String: [PublishedFile]], dates: [String: DatasetDates], created: String,
        headlines: [String: LocalizedText] = [:], rows: [String: Int] = [:], databaseBytes: Int? = nil, releaseURL: String? = nil,
        figureNotes: [String: LocalizedText] = [:]
    ) -> DataPackage {
        var resources: [DataPackage.Resource] = []
        // The datasets with a main table: the resources, named by their ids, that foreign keys can name.
        let mainTables = Set(pipeline.datasets.filter { $0.formats.contains { $0.file?.isMainTable == true } }.map(\.id))
        for dataset in pipeline.datasets {
            // A reader of the Data Package's `description` alone learns what is illustrative or provisional too;
            // `descriptions` stays the dataset's own (the pages show the note apart), `figureNote` has both languages.
            let note = figureNotes[dataset.id]
            let description = note.map { dataset.description.vi + " " + $0.vi } ?? dataset.description.vi
            for file in files[dataset.id] ?? [] {
                var resource = DataPackage.Resource(
                    name: resourceName(file, dataset: dataset), path: file.path, format: file.kind.packageFormat,
                    mediatype: file.kind.mediaType, encoding: file.kind.encoding, bytes: file.bytes,
                    type: file.kind.resourceType, title: dataset.title.vi, titles: dataset.title, description: description,
                    descriptions: dataset.description, sources: citations(dataset.sources), licenses: licenses(pipeline.license),
                    dataModified: dates[dataset.id]?.data, metadataModified: dates[dataset.id]?.metadata,
                    illustrative: dataset.illustrative)
                resource.illustrativeFigures = dataset.illustrativeFigures
                resource.figureNote = note
                if let dialect = file.kind.dialect {
                    resource.type = "table"
                    resource.dialect = dialect
                    resource.schema = schema(dataset, publishedAsCSV: mainTables)
                }
                if file.kind.isMainTable {
                    resource.headline = headlines[dataset.id]
                    resource.rows = rows[dataset.id]
                    if !dataset.chart { resource.chart = false }
                }
                if let note = file.kind.descriptionNote { resource.description = description + note }
                resources.append(resource)
            }
        }
        if let databaseBytes { resources.append(database(pipeline, bytes: databaseBytes)) }
        return DataPackage(
            profile: "https://datapackage.org/profiles/2.0/datapackage.json", name: pipeline.id, id: pipeline.folderURL,
            title: pipeline.title.vi, titles: pipeline.title, description: pipeline.description.vi,
            descriptions: pipeline.description, homepage: pipeline.folderURL, created: created,
            licenses: licenses(pipeline.license), sources: citations(pipeline.sources),
            contributors: [DataPackage.Contributor(title: pipeline.publisher.name, path: pipeline.publisher.url, roles: ["publisher"])],
            resources: resources,
            // Beside the stable `homepage`: the same files in the release that wrote them, a URL that never changes meaning.
            releaseURL: releaseURL)
    }
}

extension MetadataDocument {
    /// The resource of the pipeline's SQLite database (``PipelineDatabase``): every dataset a table.
    static func database(_ pipeline: Pipeline, bytes: Int) -> DataPackage.Resource {
        let description = LocalizedText(
            vi: "Mọi bộ dữ liệu của \(pipeline.title.vi) trong một cơ sở dữ liệu SQLite: mỗi bộ một bảng; bảng _datasets và _fields mô tả chúng.",
            en: "Every dataset of \(pipeline.title.en) in one SQLite database: a table each; the tables _datasets and _fields describe them.")
        return DataPackage.Resource(
            name: "\(pipeline.id)-sqlite", path: ReleaseLayout.database(pipeline.id), format: "sqlite",
            mediatype: PipelineDatabase.mediaType, encoding: nil, bytes: bytes, type: "file", title: pipeline.title.vi,
            titles: pipeline.title,
            description: description.vi, descriptions: description,
            sources: citations(pipeline.sources), licenses: licenses(pipeline.license))
    }

    /// The Data Package resource name of a file: the dataset id for its main table (the CSV),
    /// the id and the file's suffix for the others (`x-excel-csv`, `x-schema-json`).
    static func resourceName(_ file: PublishedFile, dataset: Dataset) -> String {
        let prefix = ReleaseLayout.dataFile(dataset.id, suffix: ".")
        guard !file.kind.isMainTable, file.path.hasPrefix(prefix) else { return dataset.id }
        return dataset.id + "-" + file.path.dropFirst(prefix.count).replacingOccurrences(of: ".", with: "-")
    }
}

/// When a dataset's rows and its metadata last changed (RFC 3339, in the pipeline's zone).
struct DatasetDates: Equatable {
    var data: String
    var metadata: String
}
