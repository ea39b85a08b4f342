import Foundation

/// Checks a release folder against its `release.json`: every file listed with
/// its size and SHA-256 and no file outside the list, `SHA256SUMS` as the list
/// says, the completion marker, and every file each `datapackage.json` names.
/// Each problem names the path below the release and what is wrong with it.
struct ReleaseVerifier {
    /// Where digests come from: a cache without a file hashes every file.
    var cache = DigestCache(file: nil)

    /// The problems of the release in `folder`; empty when it verifies.
    /// `complete` is its manifest when the caller has read it and checked the
    /// completion marker (``ReleaseStore/completeManifest(_:)``).
    func problems(release folder: URL, complete: ReleaseManifest? = nil) -> [String] {
        let name = folder.lastPathComponent
        var problems: [String] = []
        let manifest: ReleaseManifest
        if let complete {
            manifest = complete
        } else {
            guard let data = LocalFile.contents(atPath: folder.appendingPathComponent(ReleaseLayout.manifest).path) else {
                return ["release.json: missing or unreadable"]
            }
            guard let decoded = try? JSONDecoder().decode(ReleaseManifest.self, from: data) else {
                return ["release.json: not a release manifest"]
            }
            manifest = decoded
            switch ReleaseStore.marker(of: folder) {
            case nil: problems.append("\(ReleaseStore.markerName): missing (the release was never completed)")
            case Digest.sha256(data): break
            default: problems.append("\(ReleaseStore.markerName): does not match release.json")
            }
        }
        if manifest.id != name { problems.append("release.json: names release '\(manifest.id)', expected '\(name)'") }
        problems += files(in: folder, expected: manifest.files, below: nil)
        let sums = LocalFile.contents(atPath: folder.appendingPathComponent(ReleaseLayout.sums).path)
        if sums == nil {
            problems.append("SHA256SUMS: missing")
        } else if sums != Data(manifest.sums.utf8) {
            problems.append("SHA256SUMS: differs from the list in release.json")
        }
        let listed = Set(manifest.files.map(\.path))
        for pipeline in manifest.pipelines.keys.sorted() {
            let package = ReleaseLayout.inPipeline(pipeline, ReleaseLayout.dataPackage)
            guard listed.contains(package) else {
                problems.append("\(package): missing from release.json")
                continue
            }
            // A listed file that is missing is reported above.
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(package).path) else { continue }
            let resources: [DataPackage.Resource]
            do {
                resources = try DataPackage.read(pipelineFolder: folder.appendingPathComponent(pipeline))?.resources ?? []
            } catch {
                if case let .damagedRelease(_, found) = error { problems += found }
                continue
            }
            for resource in resources {
                let path = resource.path
                if !listed.contains(ReleaseLayout.inPipeline(pipeline, path)) {
                    problems.append("\(package): names the file '\(PipelineFailure.printable(path))', which is not in the release")
                }
            }
        }
        return problems
    }

    /// The files below `prefix` (the whole folder when nil) against the entries of a manifest.
    func files(in folder: URL, expected: [ReleaseManifest.FileEntry], below prefix: String?) -> [String] {
        var problems: [String] = []
        var found: [String: FileStatus] = [:]
        let start = prefix.map { folder.appendingPathComponent($0) } ?? folder
        if let enumerator = FileManager.default.enumerator(atPath: start.path) {
            while let relative = enumerator.nextObject() as? String {
                let path = prefix.map { "\($0)/\(relative)" } ?? relative
                found[path] = FileStatus(path: folder.appendingPathComponent(path).path) ?? FileStatus(kind: .other, bytes: 0)
            }
        }
        var wanted: Set<String> = []
        for entry in expected where prefix == nil || entry.path.hasPrefix(prefix! + "/") {
            wanted.insert(entry.path)
            let path = folder.appendingPathComponent(entry.path).path
            guard let status = found[entry.path] else {
                problems.append("\(entry.path): missing")
                continue
            }
            guard status.kind == .file else {
                problems.append("\(entry.path): not a regular file")
                continue
            }
            if status.bytes != entry.bytes {
                problems.append("\(entry.path): \(status.bytes) bytes, expected \(entry.bytes) (release.json)")
                continue
            }
            do {
                let digest = try cache.sha256(file: path)
                if digest != entry.sha256 {
                    problems.append("\(entry.path): its SHA-256 \(digest.prefix(12))… differs from release.json's \(entry.sha256.prefix(12))…")
                }
            } catch {
                problems.append("\(entry.path): cannot be read (\(error))")
            }
        }
        let own: Set<String> = prefix == nil ? ReleaseLayout.ownFiles : []
        for (path, status) in found.sorted(by: { $0.key < $1.key }) where status.kind != .directory && !wanted.contains(path) {
            if !own.contains(path) { problems.append("\(path): not in release.json") }
        }
        return problems
    }
}

extension ReleaseManifest {
    /// The text of `SHA256SUMS`: a line per file, for `sha256sum -c`.
    var sums: String {
        files.map { "\($0.sha256)  \($0.path)\n" }.joined()
    }
}
