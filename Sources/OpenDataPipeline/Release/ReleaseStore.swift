public import Foundation
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output folder: complete releases under `releases/<id>/`, and `current`,
/// a symbolic link to the one being served.
///
/// A release is written into `releases/<id>.partial/`, its completion marker
/// (`.complete`, the SHA-256 of its `release.json`) last, every file and
/// folder fsynced (a file carried forward is a hard link to the current
/// release's, already on disk: its folder is synced), renamed to `releases/<id>/`, and then `current` is switched
/// with one `rename(2)` of a new link over the old one. A reader of `current`
/// sees the old release or the new one, never a mixture, and a crash at any
/// moment leaves the old `current` intact. A release is listed only when its
/// marker matches; releases are ordered by the `sequence` in their manifest.
/// Old releases are pruned by renaming them into `.trash/` first, so a killed
/// pruning never leaves a half-deleted release where a release is looked for.
/// `.published` lists every release that became current (all the releases
/// there were when it is first written): a complete release that never did
/// and is older than `current` (a run killed between writing and switching)
/// is an orphan, removed by the next run. A released folder is
/// never written again.
public struct ReleaseStore: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    static let markerName = ReleaseLayout.completionMarker
    var releasesDirectory: URL { root.appendingPathComponent(ReleaseLayout.releasesFolder) }
    var currentLink: URL { root.appendingPathComponent(ReleaseLayout.currentLink) }
    var trashDirectory: URL { root.appendingPathComponent(ReleaseLayout.trashFolder) }
    var publishedLog: URL { root.appendingPathComponent(ReleaseLayout.publishedLog) }
    var digestCacheFile: URL { root.appendingPathComponent(ReleaseLayout.digestCache) }

    /// Whether `text` has the form of a release id: `20180918T020000Z`, or with `-2`, `-3`… after it.
    public static func isReleaseID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { (0x30...0x39).contains(bytes[$0]) } }
        guard bytes.count >= 16, digits(0..<8), bytes[8] == UInt8(ascii: "T"), digits(9..<15), bytes[15] == UInt8(ascii: "Z")
        else { return false }
        if bytes.count == 16 { return true }
        return bytes[16] == UInt8(ascii: "-") && (18...25).contains(bytes.count) && bytes[17] != UInt8(ascii: "0")
            && digits(17..<bytes.count)
    }

    /// What `current` points at, as written in the link.
    var currentTarget: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink.path)
    }

    /// The release `current` points at, when it points at `releases/<id>` with a well-formed id.
    public var currentID: String? {
        guard let id = currentTarget.flatMap(ReleaseLayout.releaseID(linkTarget:)) else { return nil }
        return Self.isReleaseID(id) ? id : nil
    }

    /// The folder `current` points at, if it points at a release.
    public var currentRelease: URL? {
        currentID.map { releasesDirectory.appendingPathComponent($0) }
    }

    /// The manifest of the current release, if it is complete.
    var currentManifest: ReleaseManifest? {
        currentRelease.flatMap(Self.completeManifest)
    }

    /// The completion marker's text, if the folder has one.
    public static func marker(of folder: URL) -> String? {
        LocalFile.contents(atPath: folder.appendingPathComponent(markerName).path)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The manifest of the release in `folder` when the release is complete (its marker matches its `release.json`).
    public static func completeManifest(_ folder: URL) -> ReleaseManifest? {
        guard let data = LocalFile.contents(atPath: folder.appendingPathComponent(ReleaseLayout.manifest).path),
            marker(of: folder) == Digest.sha256(data)
        else { return nil }
        return try? JSONDecoder().decode(ReleaseManifest.self, from: data)
    }

    /// Creates the output folders if needed, removes what a killed run left
    /// behind (staging folders, the trash, orphans) and checks that `current`
    /// points at a complete release. Returns what it removed, for the log,
    /// and the complete releases that remain (as ``releases()``).
    func prepare() throws(PipelineFailure) -> (notes: [String], releases: [ReleaseSummary]) {
        do {
            try FileManager.default.createDirectory(at: releasesDirectory, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.cannotPublish(path: releasesDirectory.path, reason: "cannot create the folder: \(error)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: currentLink.path, isDirectory: &isDirectory), currentTarget == nil {
            throw PipelineFailure.cannotPublish(
                path: currentLink.path, reason: "'current' exists but is not a symbolic link; move it away")
        }
        var notes: [String] = []
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path)) ?? []
        for name in leftovers.sorted() where name.hasSuffix(ReleaseLayout.stagingSuffix) {
            try? FileManager.default.removeItem(at: releasesDirectory.appendingPathComponent(name))
            notes.append("removed the staging folder of an interrupted run: releases/\(name)")
        }
        try? FileManager.default.removeItem(at: root.appendingPathComponent(ReleaseLayout.temporaryLink))
        if try emptyTrash() > 0 { notes.append("finished deleting the releases an interrupted pruning had moved to .trash") }
        for id in try adoptEarlierReleases() {
            notes.append("release \(id), written by an earlier version, verifies: completion marker added")
        }
        var all = releases()
        if let target = currentTarget {
            guard let current = all.first(where: \.isCurrent) else {
                throw PipelineFailure.damagedRelease(
                    target, problems: ["'current' points at '\(PipelineFailure.printable(target))', which is not a complete release"])
            }
            try recordPublished(current.id, among: all)
            let orphans = try removeOrphans(olderThan: current.sequence, among: all)
            for orphan in orphans {
                notes.append(Self.orphanRemoved(orphan))
            }
            all.removeAll { orphans.contains($0.id) }
        }
        return (notes, all)
    }

    /// Releases written before completion markers existed (no marker, no
    /// `sequence`) that verify completely get their marker; they order before
    /// every later release, by id. One that does not verify stays unlisted.
    private func adoptEarlierReleases() throws(PipelineFailure) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path)) ?? []
        var adopted: [String] = []
        for id in names.sorted() where Self.isReleaseID(id) {
            let folder = releasesDirectory.appendingPathComponent(id)
            guard Self.marker(of: folder) == nil,
                let data = LocalFile.contents(atPath: folder.appendingPathComponent(ReleaseLayout.manifest).path),
                let manifest = try? JSONDecoder().decode(ReleaseManifest.self, from: data), manifest.sequence == nil,
                ReleaseVerifier().problems(release: folder, complete: manifest).isEmpty
            else { continue }
            let marker = folder.appendingPathComponent(Self.markerName).path
            _ = try BufferedFileWriter.write(Array((Digest.sha256(data) + "\n").utf8), to: marker)
            try Durability.syncDirectory(folder.path)
            adopted.append(id)
        }
        return adopted
    }

    /// A new release id from the time: `20181918T020000Z`, with `-2`, `-3`… if taken.
    func newReleaseID(at date: Date) -> String {
        let base = FeedDate.format(date, in: TimeZone(identifier: "UTC")!, pattern: "yyyyMMdd'T'HHmmss'Z'")
        var id = base
        var counter = 2
        while FileManager.default.fileExists(atPath: releasesDirectory.appendingPathComponent(id).path) {
            id = "\(base)-\(counter)"
            counter += 1
        }
        return id
    }

    /// The sequence number of the next release: one more than any complete release's.
    static func nextSequence(after releases: [ReleaseSummary]) -> Int {
        (releases.map(\.sequence).max() ?? 0) + 1
    }

    /// Creates the staging folder for release `id`.
    func beginRelease(id: String) throws(PipelineFailure) -> URL {
        let staging = releasesDirectory.appendingPathComponent(id + ReleaseLayout.stagingSuffix)
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw PipelineFailure.cannotPublish(path: staging.path, reason: "cannot create the staging folder: \(error)")
        }
        return staging
    }

    /// Writes the completion marker, makes the staging folder durable, renames
    /// it into place and switches `current` to it, unless `current` meanwhile
    /// holds a release of the same or a later sequence. Once this returns,
    /// the release is live; the folder entries of the switch are synced by
    /// ``syncSwitch()``, housekeeping that can fail without undoing it. When
    /// this throws, `current` is unchanged and the release is removed.
    func commit(staging: URL, id: String, sequence: Int, linked: Set<String> = []) throws(PipelineFailure) {
        try Self.seal(staging, linked: linked)
        FaultInjection.checkpoint("before-rename")
        try Interruption.check()
        let final = releasesDirectory.appendingPathComponent(id)
        try Self.rename(staging.path, to: final.path)
        do throws(PipelineFailure) {
            try Durability.syncDirectory(releasesDirectory.path)
            try Interruption.check()
            try FaultInjection.failable("before-switch")
            if let current = currentManifest, let currentSequence = current.sequence, currentSequence >= sequence {
                throw PipelineFailure.cannotPublish(
                    path: currentLink.path,
                    reason: "'current' moved to release \(current.id) (sequence \(currentSequence)) during this run; "
                        + "this run's release (sequence \(sequence)) is older and is not published")
            }
            try switchLink(to: id)
        } catch {
            try? moveToTrash(id)
            _ = try? emptyTrash()
            throw error
        }
    }

    /// Makes the last switch of `current` durable.
    func syncSwitch() throws(PipelineFailure) {
        try Durability.syncDirectory(root.path)
    }

    /// Removes a staging folder after a failed run.
    func abandon(staging: URL) {
        try? FileManager.default.removeItem(at: staging)
        WrittenFiles.forget(below: staging.path)
    }

    static func rename(_ from: String, to: String) throws(PipelineFailure) {
        guard Glibc.rename(from, to) == 0 else {
            throw PipelineFailure.cannotPublish(path: to, reason: "rename failed: \(Durability.lastError)")
        }
    }

    /// Points `current` at `releases/<id>` by renaming a new link over it.
    private func switchLink(to id: String) throws(PipelineFailure) {
        let temporaryLink = root.appendingPathComponent(ReleaseLayout.temporaryLink)
        unlink(temporaryLink.path)
        guard symlink(ReleaseLayout.release(id), temporaryLink.path) == 0 else {
            throw PipelineFailure.cannotPublish(path: temporaryLink.path, reason: "cannot create the link: \(Durability.lastError)")
        }
        try Self.rename(temporaryLink.path, to: currentLink.path)
    }

    /// fsyncs every file and folder below `folder` (a file written by another
    /// library may not have been synced). The files in `linked` (relative paths)
    /// are hard links to a published release, whose data is on disk already:
    /// syncing their folders makes their new names durable.
    /// Completes a release written in `staging` before it is renamed into place (published or held):
    /// its completion marker (the SHA-256 of its `release.json`), then every file and folder fsynced
    /// (the files in `linked`, hard links to a published release, only by their folders).
    static func seal(_ staging: URL, linked: Set<String>) throws(PipelineFailure) {
        let manifest = staging.appendingPathComponent(ReleaseLayout.manifest).path
        guard let data = LocalFile.contents(atPath: manifest) else {
            throw PipelineFailure.cannotPublish(path: manifest, reason: "cannot read the manifest back")
        }
        _ = try BufferedFileWriter.write(Array((Digest.sha256(data) + "\n").utf8), to: staging.appendingPathComponent(markerName).path)
        try syncTree(staging, linked: linked)
    }

    static func syncTree(_ folder: URL, linked: Set<String> = []) throws(PipelineFailure) {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: folder.path) else { return }
        var directories = [folder.path]
        while let relative = enumerator.nextObject() as? String {
            let path = folder.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                directories.append(path)
            } else if !linked.contains(relative) {
                try Durability.sync(path: path, isDirectory: false)
            }
        }
        for directory in directories.reversed() { try Durability.syncDirectory(directory) }
    }
}

