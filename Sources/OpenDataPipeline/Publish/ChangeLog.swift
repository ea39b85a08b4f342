import Foundation

/// A pipeline's `changes.json`: what each dataset's publication changed since
/// the previous release (new, revised rows and values, metadata only, nothing).
struct ChangeLog: Codable, Equatable {
    var release: String
    /// Null in the first release of the pipeline.
    var previousRelease: String?
    var datasets: [Dataset]
    /// The release's note (`--note`) and `true` for a correction (`--correction`); absent when not given.
    var note: String?
    var correction: Bool?

    /// One dataset's part; the rows and values only when its rows were revised.
    struct Dataset: Codable, Equatable {
        var id: String
        var change: DatasetChange
        var rows: Int
        var added: Rows?
        var removed: Rows?
        var revised: Values?
    }

    /// Rows added or removed: their count, and the first of them (field name → cell, null when empty).
    struct Rows: Codable, Equatable {
        var count: Int
        var rows: [[String: String?]]
    }

    struct Values: Codable, Equatable {
        var count: Int
        var values: [Value]
    }

    /// One revised value: the row's primary key, the field, the old and the new cell (null when empty).
    struct Value: Codable, Equatable {
        var key: [String: String]
        var field: String
        var old: String?
        var new: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(field, forKey: .field)
            try container.encode(old, forKey: .old)
            try container.encode(new, forKey: .new)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(release, forKey: .release)
        try container.encode(previousRelease, forKey: .previousRelease)
        try container.encode(datasets, forKey: .datasets)
        try container.encodeIfPresent(note, forKey: .note)
        try container.encodeIfPresent(correction, forKey: .correction)
    }

    func encoded(path: String) throws(PipelineFailure) -> [UInt8] {
        try JSONWriter.serialize(FoundationObjectEncoder.encode(self, path: path), path: path, pretty: true)
    }
}
