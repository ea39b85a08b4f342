import Foundation
import Testing

/// Every chart of every published page measured in headless Chromium at 1366 px and 390 px
/// (`check_charts_in_browser.py`): each text inside its SVG, no two overlapping, none under
/// 11 CSS px, no page wider than the screen. Run on the shipped example (whose index, a dataset
/// page with a chart and the developers' page are kept as screenshots) and on a crowded
/// pipeline written here: 24 provinces with long names over 15 years (a line chart) and
/// 30 bars (more than a chart draws).
///
/// Screenshots go to `.ci/artifacts/screenshots/` (or OPENDATA_SCREENSHOTS). Needs a Python with
/// `selenium` named by OPENDATA_BROWSER_PYTHON, and Debian's chromium and chromium-driver.
@Suite("Charts in a browser")
struct ChartBrowserTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_BROWSER_PYTHON"]
    static let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_charts_in_browser.py").path
    static let screenshots =
        ProcessInfo.processInfo.environment["OPENDATA_SCREENSHOTS"] ?? repositoryRoot.appendingPathComponent(".ci/artifacts/screenshots").path

    @Test(.enabled(if: python != nil, "set OPENDATA_BROWSER_PYTHON to a Python with selenium (and install chromium, chromium-driver)"))
    func theExamplesChartsFitBothWidthsAndTheScreenshotsAreKept() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "-q"], in: workspace.url).status == 0)
        let result = try run(
            URL(fileURLWithPath: try #require(Self.python)), [Self.script, workspace.file("Output/current").path, Self.screenshots],
            in: workspace.url)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        for width in [1366, 390] {
            #expect(result.stdout.contains("ok   vietnam-digital-government/hanoi-procedures-by-level.html at \(width) px, chart chart-"))
            for page in ["index", "index.en", "developers", "developers.en", "vietnam-digital-government_hanoi-procedures-by-level"] {
                #expect(FileManager.default.fileExists(atPath: "\(Self.screenshots)/\(page)-\(width).png"), "\(page)-\(width).png")
            }
        }
        print("screenshots: \(Self.screenshots)")
    }

    @Test(.enabled(if: python != nil, "set OPENDATA_BROWSER_PYTHON to a Python with selenium (and install chromium, chromium-driver)"))
    func crowdedChartsFitBothWidths() throws {
        let workspace = try Workspace()
        try Self.writeCrowdedPipeline(in: workspace)
        let published = try opendata(["run", "-q", "chart-crowded"], in: workspace.url)
        #expect(published.status == 0, "\(published.stderr)")
        let page = try workspace.read("Output/current/chart-crowded/population-by-province.html")
        #expect(page.contains("8 lớn nhất trong 24 (theo số liệu mới nhất); tất cả có trong tệp tải về"))
        #expect(page.contains("Dân số (nghìn người)"))
        #expect(page.contains("<figcaption>Số liệu minh họa: Số liệu thử nghiệm, không phải số liệu thật."))
        let bars = try workspace.read("Output/current/chart-crowded/area-by-province.en.html")
        #expect(bars.contains("The 20 largest of 30; all in the downloads"))
        let result = try run(
            URL(fileURLWithPath: try #require(Self.python)), [Self.script, workspace.file("Output/current").path, "-"], in: workspace.url)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        for width in [1366, 390] {
            for name in ["population-by-province", "population-by-province.en", "area-by-province", "area-by-province.en"] {
                #expect(result.stdout.contains("ok   chart-crowded/\(name).html at \(width) px: one of its 2 drawings shown (1)"), "\(name) \(width)")
            }
        }
    }

    static func writeCrowdedPipeline(in workspace: Workspace) throws {
        let provinces = (1...30).map { index in
            (
                code: String(format: "%02d", index), vi: "Tỉnh thử nghiệm có tên rất dài số \(index) (sau sắp xếp)",
                en: "Test province \(index) with a long name"
            )
        }
        var population = "ma,ten,name,nam,dan_so\n"
        for province in provinces.prefix(24) {
            for year in 2010...2024 {
                let value = Double(Int(province.code)! * 100 + (year - 2010) * 7) + 0.5
                population += "\(province.code),\(province.vi),\(province.en),\(year),\(value)\n"
            }
        }
        var area = "ma,ten,name,dien_tich\n"
        for province in provinces { area += "\(province.code),\(province.vi),\(province.en),\(Int(province.code)! * 131)\n" }
        let folder = workspace.file("Pipelines/chart-crowded")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try population.write(to: folder.appendingPathComponent("population.csv"), atomically: true, encoding: .utf8)
        try area.write(to: folder.appendingPathComponent("area.csv"), atomically: true, encoding: .utf8)
        let pipeline = """
            id: chart-crowded
            title: {vi: Biểu đồ đông đúc, en: Crowded charts}
            description: {vi: Nhiều chuỗi số liệu với tên dài., en: Many series with long names.}
            publisher: {name: Test, url: https://example.org}
            license: {name: CC-BY-4.0, title: Creative Commons Attribution 4.0, path: https://creativecommons.org/licenses/by/4.0/}
            baseURL: https://example.org
            timeZone: Asia/Ho_Chi_Minh
            sources:
              - title: Số liệu thử nghiệm của bộ kiểm thử (the test suite's figures)
            datasets:
              - id: population-by-province
                title: {vi: Dân số theo tỉnh và năm (thử nghiệm), en: Population by province and year (test)}
                description: {vi: 24 tỉnh trong 15 năm., en: 24 provinces over 15 years.}
                illustrative: {vi: "Số liệu thử nghiệm, không phải số liệu thật.", en: "Test figures, not real ones."}
                source: {type: csv, path: chart-crowded/population.csv}
                fields:
                  - {name: code, from: ma, type: string, required: true, title: {vi: Mã tỉnh, en: Province code}}
                  - {name: province_vi, from: ten, type: string, required: true, title: {vi: Tỉnh, en: Province (Vietnamese)}}
                  - {name: province_en, from: name, type: string, required: true, title: {vi: Tỉnh (tiếng Anh), en: Province}}
                  - {name: year, from: nam, type: year, required: true, title: {vi: Năm, en: Year}}
                  - {name: population, from: dan_so, type: number, required: true, unit: thousand persons,
                     title: {vi: Dân số, en: Population}}
                primaryKey: [code, year]
                publish: [csv, json]
              - id: area-by-province
                title: {vi: Diện tích theo tỉnh (thử nghiệm), en: Area by province (test)}
                description: {vi: 30 tỉnh., en: 30 provinces.}
                source: {type: csv, path: chart-crowded/area.csv}
                fields:
                  - {name: code, from: ma, type: string, required: true, title: {vi: Mã tỉnh, en: Province code}}
                  - {name: province_vi, from: ten, type: string, required: true, title: {vi: Tỉnh, en: Province (Vietnamese)}}
                  - {name: province_en, from: name, type: string, required: true, title: {vi: Tỉnh (tiếng Anh), en: Province}}
                  - {name: area, from: dien_tich, type: integer, required: true, unit: km2, title: {vi: Diện tích, en: Area}}
                publish: [csv, json]

            """
        try pipeline.write(to: workspace.file("Pipelines/chart-crowded.yml"), atomically: true, encoding: .utf8)
    }
}
