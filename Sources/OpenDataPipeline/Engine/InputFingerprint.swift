import Foundation

/// The fingerprint of what a pipeline's output depends on: this tool's
/// version, the pipeline file and every source file. When it equals the one
/// recorded in the current release, the run skips the pipeline's work.
///
/// Paths are recorded relative to the pipelines folder, so the same inputs
/// give the same fingerprint (and the same `release.json`) on every host.
/// Digests come from `cache` when a file's `stat` is unchanged, so an
/// unchanged run opens no source.
enum InputFingerprint {
    static func compute(
        _ pipeline: Pipeline, cache: DigestCache = DigestCache(file: nil)
    ) throws(PipelineFailure) -> (fingerprint: String?, files: [ReleaseManifest.InputEntry]) {
        let folder = (pipeline.file as NSString).deletingLastPathComponent
        func relative(_ shown: String) -> String {
            folder.isEmpty || !shown.hasPrefix(folder + "/") ? shown : String(shown.dropFirst(folder.count + 1))
        }
        var entries = [
            ReleaseManifest.InputEntry(path: relative(pipeline.file), sha256: try cache.sha256(file: pipeline.filePath))
        ]
        var complete = true
        var seen = Set<String>()
        for dataset in pipeline.datasets {
            if let entry = try dataset.extractor.changeFingerprint() {
                entries.append(entry)
                continue
            }
            guard let files = dataset.extractor.inputFiles else {
                complete = false
                continue
            }
            for file in files where seen.insert(file.path).inserted {
                entries.append(.init(path: relative(file.shown), sha256: try cache.sha256(file: file.path)))
            }
        }
        guard complete else { return (nil, entries) }
        let text = (["opendata-pipeline \(ToolVersion.current)"] + entries.map { "\($0.sha256)  \($0.path)" })
            .joined(separator: "\n")
        return (Digest.sha256(Array(text.utf8)), entries)
    }
}
