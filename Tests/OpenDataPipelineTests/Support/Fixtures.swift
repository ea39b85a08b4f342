import Foundation

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The project's shared folder: `$OPENDATA_SHARED_DIR`, or `shared/` beside the repository
/// (where CI puts it), or the workplace's `/work/shared`.
let sharedDirectory: URL = {
    var candidates: [URL] = []
    if let configured = ProcessInfo.processInfo.environment["OPENDATA_SHARED_DIR"] {
        candidates.append(URL(fileURLWithPath: configured))
    }
    candidates.append(repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared"))
    candidates.append(URL(fileURLWithPath: "/work/shared"))
    return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("fixtures").path) }
        ?? candidates[candidates.count - 2]
}()

/// A file of `shared/fixtures/` (read, never copied into the project).
func sharedFixture(_ relative: String) -> String {
    sharedDirectory.appendingPathComponent("fixtures/\(relative)").path
}

/// The failure `body` throws, or nil when it succeeds.
func failure<T>(of body: () throws -> T) -> Error? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// The pipeline-level keys every test pipeline needs, ending with `datasets:`
/// (8 lines: tests that check line numbers count on it).
let testPipelineHeader = """
    id: test-pipeline
    title: {vi: Thử nghiệm, en: Test}
    description: {vi: Mô tả, en: Description}
    publisher: {name: Sở TT&TT}
    license: {name: CC-BY-4.0}
    baseURL: https://data.example.vn
    timeZone: Asia/Ho_Chi_Minh
    datasets:
    """
