import Foundation
import Logging

/// Writes each log event to stderr as one JSON object:
/// `{"time":"…","level":"info","message":"…","pipeline":"…"}`.
struct JSONLineLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = "\(value)"
        }
        Self.write(level: event.level.rawValue, message: event.message.description, fields: fields)
    }

    /// Writes one event line: `time`, `level` and `message` beside `fields`.
    static func write(level: String, message: String, fields: [String: String]) {
        var object = fields
        object["time"] = ISO8601DateFormatter().string(from: Date())
        object["level"] = level
        object["message"] = message
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }
}
