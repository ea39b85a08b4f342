import Foundation
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files a run brought from the current release into its staging folder
/// unchanged: their manifest entries (reused, not hashed again), the inode
/// each was linked or copied as (an entry serves only while the staging file
/// is still that one: pages are rendered over carried ones), the release path
/// each came from, and why linking failed when the files had to be copied.
struct CarriedFiles {
    struct File {
        var entry: ReleaseManifest.FileEntry
        var inode: UInt64
        /// The file in the current release, when it is hard-linked to it.
        var linkedFrom: String?
    }

    var files: [String: File] = [:]
    /// Why a file was copied instead of linked (the first such failure of the run), for its log.
    var copyReason: String?

    /// The carried entry for the staging file at `relative`, if it is still the one carried.
    func entry(_ relative: String, status: FileStatus) -> File? {
        guard let file = files[relative], file.inode == status.inode, file.entry.bytes == status.bytes else { return nil }
        return file
    }
}

extension ReleaseStore {
    /// Brings a pipeline's folder of the current release into the staging
    /// folder: each folder created, each file a hard link to the current
    /// one (immutable, and checked against its manifest by this run's
    /// `cache` when the run began), with its manifest entry reused. Where
    /// the file system refuses a link (another device, no hard links), the
    /// file is copied and hashed while copied, and must match its entry.
    /// A file the manifest does not list, or that no longer matches it, is
    /// never carried into a new release.
    func carryForward(
        pipelineFolder name: String, into staging: URL, manifest: ReleaseManifest, cache: DigestCache, carried: inout CarriedFiles
    ) throws(PipelineFailure) {
        guard let current = currentRelease else { return }
        let entries = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let source = current.appendingPathComponent(name)
        try makeFolder(staging.appendingPathComponent(name))
        guard let enumerator = FileManager.default.enumerator(atPath: source.path) else { return }
        var problems: [String] = []
        while let below = enumerator.nextObject() as? String {
            let relative = "\(name)/\(below)"
            let from = current.appendingPathComponent(relative).path
            let to = staging.appendingPathComponent(relative)
            if FileStatus(path: from)?.kind == .directory {
                try makeFolder(to)
                continue
            }
            guard let entry = entries[relative] else {
                problems.append("\(relative): not in release.json")
                continue
            }
            if let file = try carry(from, to: to.path, entry: entry, cache: cache, carried: &carried) {
                carried.files[relative] = file
            } else {
                problems.append("\(relative): differs from release.json (size or SHA-256)")
            }
        }
        for entry in manifest.files where entry.path.hasPrefix(name + "/") && carried.files[entry.path] == nil {
            problems.append("\(entry.path): missing")
        }
        guard problems.isEmpty else { throw PipelineFailure.damagedRelease(manifest.id, problems: problems) }
    }

    /// Links (or copies) one file; nil when what is there does not match `entry`.
    private func carry(
        _ from: String, to: String, entry: ReleaseManifest.FileEntry, cache: DigestCache, carried: inout CarriedFiles
    ) throws(PipelineFailure) -> CarriedFiles.File? {
        FaultInjection.checkpoint("link")
        let refused = FaultInjection.shouldFail("link") ? EXDEV : (link(from, to) == 0 ? 0 : errno)
        if refused == 0 {
            guard let status = FileStatus(path: to), status.kind == .file, status.bytes == entry.bytes else { return nil }
            // Unchanged since this run checked it: nothing to read. Otherwise it is hashed now.
            if !cache.carry(from: from, sha256: entry.sha256).same {
                guard (try? Digest.sha256(file: to)) == entry.sha256 else { return nil }
            }
            return .init(entry: entry, inode: status.inode, linkedFrom: from)
        }
        guard [EXDEV, EPERM, EMLINK, EOPNOTSUPP].contains(refused) else {
            throw PipelineFailure.cannotPublish(path: to, reason: "cannot link to \(from): \(Errno(rawValue: refused))")
        }
        if carried.copyReason == nil { carried.copyReason = "\(Errno(rawValue: refused)) (linking \(from))" }
        let writer = try BufferedFileWriter(path: to)
        do {
            let descriptor = try FileDescriptor.open(FilePath(from), .readOnly, options: .closeOnExec)
            defer { try? descriptor.close() }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) }
                if count == 0 { break }
                try writer.write(chunk[0..<count])
            }
        } catch let failure as PipelineFailure {
            throw failure
        } catch {
            throw PipelineFailure.cannotPublish(path: from, reason: "cannot read: \(error)")
        }
        try writer.close()
        guard writer.sha256 == entry.sha256, writer.byteCount == entry.bytes, let status = FileStatus(path: to) else { return nil }
        return .init(entry: entry, inode: status.inode, linkedFrom: nil)
    }

    private func makeFolder(_ url: URL) throws(PipelineFailure) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.cannotPublish(path: url.path, reason: "cannot create the folder: \(error)")
        }
    }
}
