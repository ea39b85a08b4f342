public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Embargoed releases of an output folder, held until their time in
/// `.held/<token>/<id>/` beside `hold.json`.
///
/// Nothing published reaches them: `.held` and each token folder are mode
/// 0700 (a web server running as another user can neither list nor read
/// them), the token is 128 random bits (not guessable from the release time,
/// unlike a release id), `opendata serve` serves only `current` and refuses
/// any path component starting with `.`, and `Scripts/publish-rsync` copies
/// only `releases/<id>/`. They are inside the output folder so that
/// publishing one is a `rename(2)` into `releases/` on the same file system:
/// nothing is copied at the minute it is due.
///
/// A held release is written like any release (staging folder, completion
/// marker, every file fsynced, one rename), and `hold.json` last: a token
/// folder without it is what a killed run left, removed by the next run.
public struct HeldReleaseStore: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    var folder: URL { root.appendingPathComponent(ReleaseLayout.heldFolder) }

    func tokenFolder(_ token: String) -> URL { folder.appendingPathComponent(token) }

    /// The folder of a held release's files (what `serve --embargoed` serves).
    public func releaseFolder(_ held: HeldRelease) -> URL { tokenFolder(held.token).appendingPathComponent(held.id) }

    /// Every held release, by release time (then id).
    public func held() -> [HeldRelease] {
        let tokens = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return tokens.compactMap { token in
            LocalFile.contents(atPath: tokenFolder(token).appendingPathComponent(ReleaseLayout.holdRecord).path)
                .flatMap { try? JSONDecoder().decode(HeldRelease.self, from: $0) }
                .flatMap { $0.token == token ? $0 : nil }
        }.sorted { ($0.releaseDate ?? .distantFuture, $0.id) < ($1.releaseDate ?? .distantFuture, $1.id) }
    }

    /// The held release with this id or token.
    public func find(_ name: String) throws(PipelineFailure) -> HeldRelease {
        let all = held()
        guard let found = all.first(where: { $0.id == name || $0.token == name }) else {
            throw PipelineFailure.unknownHeldRelease(name, valid: all.map(\.id))
        }
        return found
    }

    /// What is wrong with a held release's files (empty when it verifies against its manifest).
    public func problems(_ held: HeldRelease) -> [String] {
        ReleaseVerifier().problems(release: releaseFolder(held))
    }

    /// The held releases that publish one of `pipelines`.
    func holding(_ pipelines: [String]) -> [HeldRelease] {
        held().filter { !Set($0.pipelines).isDisjoint(with: pipelines) }
    }

    /// Removes the token folders a killed run left (no `hold.json`). Under the run lock.
    func removeIncomplete() -> [String] {
        let tokens = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let complete = Set(held().map(\.token))
        var removed: [String] = []
        for token in tokens.sorted() where !complete.contains(token) {
            try? FileManager.default.removeItem(at: tokenFolder(token))
            removed.append("removed an incomplete held release of an interrupted run: \(ReleaseLayout.heldFolder)/\(token)")
        }
        return removed
    }

    /// Creates `.held/<token>/<id>.partial/` (the folders 0700) for a new held release.
    func begin(id: String) throws(PipelineFailure) -> (token: String, staging: URL) {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try Self.privateFolder(folder)
        try Self.privateFolder(tokenFolder(token))
        let staging = tokenFolder(token).appendingPathComponent(id + ReleaseLayout.stagingSuffix)
        try Self.privateFolder(staging)
        return (token, staging)
    }

    private static func privateFolder(_ url: URL) throws(PipelineFailure) {
        if mkdir(url.path, 0o700) != 0, errno != EEXIST {
            throw PipelineFailure.cannotPublish(path: url.path, reason: "cannot create the folder: \(Durability.lastError)")
        }
        guard chmod(url.path, 0o700) == 0 else {
            throw PipelineFailure.cannotPublish(path: url.path, reason: "cannot make the folder private: \(Durability.lastError)")
        }
    }

    /// Completes a held release written in `staging`: its marker, every file fsynced,
    /// renamed to `<id>/`, then `hold.json`.
    func hold(staging: URL, record: HeldRelease, linked: Set<String> = []) throws(PipelineFailure) {
        try ReleaseStore.seal(staging, linked: linked)
        let token = tokenFolder(record.token)
        try ReleaseStore.rename(staging.path, to: token.appendingPathComponent(record.id).path)
        FaultInjection.checkpoint("held-renamed")
        _ = try BufferedFileWriter.write(
            try StableJSON.encode(record, file: ReleaseLayout.holdRecord), to: token.appendingPathComponent(ReleaseLayout.holdRecord).path)
        try Durability.sync(path: token.appendingPathComponent(ReleaseLayout.holdRecord).path, isDirectory: false)
        try Durability.syncDirectory(token.path)
        try Durability.syncDirectory(folder.path)
    }

    /// Deletes a held release (its token folder).
    func remove(_ held: HeldRelease) throws(PipelineFailure) { try remove(token: held.token) }

    /// Deletes the folder of `token` (a held release, or one being prepared), and `.held/` when it is empty.
    func remove(token: String) throws(PipelineFailure) {
        do {
            try FileManager.default.removeItem(at: tokenFolder(token))
        } catch {
            throw PipelineFailure.cannotPublish(path: tokenFolder(token).path, reason: "cannot delete the held release: \(error)")
        }
        try? Durability.syncDirectory(folder.path)
        rmdir(folder.path)
    }

    /// Under the run lock, deletes the held release with this id or token.
    public func cancel(_ name: String, waitSeconds: Double = 0) throws(PipelineFailure) -> HeldRelease {
        let lock = try RunLock(path: root.path, waitSeconds: waitSeconds)
        defer { withExtendedLifetime(lock) {} }
        let held = try find(name)
        try remove(held)
        return held
    }

    /// What `release-due` did.
    public struct DueOutcome: Sendable {
        /// The held releases published, in order.
        public var published: [String] = []
        /// What failed after a release was published (it stays published).
        public var warnings: [String] = []
    }

    /// Publishes every held release due at `now`, in order of release time:
    /// checks it against its manifest, checks that the release it was prepared
    /// on is still current, renames it into `releases/` and switches `current`
    /// to it, under the run lock. Without a release due it returns at once,
    /// without taking the lock. A held release that fails a check is refused
    /// and stays held.
    public func releaseDue(now: Date, waitSeconds: Double = 0) throws(PipelineFailure) -> DueOutcome {
        var outcome = DueOutcome()
        guard held().contains(where: { $0.isDue(at: now) }) else { return outcome }
        let lock = try RunLock(path: root.path, waitSeconds: waitSeconds)
        defer { withExtendedLifetime(lock) {} }
        let store = ReleaseStore(root: root)
        _ = try store.prepare()
        for held in held() where held.isDue(at: now) {
            let source = releaseFolder(held)
            let target = store.releasesDirectory.appendingPathComponent(held.id)
            if !FileManager.default.fileExists(atPath: source.path), store.currentID == held.id {
                // Published by a release-due killed before it removed the record.
                try remove(held)
                continue
            }
            let problems = ReleaseVerifier().problems(release: source)
            guard problems.isEmpty else { throw PipelineFailure.damagedHeldRelease(held.id, problems: problems) }
            let current = store.currentID
            guard current == held.baseRelease, !FileManager.default.fileExists(atPath: target.path) else {
                throw PipelineFailure.staleHeldRelease(held.id, base: held.baseRelease ?? "none", current: current ?? "none")
            }
            try FaultInjection.failable("held-before-rename")
            try ReleaseStore.rename(source.path, to: target.path)
            do throws(PipelineFailure) {
                try Durability.syncDirectory(store.releasesDirectory.path)
                try FaultInjection.failable("held-before-switch")
                try store.switchCurrent(to: held.id)
            } catch {
                // Not switched: back where it was held. Switched (a later step failed): published.
                guard store.currentID == held.id else {
                    try? ReleaseStore.rename(target.path, to: source.path)
                    throw error
                }
                outcome.warnings.append("recording the switch of 'current': \(error)")
            }
            outcome.published.append(held.id)
            FaultInjection.checkpoint("held-after-switch")
            do throws(PipelineFailure) {
                try remove(held)
                if let keep = held.keep { _ = try store.prune(keep: keep) }
            } catch {
                outcome.warnings.append("housekeeping: \(error)")
            }
        }
        return outcome
    }
}
