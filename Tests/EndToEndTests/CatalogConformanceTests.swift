import Foundation
import Testing

/// The DCAT-AP shapes of the project's shared folder: `$OPENDATA_SHARED_DIR/fixtures/dcat-ap`, else `../shared`.
private let dcatShapes: URL = {
    let shared =
        ProcessInfo.processInfo.environment["OPENDATA_SHARED_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    return shared.appendingPathComponent("fixtures/dcat-ap")
}()
private let shapesFound = FileManager.default.fileExists(atPath: dcatShapes.appendingPathComponent("shapes.ttl").path)

/// What harvesters and search engines read: the DCAT-AP catalogue (rdflib; pyshacl against the
/// official DCAT-AP 3.0.1 shapes), the pages' schema.org `Dataset` markup (Google Dataset Search's
/// required and recommended properties), and the developers' page's recipes, run as the page prints them.
@Suite("Catalogue and recipes")
struct CatalogConformanceTests {
    static let python = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"]
    static let publisher = "Sở Thông tin và Truyền thông Hà Nội (Hanoi Department of Information and Communications)"

    static func published() throws -> Workspace {
        let workspace = try Workspace()
        let result = try opendata(["run", "-q", "--now", "2018-09-18T09:00:00+07:00"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        return workspace
    }

    @Test(.enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with rdflib"))
    func theCatalogueHasDistinctDatasetsIRIValuedFormatsAndAPublisher() throws {
        let workspace = try Self.published()
        let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_dcat.py").path
        let result = try run(
            URL(fileURLWithPath: try #require(Self.python)), [script, workspace.file("Output/current").path, Self.publisher],
            in: workspace.url)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("ok   13 datasets, "), "\(result.stdout)")
        #expect(result.stdout.contains("no node typed both"))
        #expect(result.stdout.contains("ok   the publisher is named '\(Self.publisher)'"))
    }

    @Test(
        .enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with rdflib and pyshacl"),
        .enabled(
            if: shapesFound, "needs the DCAT-AP shapes: \(dcatShapes.path) is absent (set OPENDATA_SHARED_DIR or put shared/ beside the repository)"))
    func pyshaclFindsNoViolationOfTheDCATAPShapes() throws {
        let workspace = try Self.published()
        let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_dcat.py").path
        let result = try run(
            URL(fileURLWithPath: try #require(Self.python)),
            [script, workspace.file("Output/current").path, Self.publisher, dcatShapes.path], in: workspace.url)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("ok   pyshacl: 0 violations"), "\(result.stdout)")
    }

    /// The `<script type="application/ld+json">` of a page.
    static func markup(_ html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: "<script type=\"application/ld+json\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let object = try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
        return try #require(object as? [String: Any])
    }

    @Test func everyLinkOfTheDevelopersPageIsAPublishedFile() throws {
        let workspace = try Self.published()
        for page in ["developers.html", "developers.en.html"] {
            let html = try workspace.read("Output/current/\(page)")
            let links = html.matches(of: /href="https:\/\/opendata\.hanoi\.example\.vn\/([^"#]+)"/).map { String($0.1) }
            #expect(links.count > 30, "\(page): \(links.count) links")
            for link in links {
                #expect(FileManager.default.fileExists(atPath: workspace.file("Output/current/\(link)").path), "\(page): \(link)")
            }
            // The provinces' JSON dataset publishes no NDJSON: neither a link to one nor a recipe reading one.
            #expect(!html.contains("provinces-json.ndjson"), "\(page)")
            #expect(html.contains("vietnam-digital-government/data/hanoi-population-database.ndjson"), "\(page)")
        }
    }

    @Test func everyDatasetPageHasTheMarkupGoogleDatasetSearchAsksFor() throws {
        let workspace = try Self.published()
        let folder = workspace.file("Output/current/vietnam-digital-government")
        let datasets = ["vietnam-internet-2018", "hanoi-population-database", "areas", "hanoi-online-public-services"]
        for dataset in datasets {
            for page in ["\(dataset).html", "\(dataset).en.html"] {
                let html = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
                let object = try Self.markup(html)
                #expect(object["@type"] as? String == "Dataset", "\(page)")
                #expect((object["name"] as? String)?.isEmpty == false, "\(page): name")
                let description = try #require(object["description"] as? String)
                #expect((50...5000).contains(description.count), "\(page): description of \(description.count) characters")
                #expect(object["license"] as? String == "https://creativecommons.org/licenses/by/4.0/", "\(page): license")
                let creator = try #require(object["creator"] as? [String: Any])
                #expect(creator["@type"] as? String == "Organization" && creator["name"] as? String == Self.publisher, "\(page): creator")
                let files = try #require(object["distribution"] as? [[String: Any]])
                #expect(!files.isEmpty, "\(page): distribution")
                for file in files {
                    #expect((file["encodingFormat"] as? String)?.contains("/") == true, "\(page): encodingFormat")
                    #expect(
                        (file["contentUrl"] as? String)?.hasPrefix("https://opendata.hanoi.example.vn/vietnam-digital-government/data/\(dataset)")
                            == true,
                        "\(page): contentUrl")
                }
                #expect(object["url"] as? String == "https://opendata.hanoi.example.vn/vietnam-digital-government/\(page)")
                #expect(object["identifier"] as? String == "https://opendata.hanoi.example.vn/vietnam-digital-government/\(dataset).html#dataset")
                #expect(object["isAccessibleForFree"] as? Bool == true, "\(page)")
            }
        }
        // The period comes from the rows' year field; a dataset without one has none.
        let internet = try Self.markup(String(contentsOf: folder.appendingPathComponent("vietnam-internet-2018.html"), encoding: .utf8))
        #expect(internet["temporalCoverage"] as? String == "2018")
        let areas = try Self.markup(String(contentsOf: folder.appendingPathComponent("areas.html"), encoding: .utf8))
        #expect(areas["temporalCoverage"] == nil)
        // A description under 50 characters is completed with the pipeline's title.
        #expect(
            areas["description"] as? String
                == "Mã và tên các địa bàn mà các số liệu đề cập. — Chính quyền số tại Việt Nam và Hà Nội năm 2018")
    }

    /// Whether a command is on the PATH.
    static func installed(_ command: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(command)")
        }
    }

    @Test(
        .enabled(if: python != nil, "set OPENDATA_VALIDATORS to a Python with pandas and duckdb"),
        .enabled(if: installed("jq") && installed("curl"), "needs jq and curl (Debian's, installed by .ci/run)"))
    func theDevelopersPagesRecipesRunAndReadThePublishedValues() throws {
        let workspace = try Self.published()
        let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/check_recipes.py").path
        let result = try run(
            URL(fileURLWithPath: try #require(Self.python)),
            [
                script, workspace.file("Output/current").path, "https://opendata.hanoi.example.vn", opendataExecutable.path,
                "developers.html", "developers.en.html",
            ], in: workspace.url)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("ok   developers.html provinces-json pandas-csv: every value equals the CSV's"), "\(result.stdout)")
        #expect(result.stdout.contains("curl-etag: the second request answers 304"), "\(result.stdout)")
        #expect(result.stdout.contains("r-jsonlite: marked untested, not run"), "\(result.stdout)")
        #expect(!result.stdout.contains("FAIL"), "\(result.stdout)")
    }
}