// MARK: - Listing, the published log, rollback, pruning and orphans

extension ReleaseStore {
    /// A complete release in the output folder.
    public struct ReleaseSummary: Sendable {
        public var id: String
        public var isCurrent: Bool
        public var manifest: ReleaseManifest
        public var sequence: Int { manifest.sequence ?? 0 }
    }

    /// Every complete release, in the order they were published (by sequence).
    public func releases() -> [ReleaseSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path)) ?? []
        let current = currentID
        return names.filter(Self.isReleaseID).compactMap { id in
            Self.completeManifest(releasesDirectory.appendingPathComponent(id)).map {
                ReleaseSummary(id: id, isCurrent: id == current, manifest: $0)
            }
        }.sorted { ($0.sequence, $0.id) < ($1.sequence, $1.id) }
    }

    /// Folders under `releases/` that are not complete releases (staging folders aside).
    public func incompleteFolders() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path)) ?? []
        let complete = Set(releases().map(\.id))
        return names.filter { !complete.contains($0) && !$0.hasSuffix(ReleaseLayout.stagingSuffix) }.sorted()
    }

    /// The ids of the releases that have been current, from `.published`; nil when there is no such record yet.
    func publishedIDs() -> Set<String>? {
        guard let data = LocalFile.contents(atPath: publishedLog.path) else { return nil }
        return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    /// Adds `id` to `.published` (durably) if it is not there yet. When the
    /// record is missing (never written, or deleted), every complete release
    /// is recorded with it: what cannot be known is never taken for an orphan.
    func recordPublished(_ id: String, among all: [ReleaseSummary]? = nil) throws(PipelineFailure) {
        let known = publishedIDs()
        if known?.contains(id) == true { return }
        let ids = known == nil ? (all ?? releases()).map(\.id).filter { $0 != id } + [id] : [id]
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                FilePath(publishedLog.path), .writeOnly, options: [.create, .append, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw PipelineFailure.cannotPublish(path: publishedLog.path, reason: "cannot open: \(error)")
        }
        defer { try? descriptor.close() }
        do {
            _ = try descriptor.writeAll(Array(ids.map { "\($0)\n" }.joined().utf8))
        } catch {
            throw PipelineFailure.cannotPublish(path: publishedLog.path, reason: "cannot write: \(error)")
        }
        try Durability.sync(descriptor, path: publishedLog.path)
    }

    /// The log line for an orphan removed.
    static func orphanRemoved(_ id: String) -> String {
        "removed orphan release \(id) (complete, never current, older than current)"
    }

    /// Removes the complete releases that never became current and are older than `sequence`.
    func removeOrphans(olderThan sequence: Int, among all: [ReleaseSummary]? = nil) throws(PipelineFailure) -> [String] {
        guard let published = publishedIDs() else { return [] }
        let orphans = (all ?? releases()).filter { !$0.isCurrent && !published.contains($0.id) && $0.sequence < sequence }
        for orphan in orphans { try moveToTrash(orphan.id) }
        if !orphans.isEmpty { _ = try emptyTrash() }
        return orphans.map(\.id)
    }

    /// Points `current` at release `id` (atomically, as a publication does) and records it.
    func switchCurrent(to id: String) throws(PipelineFailure) {
        try switchLink(to: id)
        try syncSwitch()
        try recordPublished(id)
    }

    /// Removes the oldest releases (by sequence) so that at most `keep` remain;
    /// never the current one. Each is renamed into `.trash/` first and then
    /// deleted. Returns the ids removed.
    func prune(keep: Int) throws(PipelineFailure) -> [String] {
        let all = releases()
        guard all.count > keep else { return [] }
        var removed: [String] = []
        var excess = all.count - max(keep, 1)
        for release in all where excess > 0 && !release.isCurrent {
            try FaultInjection.failable("prune")
            try moveToTrash(release.id)
            removed.append(release.id)
            excess -= 1
        }
        _ = try emptyTrash()
        return removed
    }

    /// Renames `releases/<id>` into `.trash/`, where it is no longer a release.
    func moveToTrash(_ id: String) throws(PipelineFailure) {
        do {
            try FileManager.default.createDirectory(at: trashDirectory, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.cannotPublish(path: trashDirectory.path, reason: "cannot create the folder: \(error)")
        }
        let target = trashDirectory.appendingPathComponent("\(id).\(UUID().uuidString)")
        do throws(PipelineFailure) {
            try Self.rename(releasesDirectory.appendingPathComponent(id).path, to: target.path)
        } catch {
            throw PipelineFailure.cannotPublish(path: id, reason: "cannot remove an old release: \(error)")
        }
        try Durability.syncDirectory(releasesDirectory.path)
        FaultInjection.checkpoint("prune-renamed")
    }

    /// Deletes everything in `.trash/`, file by file. Returns how many entries it held.
    func emptyTrash() throws(PipelineFailure) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: trashDirectory.path)) ?? []
        for entry in entries {
            let folder = trashDirectory.appendingPathComponent(entry)
            var directories = [folder.path]
            if let enumerator = FileManager.default.enumerator(atPath: folder.path) {
                while let relative = enumerator.nextObject() as? String {
                    let path = folder.appendingPathComponent(relative).path
                    if FileStatus(path: path)?.kind == .directory {
                        directories.append(path)
                    } else {
                        guard unlink(path) == 0 || errno == ENOENT else {
                            throw PipelineFailure.cannotPublish(path: path, reason: "cannot delete: \(Durability.lastError)")
                        }
                        FaultInjection.checkpoint("trash-file")
                    }
                }
            }
            for directory in directories.reversed() where rmdir(directory) != 0 && errno != ENOENT {
                throw PipelineFailure.cannotPublish(path: directory, reason: "cannot delete: \(Durability.lastError)")
            }
        }
        rmdir(trashDirectory.path)
        return entries.count
    }

    /// Lists every file below `folder` with its size and SHA-256, sorted by path:
    /// a file carried forward (and still the one carried) keeps its manifest
    /// entry, a file written this run has the digest computed as it was
    /// written (``WrittenFiles``), and only any other file is read and hashed.
    static func inventory(of folder: URL, carried: CarriedFiles = CarriedFiles()) throws(PipelineFailure) -> Inventory {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return Inventory() }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(relative)
            }
        }
        var inventory = Inventory()
        for relative in paths.sorted() where !ReleaseLayout.ownFiles.contains(relative) {
            let path = folder.appendingPathComponent(relative).path
            let status = FileStatus(path: path) ?? FileStatus(kind: .other, bytes: 0)
            if let file = carried.entry(relative, status: status) {
                inventory.files.append(file.entry)
                if let from = file.linkedFrom { inventory.linked[relative] = from } else { inventory.written.insert(relative) }
            } else if let digest = WrittenFiles.take(path, status: status) {
                inventory.files.append(.init(path: relative, bytes: status.bytes, sha256: digest))
                inventory.written.insert(relative)
            } else {
                inventory.files.append(.init(path: relative, bytes: status.bytes, sha256: try Digest.sha256(file: path)))
            }
        }
        return inventory
    }

    /// A release's files, and how their digests are known.
    struct Inventory {
        var files: [ReleaseManifest.FileEntry] = []
        /// Files hard-linked to the current release: relative path → the file linked to.
        var linked: [String: String] = [:]
        /// Files written (or copied) this run, hashed as they were written.
        var written: Set<String> = []
    }
}

