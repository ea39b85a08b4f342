import Foundation
import Testing

/// Headlines, default feed sentences, illustrative and provisional marks and field titles set
/// after the steps, read back from the published feeds (feedparser, JSON), pages (html5lib) and
/// metadata (JSON), in both languages.
@Suite("Headlines and figure marks")
struct HeadlineTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"]
    static let reader = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/read_figures.py").path
    static let header = """
        id: census
        title: {vi: Điều tra dân số, en: Census}
        description: {vi: Dân số theo tỉnh, en: Population by province}
        publisher: {name: Cục Thống kê}
        license: {name: CC-BY-4.0}
        baseURL: https://data.example.vn
        timeZone: Asia/Ho_Chi_Minh
        datasets:

        """

    /// A workspace whose `Pipelines/` holds only `files` (relative path → text).
    static func workspace(_ files: [String: String]) throws -> Workspace {
        let workspace = try Workspace()
        try FileManager.default.removeItem(at: workspace.file("Pipelines"))
        for (path, text) in files {
            let url = workspace.file("Pipelines/\(path)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return workspace
    }

    /// What feedparser (RSS, Atom) and json (JSON Feed) read from each feed file: its entries' summaries by title.
    static func feeds(_ workspace: Workspace, _ relative: [String]) throws -> [String: [[String: String]]] {
        let paths = relative.map { workspace.file("Output/current/\($0)").path }
        let result = try run(URL(fileURLWithPath: try #require(python)), [reader, "feeds"] + paths, in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [[String: String]]])
        return Dictionary(uniqueKeysWithValues: zip(relative, paths.map { object[$0] ?? [] }))
    }

    /// Each page's text as html5lib reads it.
    static func pages(_ workspace: Workspace, _ relative: [String]) throws -> [String: String] {
        let paths = relative.map { workspace.file("Output/current/\($0)").path }
        let result = try run(URL(fileURLWithPath: try #require(python)), [reader, "pages"] + paths, in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String])
        return Dictionary(uniqueKeysWithValues: zip(relative, paths.map { object[$0] ?? "" }))
    }

    static func json(_ workspace: Workspace, _ relative: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.file("Output/current/\(relative)"))) as? [String: Any])
    }

    /// The main table's resource of `dataset` in a pipeline's `datapackage.json`.
    static func resource(_ workspace: Workspace, pipeline: String, dataset: String) throws -> [String: Any] {
        let package = try json(workspace, "\(pipeline)/datapackage.json")
        return try #require((package["resources"] as? [[String: Any]])?.first { $0["name"] as? String == dataset })
    }

    /// The six feed files of a scope: RSS, Atom and JSON Feed in Vietnamese and English, with their languages.
    static func feedFiles(_ stem: String) -> [(String, String)] {
        ["rss", "atom", "json"].flatMap { suffix in [("\(stem).\(suffix)", "vi"), ("\(stem).en.\(suffix)", "en")] }
    }

    // MARK: - A headline in ten seconds

    /// 60 provinces in 2019 and 2023; the larger the number, the more people.
    static let provincesCSV =
        "code,province,year,population\n"
        + [2019, 2023].flatMap { year in
            (1...60).map { index in "P\(index),Tỉnh \(index),\(year),\(index * 1000 + (year == 2023 ? 500 : 0))" }
        }.joined(separator: "\n") + "\n"

    /// The provinces dataset, its population field declared by `population`, then `tail` (lines of the dataset's mapping).
    static func provincesDataset(population: String, tail: [String]) -> String {
        ([
            "  - id: provinces",
            "    title: {vi: Dân số theo tỉnh, en: Population by province}",
            "    description: {vi: Dân số, en: Population}",
            "    source: {type: csv, path: census/provinces.csv}",
            "    fields:",
            "      - {name: code, type: string, required: true}",
            "      - {name: province, type: string, required: true}",
            "      - {name: year, type: year, required: true}",
            "      - \(population)",
        ] + tail.map { "    " + $0 }).joined(separator: "\n") + "\n"
    }

    static let provincesPipeline =
        header
        + provincesDataset(
            population: "{name: population, type: integer, required: true, title: {vi: Dân số, en: Population}}",
            tail: ["primaryKey: [code, year]", "publish: [csv, json, rss]"])

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with feedparser and html5lib (.ci/run installs one)"))
    func aManyRowDatasetsHeadlineStatesTheLatestYearsLargestRowsAndWhatIsLeftOut() throws {
        let workspace = try Self.workspace(["census.yml": Self.provincesPipeline, "census/provinces.csv": Self.provincesCSV])
        let result = try opendata(["run", "--quiet"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        // The latest year's five largest provinces, largest first; the 115 other rows are counted.
        let largest = (56...60).reversed()
        let expected = [
            "vi": "Công bố 120 dòng. 2023: "
                + largest.map { "Tỉnh \($0): Dân số \($0).500" }.joined(separator: "; ") + " … và 115 dòng khác; tất cả có trong bảng.",
            "en": "Published 120 rows. 2023: "
                + largest.map { "Tỉnh \($0): Population \($0),500" }.joined(separator: "; ") + " … and 115 more rows; all in the table.",
        ]
        let files = Self.feedFiles("census/feed") + Self.feedFiles("census/feeds/provinces") + Self.feedFiles("feed")
        let read = try Self.feeds(workspace, files.map(\.0))
        for (file, language) in files {
            #expect(read[file]?.map { $0["summary"] } == [expected[language]], "\(file)")
        }
        let resource = try Self.resource(workspace, pipeline: "census", dataset: "provinces")
        let headline = try #require(resource["headline"] as? [String: String])
        for language in ["vi", "en"] {
            let text = try #require(headline[language])
            #expect(expected[language]?.hasSuffix(text) == true, "\(text)")
            #expect(text.count <= 280)
        }
        let pages = try Self.pages(workspace, ["index.html", "index.en.html", "census/index.html", "census/provinces.en.html"])
        for (page, text) in pages {
            #expect(text.contains(headline[page.contains(".en.") ? "en" : "vi"] ?? "-"), "\(page): \(text)")
        }
    }

    @Test func aHeadlineCutByItsLengthStatesWholeRowsAndCountsTheRest() throws {
        // Names of 48 characters: only three rows fit in 280 characters.
        let name = { (index: Int) in "Tỉnh \(index) " + String(repeating: "x", count: 40) }
        let csv =
            "code,province,year,population\n"
            + (1...60).map { "P\($0),\(name($0)),2023,\($0 * 1000)" }.joined(separator: "\n") + "\n"
        let workspace = try Self.workspace(["census.yml": Self.provincesPipeline, "census/provinces.csv": csv])
        #expect(try opendata(["run", "--quiet"], in: workspace.url).status == 0)
        let headline = try #require(try Self.resource(workspace, pipeline: "census", dataset: "provinces")["headline"] as? [String: String])
        let english = try #require(headline["en"])
        #expect(english.count <= 280)
        let stated = (58...60).reversed().map { "\(name($0)): Population \($0),000" }
        #expect(english == "2023: " + stated.joined(separator: "; ") + " … and 57 more rows; all in the table.")
        #expect(
            headline["vi"] == "2023: " + (58...60).reversed().map { "\(name($0)): Dân số \($0).000" }.joined(separator: "; ")
                + " … và 57 dòng khác; tất cả có trong bảng.")
    }

    @Test func headlineRowsNameTheRowsByKeyAndMoreNamesWhatIsLeftOut() throws {
        let csv = "code,province,year,population\nVN,Cả nước,2023,100309\nHN,Hà Nội,2023,8587\nVN,Cả nước,2019,96484\n"
        let pipeline = Self.provincesPipeline.replacingOccurrences(
            of: "primaryKey: [code, year]", with: "primaryKey: [code, year]\n    headline: {rows: [{code: VN}], more: {vi: tỉnh, en: provinces}}")
        let workspace = try Self.workspace(["census.yml": pipeline, "census/provinces.csv": csv])
        #expect(try opendata(["run", "--quiet"], in: workspace.url).status == 0)
        let headline = try #require(try Self.resource(workspace, pipeline: "census", dataset: "provinces")["headline"] as? [String: String])
        // The national total of the latest year only.
        #expect(headline["en"] == "2023: Cả nước: Population 100,309 … and 2 more provinces; all in the table.")
        #expect(headline["vi"] == "2023: Cả nước: Dân số 100.309 … và 2 tỉnh khác; tất cả có trong bảng.")
    }

    @Test func headlineRowsThatMatchNoRowAreAWarningAndTheDefaultRowsAreStated() throws {
        let csv = "code,province,year,population\nHN,Hà Nội,2023,8587\nHP,Hải Phòng,2023,2088\n"
        let pipeline = Self.provincesPipeline.replacingOccurrences(
            of: "primaryKey: [code, year]", with: "primaryKey: [code, year]\n    headline: {rows: [{code: VX}]}")
        let workspace = try Self.workspace(["census.yml": pipeline, "census/provinces.csv": csv])
        let result = try opendata(["run"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "the headline's rows match none of the 2 published rows; the headline states the rows it would without 'rows'"),
            "\(result.stderr)")
        let headline = try #require(try Self.resource(workspace, pipeline: "census", dataset: "provinces")["headline"] as? [String: String])
        #expect(headline["en"] == "2023: Hà Nội: Population 8,587; Hải Phòng: Population 2,088.")
    }

    // MARK: - Every dataset has feed items

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with feedparser and html5lib (.ci/run installs one)"))
    func theProvincesExampleHasFeedItemsInBothLanguages() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "--quiet"], in: workspace.url).status == 0)
        let files = Self.feedFiles("vietnam-provinces/feed")
        let read = try Self.feeds(workspace, files.map(\.0))
        let expected = [
            "vi": "Công bố 5 dòng. Thành phố Hồ Chí Minh: Dân số 8.993.082; Hà Nội: Dân số 8.053.663; Hải Phòng: Dân số 2.028.514"
                + " … và 2 tỉnh khác; tất cả có trong bảng.",
            "en": "Published 5 rows. Thành phố Hồ Chí Minh: Population 8,993,082; Hà Nội: Population 8,053,663; "
                + "Hải Phòng: Population 2,028,514 … and 2 more provinces; all in the table.",
        ]
        for (file, language) in files {
            let entries = try #require(read[file])
            #expect(entries.count == 7, "\(file): an item for each of the seven datasets")
            let title = language == "vi" ? "Dân số năm 2019 theo tỉnh (CSV TCVN3)" : "Population in 2019 by province (TCVN3 CSV)"
            #expect(entries.first { $0["title"] == title }?["summary"] == expected[language], "\(file)")
        }
    }

    // MARK: - Illustrative and provisional figures

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with feedparser and html5lib (.ci/run installs one)"))
    func illustrativeFiguresAreMarkedInFeedsPagesAndMetadata() throws {
        let workspace = try Workspace()
        #expect(try opendata(["run", "--quiet"], in: workspace.url).status == 0)
        let pipeline = "vietnam-digital-government"
        let expected = [
            "vi": "2018: Mức độ 1: 412 thủ tục (minh họa); Mức độ 2: 915 thủ tục (minh họa); Mức độ 3: 386 thủ tục; Mức độ 4: 170 thủ tục.",
            "en": "2018: Level 1: 412 procedures (illustrative); Level 2: 915 procedures (illustrative); "
                + "Level 3: 386 procedures; Level 4: 170 procedures.",
        ]
        let titles = [
            "vi": "Thủ tục hành chính của Hà Nội theo mức độ dịch vụ công trực tuyến, 2018",
            "en": "Hanoi administrative procedures by online service level, 2018",
        ]
        let files =
            Self.feedFiles("feed") + Self.feedFiles("\(pipeline)/feed") + Self.feedFiles("\(pipeline)/feeds/hanoi-procedures-by-level")
        let read = try Self.feeds(workspace, files.map(\.0))
        for (file, language) in files {
            let entry = try #require(read[file]?.first { $0["title"] == titles[language] }, "\(file)")
            #expect(entry["summary"] == expected[language], "\(file)")
            // `rows: []`: the online services' counts are the report's, and say nothing more.
            let online = read[file]?.first { $0["title"]?.hasPrefix(language == "vi" ? "Dịch vụ công" : "Hanoi online") == true }
            if let online { #expect(online["summary"]?.contains(language == "vi" ? "minh họa" : "illustrative") == false, "\(file)") }
        }
        let pages = try Self.pages(
            workspace,
            [
                "index.html", "index.en.html", "\(pipeline)/index.html", "\(pipeline)/index.en.html",
                "\(pipeline)/hanoi-procedures-by-level.html", "\(pipeline)/hanoi-procedures-by-level.en.html",
            ])
        for (page, text) in pages {
            #expect(text.contains(expected[page.contains(".en.") ? "en" : "vi"] ?? "-"), "\(page)")
        }
        let resource = try Self.resource(workspace, pipeline: pipeline, dataset: "hanoi-procedures-by-level")
        #expect(
            (resource["illustrativeFigures"] as? [String: Any]).map { NSDictionary(dictionary: $0) }
                == NSDictionary(dictionary: ["rows": [["service_level": "1"], ["service_level": "2"]]]))
        let illustrative = try #require(resource["illustrative"] as? [String: String])
        let note = try #require(resource["figureNote"] as? [String: String])
        #expect(note["vi"] == "Số liệu minh họa: " + (illustrative["vi"] ?? ""))
        #expect(note["en"] == "Illustrative figures: " + (illustrative["en"] ?? ""))
        #expect((resource["description"] as? String)?.hasSuffix(" " + (note["vi"] ?? "-")) == true)
        let data = try Self.json(workspace, "\(pipeline)/data/hanoi-procedures-by-level.json")
        #expect(data["figureNote"] as? [String: String] == note)
    }

    // MARK: - Revisions of a looked-up field, provisional rows, dates

    static let censusPipeline =
        header + """
              - id: national
                title: {vi: Dân số cả nước, en: National population}
                description: {vi: Tổng, en: Total}
                source: {type: csv, path: census/national.csv}
                fields:
                  - {name: year, type: year, required: true}
                  - {name: population, type: number, required: true, title: {vi: Dân số (nghìn người), en: Population (thousands)}}
                primaryKey: [year]

            """
        + provincesDataset(
            population: "{name: population, type: number, required: true, title: {vi: Dân số (nghìn người), en: Population (thousands)}}",
            tail: [
                "  - {name: status, type: string, required: true, role: observationStatus}",
                "steps:",
                "  - lookup: {dataset: national, on: {year: year}, fields: [{national_population: population}]}",
                "titles:",
                "  national_population: {vi: Dân số cả nước (nghìn người), en: National population (thousands)}",
                "primaryKey: [code, year]",
            ])

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with feedparser and html5lib (.ci/run installs one)"))
    func aRevisedLookedUpFieldIsNamedByItsTitleAndTheMetadataDateStays() throws {
        let workspace = try Self.workspace([
            "census.yml": Self.censusPipeline,
            "census/national.csv": "year,population\n2023,100309.2\n",
            "census/provinces.csv": "code,province,year,population,status\nHN,Hà Nội,2023,8587.1,final\nHP,Hải Phòng,2023,2088.0,provisional\n",
        ])
        #expect(try opendata(["run", "--quiet", "--now", "2024-01-01T09:00:00+07:00"], in: workspace.url).status == 0)
        let files = Self.feedFiles("census/feed")
        let headline = [
            "vi": "2023: Hà Nội: Dân số (nghìn người) 8.587,1; Hải Phòng: Dân số (nghìn người) 2.088,0 (sơ bộ).",
            "en": "2023: Hà Nội: Population (thousands) 8,587.1; Hải Phòng: Population (thousands) 2,088.0 (provisional).",
        ]
        var read = try Self.feeds(workspace, files.map(\.0))
        for (file, language) in files {
            let first = language == "vi" ? "Công bố 2 dòng. " : "Published 2 rows. "
            #expect(read[file]?.map { $0["summary"] ?? "" }.contains(first + (headline[language] ?? "")) == true, "\(file): \(read[file] ?? [])")
        }
        let resource = try Self.resource(workspace, pipeline: "census", dataset: "provinces")
        let note = ["vi": "1 dòng có số liệu sơ bộ (trường status).", "en": "1 row holds provisional figures (field status)."]
        #expect(resource["figureNote"] as? [String: String] == note)
        #expect(try Self.json(workspace, "census/data/provinces.json")["figureNote"] as? [String: String] == note)

        try "year,population\n2023,101309.2\n".write(to: workspace.file("Pipelines/census/national.csv"), atomically: true, encoding: .utf8)
        try workspace.edit("Pipelines/census/provinces.csv", replacing: "2023,2088.0,provisional", with: "2023,2090.5,provisional")
        let second = try opendata(["run", "--quiet", "--now", "2024-02-01T09:00:00+07:00"], in: workspace.url)
        #expect(second.status == 0, "\(second.stderr)")
        // The looked-up field is named by its title; the provisional row's revised figures say so.
        let revised = [
            "vi": "HN, 2023: Dân số cả nước (nghìn người) điều chỉnh từ 100.309,2 thành 101.309,2; "
                + "HP, 2023: Dân số (nghìn người) điều chỉnh từ 2.088,0 thành 2.090,5 (sơ bộ), "
                + "Dân số cả nước (nghìn người) điều chỉnh từ 100.309,2 thành 101.309,2 (sơ bộ). ",
            "en": "HN, 2023: National population (thousands) revised from 100,309.2 to 101,309.2; "
                + "HP, 2023: Population (thousands) revised from 2,088.0 to 2,090.5 (provisional), "
                + "National population (thousands) revised from 100,309.2 to 101,309.2 (provisional). ",
        ]
        let revisedHeadline = [
            "vi": (headline["vi"] ?? "").replacingOccurrences(of: "2.088,0", with: "2.090,5"),
            "en": (headline["en"] ?? "").replacingOccurrences(of: "2,088.0", with: "2,090.5"),
        ]
        read = try Self.feeds(workspace, files.map(\.0))
        for (file, language) in files {
            // The revision's item is titled as one (issue 14's "Revised figures").
            let title = language == "vi" ? "Điều chỉnh số liệu: Dân số theo tỉnh" : "Revised figures: Population by province"
            #expect(
                read[file]?.first { $0["title"] == title }?["summary"] == (revised[language] ?? "") + (revisedHeadline[language] ?? ""),
                "\(file)")
        }
        // A data-only change: the data's date moves, the metadata's does not.
        let data = try Self.json(workspace, "census/data/provinces.json")
        #expect(data["dataModified"] as? String == "2024-02-01T09:00:00+07:00")
        #expect(data["metadataModified"] as? String == "2024-01-01T09:00:00+07:00")
        let after = try Self.resource(workspace, pipeline: "census", dataset: "provinces")
        #expect(after["dataModified"] as? String == "2024-02-01T09:00:00+07:00")
        #expect(after["metadataModified"] as? String == "2024-01-01T09:00:00+07:00")
        // A title changed: the metadata's date moves with it.
        try workspace.edit("Pipelines/census.yml", replacing: "en: National population (thousands)}", with: "en: Population of Vietnam (thousands)}")
        #expect(try opendata(["run", "--quiet", "--now", "2024-03-01T09:00:00+07:00"], in: workspace.url).status == 0)
        let retitled = try Self.json(workspace, "census/data/provinces.json")
        #expect(retitled["metadataModified"] as? String == "2024-03-01T09:00:00+07:00")
        #expect(retitled["dataModified"] as? String == "2024-02-01T09:00:00+07:00")
    }
}
