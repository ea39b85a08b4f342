import Foundation
import LibXML
import SystemPackage
import ZIPFoundation

/// The parts of an .xlsx archive (ZIPFoundation), each inflated at most once to a
/// temporary file that goes with the package, refusing a zip bomb: a part larger
/// than `maximumPartBytes`, or compressed more than `maximumCompressionRatio` times,
/// whether declared or found while inflating.
final class XLSXPackage {
    private let archive: Archive
    private let scratch: URL
    private let displayPath: String
    private let maximumPartBytes: Int
    private let maximumCompressionRatio: Int
    private var inflated: [String: URL] = [:]
    /// Told the name of each part as it is inflated.
    var onInflate: ((String) -> Void)?
    /// Told the name of a part each time a reader over the whole of it is opened.
    var onRead: ((String) -> Void)?

    init(path: String, displayPath: String, maximumPartBytes: Int, maximumCompressionRatio: Int) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw PipelineFailure.sourceUnreadable(SourceLocation(file: displayPath), reason: "cannot open the file (does it exist?)")
        }
        self.displayPath = displayPath
        self.maximumPartBytes = maximumPartBytes
        self.maximumCompressionRatio = maximumCompressionRatio
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw PipelineFailure.malformedSource(SourceLocation(file: displayPath), problem: "not an .xlsx workbook (not a ZIP archive)")
        }
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: scratch)
    }

    func fail(_ problem: String) -> PipelineFailure {
        .malformedSource(SourceLocation(file: displayPath), problem: problem)
    }

    /// A streaming reader over the part `name`, inflated on first use; nil when an optional part is absent.
    func reader(_ name: String, required: Bool = true) throws -> XMLStreamReader? {
        guard let file = try inflatedFile(name, required: required) else { return nil }
        onRead?(name)
        return try XMLStreamReader(path: file.path, source: "\(displayPath) (\(name))")
    }

    /// The part `name` inflated (on first use); nil when an optional part is absent.
    private func inflatedFile(_ name: String, required: Bool) throws -> URL? {
        if let done = inflated[name] { return done }
        guard let entry = archive[name] else {
            if required { throw fail("not an .xlsx workbook: the archive has no \(name)") }
            return nil
        }
        let file = scratch.appendingPathComponent("part\(inflated.count + 1).xml")
        try inflate(entry, to: file, name: name)
        inflated[name] = file
        onInflate?(name)
        return file
    }

    /// A reader over the worksheet `name` without its cells (``XLSXSheetOutline``), for the merged
    /// ranges; nil when the outline cannot be cut out (then the whole part is read for them).
    func outlineReader(_ name: String) throws -> XMLStreamReader? {
        guard let part = try inflatedFile(name, required: true), let outline = XLSXSheetOutline.bytes(ofPart: part.path) else {
            return nil
        }
        let file = part.deletingPathExtension().appendingPathExtension("outline.xml")
        do { _ = try BufferedFileWriter.write(outline, to: file.path) } catch { return nil }
        return try? XMLStreamReader(path: file.path, source: "\(displayPath) (\(name))")
    }

    /// Inflates `entry` to `file`, refusing a part that is too large or too compressed.
    private func inflate(_ entry: Entry, to file: URL, name: String) throws {
        let declared = Int(exactly: entry.uncompressedSize) ?? Int.max
        let compressed = max(Int(exactly: entry.compressedSize) ?? 1, 1)
        let limit = min(maximumPartBytes, compressed.multipliedReportingOverflow(by: maximumCompressionRatio).partialValue)
        guard declared <= maximumPartBytes else {
            throw fail("\(name) declares \(declared) bytes inflated, more than the limit of \(maximumPartBytes) (a zip bomb?)")
        }
        guard declared <= limit else {
            throw fail("\(name) is compressed \(declared / compressed) times, more than the limit of \(maximumCompressionRatio) (a zip bomb?)")
        }
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                FilePath(file.path), .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: .ownerReadWrite)
        } catch {
            throw fail("cannot write a temporary file to inflate \(name): \(error)")
        }
        defer { try? descriptor.close() }
        var written = 0
        _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in
            written += data.count
            guard written <= limit, written <= declared else {
                throw fail("\(name) inflates to more than it declares or than \(limit) bytes (a zip bomb?)")
            }
            _ = try descriptor.writeAll(data)
        }
    }
}
