import Foundation
import Testing

/// The pages rendered by a real browser (headless Chromium through Selenium
/// and chromium-driver): figures present, links resolving, no console errors,
/// and screenshots kept in `.build/test-artifacts/screenshots/`.
///
/// Needs a Python with `selenium` named by OPENDATA_BROWSER_PYTHON, and
/// Debian's chromium and chromium-driver; `.ci/run` installs them and sets it.
@Suite("Browser, end to end")
struct BrowserTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_BROWSER_PYTHON"]

    @Test(.enabled(if: python != nil, "set OPENDATA_BROWSER_PYTHON to a Python with selenium (and install chromium, chromium-driver)"))
    func aBrowserRendersTheIndexAndADatasetPage() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "-q"], in: workspace.url).status == 0)
        let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_pages_in_browser.py").path
        let screenshots = repositoryRoot.appendingPathComponent(".build/test-artifacts/screenshots").path
        let result = try run(
            URL(fileURLWithPath: try #require(Self.python)), [script, workspace.file("Output/current").path, screenshots],
            in: workspace.url)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("screenshot"))
        #expect(FileManager.default.fileExists(atPath: screenshots + "/index.png"))
    }
}
