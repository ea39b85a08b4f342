import Foundation

/// The metadata objects written into `datapackage.json` and at the head of each
/// dataset's JSON file, as plain Foundation values for `JSONSerialization`.
enum MetadataDocument {
    static func localized(_ text: LocalizedText) -> [String: Any] {
        ["vi": text.vi, "en": text.en]
    }

    static func citations(_ citations: [Citation]) -> [[String: Any]] {
        citations.map { citation in
            var object: [String: Any] = ["title": citation.title]
            if let path = citation.path { object["path"] = path }
            return object
        }
    }

    static func licenses(_ license: License) -> [[String: Any]] {
        var object: [String: Any] = ["name": license.name]
        if let title = license.title { object["title"] = title }
        if let path = license.path { object["path"] = path }
        return [object]
    }

    /// A decimal as an exact JSON number (never through `Double`).
    static func number(_ number: DecimalNumber) -> Any {
        if let integer = number.exactInteger { return NSNumber(value: integer) }
        return NSDecimalNumber(string: number.description)
    }

    /// A Table Schema field descriptor (Frictionless v2), with the title and
    /// description in Vietnamese and English translations alongside.
    static func field(_ field: Field) -> [String: Any] {
        var object: [String: Any] = ["name": field.name, "type": field.type.rawValue]
        if let title = field.title {
            object["title"] = title.vi
            object["titles"] = localized(title)
        }
        if let description = field.description {
            object["description"] = description.vi
            object["descriptions"] = localized(description)
        }
        if let unit = field.unit { object["unit"] = unit }
        if let format = field.format?.publishedName { object["format"] = format }
        if let multiplier = field.unitMultiplier { object["unitMultiplier"] = multiplier }
        if let decimals = field.decimals { object["decimals"] = decimals }
        if let role = field.role { object["role"] = role.rawValue }
        let rules = field.constraints
        var constraints: [String: Any] = [:]
        if rules.required { constraints["required"] = true }
        if rules.unique { constraints["unique"] = true }
        if let minimum = rules.minimum { constraints["minimum"] = number(minimum) }
        if let maximum = rules.maximum { constraints["maximum"] = number(maximum) }
        if let minimum = rules.exclusiveMinimum { constraints["exclusiveMinimum"] = number(minimum) }
        if let maximum = rules.exclusiveMaximum { constraints["exclusiveMaximum"] = number(maximum) }
        if let length = rules.minLength { constraints["minLength"] = length }
        if let length = rules.maxLength { constraints["maxLength"] = length }
        if let pattern = rules.pattern { constraints["pattern"] = pattern.text }
        if let allowed = rules.allowed {
            constraints["enum"] = allowed.map { value -> Any in value.decimal.map(number) ?? (value.text ?? "") }
        }
        if !constraints.isEmpty { object["constraints"] = constraints }
        return object
    }

    /// The Table Schema of a dataset's published CSV: fields, keys, and the
    /// published files' missing value (the empty cell, whatever the source used).
    static func schema(_ dataset: Dataset, publishedAsCSV: Set<String>) -> [String: Any] {
        var schema: [String: Any] = ["fields": dataset.schema.fields.map(field), "missingValues": [""]]
        if !dataset.primaryKey.isEmpty { schema["primaryKey"] = dataset.primaryKey }
        if !dataset.uniqueKeys.isEmpty { schema["uniqueKeys"] = dataset.uniqueKeys }
        let foreignKeys = dataset.foreignKeys.filter { publishedAsCSV.contains($0.dataset) }.map { key -> [String: Any] in
            ["fields": key.fields, "reference": ["resource": key.dataset, "fields": key.referencedFields]]
        }
        if !foreignKeys.isEmpty { schema["foreignKeys"] = foreignKeys }
        return schema
    }

    /// The head of a dataset's JSON file: everything but the records.
    static func dataset(_ dataset: Dataset, pipeline: Pipeline, release: ReleaseInfo) -> [String: Any] {
        var object: [String: Any] = [
            "id": dataset.id,
            "pipeline": pipeline.id,
            "title": localized(dataset.title),
            "description": localized(dataset.description),
            "publisher": pipeline.publisher.name,
            "licenses": licenses(pipeline.license),
            "sources": citations(dataset.sources),
            "release": release.id,
            "published": FeedDate.rfc3339(release.date, in: pipeline.timeZone),
            "fields": dataset.schema.fields.map(field),
            "url": "\(pipeline.folderURL)/data/\(dataset.id).json",
        ]
        if let illustrative = dataset.illustrative { object["illustrative"] = localized(illustrative) }
        return object
    }

    /// A Frictionless Data Package (v2) describing every published file of a pipeline.
    static func dataPackage(
        _ pipeline: Pipeline, files: [String: [PublishedFile]], release: ReleaseInfo
    ) -> [String: Any] {
        var resources: [[String: Any]] = []
        for dataset in pipeline.datasets {
            for file in files[dataset.id] ?? [] {
                var resource: [String: Any] = [
                    "path": file.path,
                    "format": file.format.rawValue,
                    "mediatype": file.mediaType,
                    "encoding": "utf-8",
                    "bytes": file.bytes,
                    "title": dataset.title.vi,
                    "titles": localized(dataset.title),
                    "description": dataset.description.vi,
                    "descriptions": localized(dataset.description),
                    "sources": citations(dataset.sources),
                    "licenses": licenses(pipeline.license),
                ]
                if let illustrative = dataset.illustrative { resource["illustrative"] = localized(illustrative) }
                switch file.format {
                case .csv:
                    resource["name"] = dataset.id
                    resource["type"] = "table"
                    resource["dialect"] = ["header": true, "delimiter": ",", "lineTerminator": "\r\n"]
                    let csvDatasets = Set(pipeline.datasets.filter { $0.formats.contains(.csv) }.map(\.id))
                    resource["schema"] = schema(dataset, publishedAsCSV: csvDatasets)
                default:
                    resource["name"] = "\(dataset.id)-\(file.format.rawValue)"
                    resource["type"] = "json"
                }
                resources.append(resource)
            }
        }
        var object: [String: Any] = [
            "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
            "name": pipeline.id,
            "id": pipeline.folderURL,
            "title": pipeline.title.vi,
            "titles": localized(pipeline.title),
            "description": pipeline.description.vi,
            "descriptions": localized(pipeline.description),
            "homepage": pipeline.folderURL,
            "version": release.id,
            "created": FeedDate.rfc3339(release.date, in: pipeline.timeZone),
            "licenses": licenses(pipeline.license),
            "sources": citations(pipeline.sources),
            "contributors": [["title": pipeline.publisher.name, "roles": ["publisher"]]],
            "resources": resources,
        ]
        if let url = pipeline.publisher.url {
            object["contributors"] = [["title": pipeline.publisher.name, "path": url, "roles": ["publisher"]]]
        }
        return object
    }
}
