public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output folder: complete releases under `releases/<id>/`, and `current`,
/// a symbolic link to the newest one.
///
/// A release is written into `releases/<id>.partial/`, every file and folder
/// fsynced, renamed to `releases/<id>/`, and then `current` is switched with
/// one `rename(2)` of a new link over the old one. A reader of `current` sees
/// the old release or the new one, never a mixture, and a crash at any moment
/// leaves the old `current` intact. Leftover `.partial` folders of a killed
/// run are removed by the next run.
public struct ReleaseStore: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    var releasesDirectory: URL { root.appendingPathComponent("releases") }
    var currentLink: URL { root.appendingPathComponent("current") }

    /// The folder `current` points at, if there is a current release.
    public var currentRelease: URL? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink.path) else { return nil }
        return URL(fileURLWithPath: target, relativeTo: root).standardizedFileURL
    }

    /// Creates the output folders if needed and removes what a killed run left behind.
    func prepare() throws(PipelineFailure) {
        do {
            try FileManager.default.createDirectory(at: releasesDirectory, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.cannotPublish(path: releasesDirectory.path, reason: "cannot create the folder: \(error)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: currentLink.path, isDirectory: &isDirectory),
            (try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink.path)) == nil
        {
            throw PipelineFailure.cannotPublish(
                path: currentLink.path, reason: "'current' exists but is not a symbolic link; move it away")
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path)) ?? []
        for name in leftovers where name.hasSuffix(".partial") {
            try? FileManager.default.removeItem(at: releasesDirectory.appendingPathComponent(name))
        }
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".current.tmp"))
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

    /// Creates the staging folder for release `id`.
    func beginRelease(id: String) throws(PipelineFailure) -> URL {
        let staging = releasesDirectory.appendingPathComponent("\(id).partial")
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw PipelineFailure.cannotPublish(path: staging.path, reason: "cannot create the staging folder: \(error)")
        }
        return staging
    }

    /// Copies a pipeline's folder from the current release into the staging
    /// folder unchanged (for pipelines this run does not publish).
    func carryForward(pipelineFolder name: String, into staging: URL) throws(PipelineFailure) {
        guard let current = currentRelease else { return }
        let source = current.appendingPathComponent(name)
        do {
            try FileManager.default.copyItem(at: source, to: staging.appendingPathComponent(name))
        } catch {
            throw PipelineFailure.cannotPublish(path: staging.appendingPathComponent(name).path, reason: "\(error)")
        }
    }

    /// Makes the staging folder durable, renames it into place and switches `current` to it.
    func commit(staging: URL, id: String) throws(PipelineFailure) {
        try Self.syncTree(staging)
        FaultInjection.checkpoint("before-rename")
        let final = releasesDirectory.appendingPathComponent(id)
        try Self.rename(staging.path, to: final.path)
        try Durability.syncDirectory(releasesDirectory.path)
        FaultInjection.checkpoint("before-switch")
        let temporaryLink = root.appendingPathComponent(".current.tmp")
        unlink(temporaryLink.path)
        guard symlink("releases/\(id)", temporaryLink.path) == 0 else {
            throw PipelineFailure.cannotPublish(
                path: temporaryLink.path, reason: "cannot create the link: \(Durability.lastError)")
        }
        try Self.rename(temporaryLink.path, to: currentLink.path)
        try Durability.syncDirectory(root.path)
        FaultInjection.checkpoint("after-switch")
    }

    /// Removes a staging folder after a failed run.
    func abandon(staging: URL) {
        try? FileManager.default.removeItem(at: staging)
    }

    private static func rename(_ from: String, to: String) throws(PipelineFailure) {
        guard Glibc.rename(from, to) == 0 else {
            throw PipelineFailure.cannotPublish(path: to, reason: "rename failed: \(Durability.lastError)")
        }
    }

    /// fsyncs every file and folder below `folder` (files copied forward were not synced when written).
    private static func syncTree(_ folder: URL) throws(PipelineFailure) {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: folder.path) else { return }
        var directories = [folder.path]
        while let relative = enumerator.nextObject() as? String {
            let path = folder.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                directories.append(path)
            } else {
                let descriptor = open(path, O_RDONLY)
                guard descriptor >= 0 else {
                    throw PipelineFailure.cannotPublish(path: path, reason: "cannot open: \(Durability.lastError)")
                }
                defer { close(descriptor) }
                try Durability.sync(descriptor: descriptor, path: path)
            }
        }
        for directory in directories.reversed() { try Durability.syncDirectory(directory) }
    }
}

