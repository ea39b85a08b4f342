import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resolves the files a pipeline reads to their real paths (symbolic links
/// followed) and refuses any outside the pipeline file's folder and the
/// extra roots the operator allowed (``PipelineLoader/allowedRoots``).
struct SourcePath {
    /// The pipeline file's folder, as a real path.
    let folder: String
    /// The pipeline file's folder and the allowed extra roots, as real paths.
    let roots: [String]

    init(directory: URL, allowedRoots: [String]) {
        folder = Self.realPath(directory.path)
        roots = [folder] + allowedRoots.map { Self.realPath(URL(fileURLWithPath: $0).standardizedFileURL.path) }
    }

    /// The real path of `relative` (taken from `node`), or a failure naming it
    /// when it lies outside every root. The file's contents are never read here.
    func resolve(_ relative: String, node: DefinitionNode) throws(PipelineFailure) -> String {
        let lexical = URL(fileURLWithPath: folder).appendingPathComponent(relative).standardizedFileURL.path
        let resolved = Self.realPath(lexical)
        guard roots.contains(where: { Self.path(resolved, isInside: $0) }) else {
            let extra = roots.count > 1 ? " or the allowed roots \(roots.dropFirst().joined(separator: ", "))" : ""
            throw node.fail(
                "the path '\(PipelineFailure.printable(relative))' resolves to '\(PipelineFailure.printable(resolved))', "
                    + "outside the pipeline's folder \(folder)\(extra): expected a file inside it "
                    + "(other folders are read only when named with --allow-root)", code: .sourceOutsideFolder)
        }
        return resolved
    }

    static func path(_ path: String, isInside root: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root + "/")
    }

    /// `path` with every symbolic link resolved; a part that does not exist
    /// (yet) is appended as written, after its longest existing parent.
    static func realPath(_ path: String) -> String {
        var existing = path
        var missing: [String] = []
        while true {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                let base = String(cString: resolved)
                guard !missing.isEmpty else { return base }
                return URL(fileURLWithPath: base).appendingPathComponent(missing.reversed().joined(separator: "/"))
                    .standardizedFileURL.path
            }
            let parent = (existing as NSString).deletingLastPathComponent
            guard parent != existing, !parent.isEmpty else { return path }
            missing.append((existing as NSString).lastPathComponent)
            existing = parent
        }
    }
}