// MARK: - Rollback and verification

extension ReleaseStore {
    /// The ids of the complete releases that verify, for messages.
    private func verifiedIDs() -> [String] {
        releases().filter { ReleaseVerifier().problems(release: releasesDirectory.appendingPathComponent($0.id)).isEmpty }.map(\.id)
    }

    /// Under the run lock, points `current` at `id`, or at the release before
    /// the current one (by sequence) when `id` is nil. The target must be a
    /// complete release that verifies; anything else is
    /// ``PipelineFailure/unknownRelease(_:reason:valid:)``. Returns the release now current.
    public func rollback(to id: String?, waitSeconds: Double = 0) throws(PipelineFailure) -> String {
        let lock = try RunLock(path: root.path, waitSeconds: waitSeconds)
        defer { withExtendedLifetime(lock) {} }
        let all = releases()
        let target: String
        if let id {
            guard Self.isReleaseID(id) else {
                throw PipelineFailure.unknownRelease(
                    id, reason: "is not a release id (expected the form 20180918T020000Z or 20180918T020000Z-2)", valid: verifiedIDs())
            }
            guard all.contains(where: { $0.id == id }) else {
                throw PipelineFailure.unknownRelease(id, reason: "is not a complete release in \(releasesDirectory.path)", valid: verifiedIDs())
            }
            target = id
        } else {
            guard let currentIndex = all.firstIndex(where: \.isCurrent), currentIndex > 0 else {
                throw PipelineFailure.unknownRelease(
                    "the release before the current one", reason: "does not exist", valid: verifiedIDs())
            }
            target = all[currentIndex - 1].id
        }
        let problems = ReleaseVerifier().problems(release: releasesDirectory.appendingPathComponent(target))
        guard problems.isEmpty else {
            throw PipelineFailure.unknownRelease(
                target, reason: "does not verify (\(problems.prefix(3).joined(separator: "; "))\(problems.count > 3 ? "; …" : ""))",
                valid: verifiedIDs())
        }
        try switchCurrent(to: target)
        return target
    }

