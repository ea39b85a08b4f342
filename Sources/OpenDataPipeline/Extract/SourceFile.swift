import Foundation

/// Reads a whole source file, refusing one larger than `maximumBytes`.
enum SourceFile {
    static func read(path: String, displayPath: String, maximumBytes: Int, kind: String) throws(PipelineFailure) -> [UInt8] {
        let location = SourceLocation(file: displayPath)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue
        else {
            throw PipelineFailure.sourceUnreadable(location, reason: "cannot open the file (does it exist?)")
        }
        guard size <= maximumBytes else {
            throw PipelineFailure.malformedSource(
                location, problem: "the file is \(size) bytes; \(kind) sources are limited to \(maximumBytes) bytes (maximumBytes)",
                code: .sourceTooLarge)
        }
        guard let data = LocalFile.contents(atPath: path) else {
            throw PipelineFailure.sourceUnreadable(location, reason: "cannot read the file")
        }
        return [UInt8](data)
    }
}
