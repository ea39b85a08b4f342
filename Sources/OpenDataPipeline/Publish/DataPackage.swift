import Foundation

/// A pipeline's `datapackage.json` (Frictionless Data Package v2), as it is
/// written and as the next run, the pages, the catalogue and `verify` read it
/// back. Written through ``FoundationObjectEncoder`` and ``JSONWriter``, so the
/// bytes are those of the tool's other JSON (sorted keys, exact decimals).
struct DataPackage: Codable, Equatable {
    var profile: String
    var name: String
    /// The pipeline's stable URL; `homepage` is the same.
    var id: String
    var title: String
    var titles: LocalizedText
    var description: String
    var descriptions: LocalizedText
    var homepage: String
    var created: String
    var licenses: [PackageLicense]
    var sources: [PackageSource]
    var contributors: [Contributor]
    var resources: [Resource]
    /// The same files in the release that wrote them.
    var releaseURL: String?

    enum CodingKeys: String, CodingKey {
        case profile = "$schema"
        case name, id, title, titles, description, descriptions, homepage, created, licenses, sources, contributors, resources
        case releaseURL
    }

    struct PackageLicense: Codable, Equatable {
        var name: String
        var title: String?
        var path: String?
    }

    struct PackageSource: Codable, Equatable {
        var title: String
        var path: String?
    }

    struct Contributor: Codable, Equatable {
        var title: String
        var path: String?
        var roles: [String]
    }

    /// One published file of a dataset.
    struct Resource: Codable, Equatable {
        var name: String
        /// Below the pipeline's folder: `data/<dataset>.<suffix>` (``ReleaseLayout/dataFile(_:suffix:)``).
        var path: String
        var format: String
        var mediatype: String
        /// Nil for a binary file.
        var encoding: String?
        var bytes: Int
        /// `table` for a CSV with its schema, `json` for the others.
        var type: String
        var title: String
        var titles: LocalizedText
        var description: String
        var descriptions: LocalizedText
        var sources: [PackageSource]
        var licenses: [PackageLicense]
        var dataModified: String?
        var metadataModified: String?
        var illustrative: LocalizedText?
        var dialect: Dialect?
        var schema: Schema?
        /// The dataset's figures in words, its row count and whether its page draws a chart (plain CSV only).
        var headline: LocalizedText?
        var rows: Int?
        var chart: Bool?
        /// Which figures `illustrative` is about (absent: all of them), and what is illustrative, provisional or
        /// estimated in words (``FigureMarks``).
        var illustrativeFigures: FigureSelection?
        var figureNote: LocalizedText?

        /// The dataset a resource belongs to: the id in `data/<id>.<suffix>`.
        var dataset: String? { ReleaseLayout.dataset(ofDataFile: path) }
        /// The dataset's main table (its plain CSV, not the Excel or TSV copy): one per dataset page and catalogue entry.
        var isMainTable: Bool { OutputFormats.isMainTable(name: name, path: path) }
    }

    struct Dialect: Codable, Equatable {
        var header: Bool
        var delimiter: String
        var lineTerminator: String
    }

    /// The Table Schema of a published CSV.
    struct Schema: Codable, Equatable {
        var fields: [FieldDescriptor]
        var missingValues: [String]
        var primaryKey: [String]?
        var uniqueKeys: [[String]]?
        var foreignKeys: [Key]?

        struct Key: Codable, Equatable {
            var fields: [String]
            var reference: Reference
        }

        /// A key into the dataset itself names no resource (Table Schema's self-reference).
        struct Reference: Codable, Equatable {
            var resource: String?
            var fields: [String]
        }
    }

    /// A Table Schema field descriptor, with the title and description in
    /// Vietnamese and both languages alongside.
    struct FieldDescriptor: Codable, Equatable {
        var name: String
        var type: String
        var title: String?
        var titles: LocalizedText?
        var description: String?
        var descriptions: LocalizedText?
        var unit: String?
        var format: String?
        var unitMultiplier: Int?
        var decimals: Int?
        var role: String?
        var constraints: Constraints?
    }

    struct Constraints: Codable, Equatable {
        var required: Bool?
        var unique: Bool?
        var minimum: Decimal?
        var maximum: Decimal?
        var exclusiveMinimum: Decimal?
        var exclusiveMaximum: Decimal?
        var minLength: Int?
        var maxLength: Int?
        var pattern: String?
        var allowed: [Scalar]?

