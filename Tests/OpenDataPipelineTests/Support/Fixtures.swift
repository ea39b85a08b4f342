import Foundation
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The project's shared folder: `$OPENDATA_SHARED_DIR` when set, else `shared/` beside the repository.
let sharedDirectory: URL = {
    if let configured = ProcessInfo.processInfo.environment["OPENDATA_SHARED_DIR"], !configured.isEmpty {
        return URL(fileURLWithPath: configured)
    }
    return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
}()

/// Whether `shared/fixtures/` is there (a clone from the project's public home has none).
let sharedFixturesFound = FileManager.default.fileExists(atPath: sharedDirectory.appendingPathComponent("fixtures").path)

extension Trait where Self == ConditionTrait {
    /// Skips a test that reads ``sharedFixture(_:)`` when the shared fixtures are absent, saying so.
    static var needsSharedFixtures: Self {
        .enabled(
            if: sharedFixturesFound,
            "needs the shared fixtures: \(sharedDirectory.path)/fixtures is absent (set OPENDATA_SHARED_DIR or put shared/ beside the repository)")
    }
}

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

/// A pipeline of one dataset `d` (area, population) read from `Pipelines/p/t.csv`, published in `publish` (e.g. `csv, json`).
func populationPipeline(publish: String) -> String {
    testPipelineHeader + """

          - id: d
            title: {vi: Dân số, en: Population}
            description: {vi: Dân số, en: Population}
            publish: [\(publish)]
            source: {type: csv, path: p/t.csv}
            fields:
              - {name: area, type: string}
              - {name: population, type: integer}
            primaryKey: [area]
            feed: {vi: "{area}: {population}", en: "{area}: {population}"}

        """
}
