import Foundation

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A file of `../shared/fixtures/` (beside the repository; read, never copied into the project).
func sharedFixture(_ relative: String) -> String {
    repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/\(relative)").path
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