        enum CodingKeys: String, CodingKey {
            case required, unique, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern
            case allowed = "enum"
        }

        var isEmpty: Bool { self == Constraints() }
    }

    /// A number or a text, as `enum` lists them.
    enum Scalar: Codable, Equatable {
        case number(Decimal)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .number(try container.decode(Decimal.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .number(number): try container.encode(number)
            case let .text(text): try container.encode(text)
            }
        }
    }
}

extension DataPackage {
    /// The package in a pipeline folder of a release. A missing file is nil (nothing
    /// published there); a file that is not a Data Package is an error naming it.
    static func read(pipelineFolder folder: URL) throws(PipelineFailure) -> DataPackage? {
        try ReleaseDocument.read(DataPackage.self, pipelineFolder: folder, file: ReleaseLayout.dataPackage, expected: "a Data Package")
    }

    func encoded(path: String) throws(PipelineFailure) -> [UInt8] {
        try JSONWriter.serialize(FoundationObjectEncoder.encode(self, path: path), path: path, pretty: true)
    }
}

extension DataPackage.FieldDescriptor {
    init(_ field: Field) {
        self.init(name: field.name, type: field.type.rawValue)
        if let title = field.title {
            self.title = title.vi
            titles = title
        }
        if let description = field.description {
            self.description = description.vi
            descriptions = description
        }
        unit = field.unit
        format = field.format?.publishedName
        unitMultiplier = field.unitMultiplier
        decimals = field.decimals
        role = field.role?.rawValue
        let rules = field.constraints
        var constraints = DataPackage.Constraints()
        if rules.required { constraints.required = true }
        if rules.unique { constraints.unique = true }
        constraints.minimum = rules.minimum.map(Decimal.init)
        constraints.maximum = rules.maximum.map(Decimal.init)
        constraints.exclusiveMinimum = rules.exclusiveMinimum.map(Decimal.init)
        constraints.exclusiveMaximum = rules.exclusiveMaximum.map(Decimal.init)
        constraints.minLength = rules.minLength
        constraints.maxLength = rules.maxLength
        constraints.pattern = rules.pattern?.text
        constraints.allowed = rules.allowed?.map { value in value.decimal.map { .number(Decimal($0)) } ?? .text(value.text ?? "") }
        if !constraints.isEmpty { self.constraints = constraints }
    }
}

extension Decimal {
    /// The exact value of a decimal number (its canonical text read back).
    init(_ number: DecimalNumber) {
        self = Decimal(string: number.description) ?? Decimal(number.units)
    }
}

/// Reading the tool's own documents back from a release.
enum ReleaseDocument {
    /// A document of a pipeline folder of a release; nil when there is no file. A file that
    /// does not decode is `damagedRelease`, naming the file, what was expected and where it differs.
    static func read<T: Decodable>(_ type: T.Type, pipelineFolder folder: URL, file: String, expected: String)
        throws(PipelineFailure) -> T?
    {
        guard let data = LocalFile.contents(atPath: folder.appendingPathComponent(file).path) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw PipelineFailure.damagedRelease(
                folder.deletingLastPathComponent().lastPathComponent,
                problems: ["\(ReleaseLayout.inPipeline(folder.lastPathComponent, file)): not \(expected) (\(reason(error)))"])
        }
    }

    /// A decoding error in a line: the JSON path and what was wrong there.
    static func reason(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "at the top" : "at " + keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        func kind(_ type: Any.Type) -> String {
            switch "\(type)" {
            case "String": "a string"
            case "Int": "an integer"
            case "Bool": "true or false"
            case "Decimal", "Double": "a number"
            case let name where name.hasPrefix("Array"): "an array"
            case let name where name.hasPrefix("Dictionary"): "an object"
            case let name: name
            }
        }
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?: return "\(path(context.codingPath)): '\(key.stringValue)' is missing"
        case let .typeMismatch(type, context)?: return "\(path(context.codingPath)): expected \(kind(type))"
        case let .valueNotFound(type, context)?: return "\(path(context.codingPath)): expected \(kind(type)), found null"
        case let .dataCorrupted(context)?:
            return context.codingPath.isEmpty ? "not JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