// MARK: - Listing, rollback and pruning

extension ReleaseStore {
    /// A complete release in the output folder.
    public struct ReleaseSummary: Sendable {
        public var id: String
        public var isCurrent: Bool
        public var manifest: ReleaseManifest?
    }

    /// Every complete release, oldest first (ids sort by time).
    public func releases() -> [ReleaseSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path)) ?? []
        let current = currentRelease?.lastPathComponent
        return names.filter { !$0.hasSuffix(".partial") && !$0.hasPrefix(".") }.sorted().map { id in
            ReleaseSummary(
                id: id, isCurrent: id == current,
                manifest: ReleaseManifest.read(from: releasesDirectory.appendingPathComponent("\(id)/release.json")))
        }
    }

    /// The manifest of the current release, if it has one.
    var currentManifest: ReleaseManifest? {
        currentRelease.flatMap { ReleaseManifest.read(from: $0.appendingPathComponent("release.json")) }
    }

    /// Points `current` at release `id` (atomically, as a publication does).
    func switchCurrent(to id: String) throws(PipelineFailure) {
        let target = releasesDirectory.appendingPathComponent(id)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue,
            !id.hasSuffix(".partial"), !id.contains("/")
        else {
            throw PipelineFailure.cannotPublish(path: target.path, reason: "there is no complete release '\(id)'")
        }
        let temporaryLink = root.appendingPathComponent(".current.tmp")
        unlink(temporaryLink.path)
        guard symlink("releases/\(id)", temporaryLink.path) == 0 else {
            throw PipelineFailure.cannotPublish(path: temporaryLink.path, reason: "cannot create the link: \(Durability.lastError)")
        }
        guard Glibc.rename(temporaryLink.path, currentLink.path) == 0 else {
            throw PipelineFailure.cannotPublish(path: currentLink.path, reason: "rename failed: \(Durability.lastError)")
        }
        try Durability.syncDirectory(root.path)
    }

    /// Removes the oldest releases so that at most `keep` remain; never the current one.
    /// Returns the ids removed.
    func prune(keep: Int) throws(PipelineFailure) -> [String] {
        let all = releases()
        guard all.count > keep else { return [] }
        var removed: [String] = []
        var excess = all.count - max(keep, 1)
        for release in all where excess > 0 && !release.isCurrent {
            do {
                try FileManager.default.removeItem(at: releasesDirectory.appendingPathComponent(release.id))
            } catch {
                throw PipelineFailure.cannotPublish(path: release.id, reason: "cannot remove an old release: \(error)")
            }
            removed.append(release.id)
            excess -= 1
        }
        return removed
    }

    /// Lists every file below `folder` with its size and SHA-256, sorted by path.
    static func inventory(of folder: URL) throws(PipelineFailure) -> [ReleaseManifest.FileEntry] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(relative)
            }
        }
        var entries: [ReleaseManifest.FileEntry] = []
        for relative in paths.sorted() where relative != "release.json" && relative != "SHA256SUMS" {
            let path = folder.appendingPathComponent(relative).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            entries.append(.init(path: relative, bytes: size, sha256: try Digest.sha256(file: path)))
        }
        return entries
    }
}

extension ReleaseStore {
    /// Under the run lock, points `current` at `id`, or at the release before
    /// the current one when `id` is nil. Returns the release now current.
    public func rollback(to id: String?, waitSeconds: Double = 0) throws(PipelineFailure) -> String {
        let lock = try RunLock(path: root.appendingPathComponent(".lock").path, waitSeconds: waitSeconds)
        defer { withExtendedLifetime(lock) {} }
        let all = releases()
        let target: String
        if let id {
            target = id
        } else {
            guard let currentIndex = all.firstIndex(where: \.isCurrent), currentIndex > 0 else {
                throw PipelineFailure.cannotPublish(path: releasesDirectory.path, reason: "there is no release before the current one")
            }
            target = all[currentIndex - 1].id
        }
        try switchCurrent(to: target)
        return target
    }
}
