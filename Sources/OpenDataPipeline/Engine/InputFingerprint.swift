/// The fingerprint of what a pipeline's output depends on: this tool's
/// version, the pipeline file and every source file. When it equals the one
/// recorded in the current release, the run skips the pipeline's work.
enum InputFingerprint {
    static func compute(_ pipeline: Pipeline) throws(PipelineFailure) -> (fingerprint: String?, files: [ReleaseManifest.InputEntry]) {
        var entries = [ReleaseManifest.InputEntry(path: pipeline.file, sha256: try Digest.sha256(file: pipeline.filePath))]
        var complete = true
        var seen = Set<String>()
        for dataset in pipeline.datasets {
            guard let files = dataset.extractor.inputFiles else {
                complete = false
                continue
            }
            for file in files where seen.insert(file.path).inserted {
                entries.append(.init(path: file.shown, sha256: try Digest.sha256(file: file.path)))
            }
        }
        guard complete else { return (nil, entries) }
        let text = (["opendata-pipeline \(ToolVersion.current)"] + entries.map { "\($0.sha256)  \($0.path)" })
            .joined(separator: "\n")
        return (Digest.sha256(Array(text.utf8)), entries)
    }
}