    /// Checks release `id` (the current one when nil) against its manifest;
    /// hashes every file. Returns the release's id, its number of files and
    /// its problems (empty when it verifies).
    public func verify(_ id: String?) throws(PipelineFailure) -> (id: String, files: Int, problems: [String]) {
        let valid = releases().map(\.id)
        let target: String
        if let id {
            guard Self.isReleaseID(id) else {
                throw PipelineFailure.unknownRelease(
                    id, reason: "is not a release id (expected the form 20180918T020000Z or 20180918T020000Z-2)", valid: valid)
            }
            target = id
        } else {
            guard let link = currentTarget else {
                throw PipelineFailure.unknownRelease("current", reason: "does not exist (nothing was published)", valid: valid)
            }
            guard let id = currentID else {
                return (link, 0, ["'current' points at '\(PipelineFailure.printable(link))', which is not a release"])
            }
            target = id
        }
        let folder = releasesDirectory.appendingPathComponent(target)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PipelineFailure.unknownRelease(target, reason: "is not a release in \(releasesDirectory.path)", valid: valid)
        }
        let files = ReleaseManifest.read(from: folder.appendingPathComponent(ReleaseLayout.manifest))?.files.count ?? 0
        return (target, files, ReleaseVerifier().problems(release: folder))
    }
}
