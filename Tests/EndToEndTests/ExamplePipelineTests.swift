import Foundation
import LibXML
import Testing

/// Runs the built `opendata` on the shipped example, as a user would.
@Suite("Example pipeline, end to end")
struct ExamplePipelineTests {
    private static let pipelineFolder = "Output/current/vietnam-digital-government"

    private func publish() throws -> Workspace {
        let workspace = try Workspace()
        let result = try opendata(["run"], in: workspace.url)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("published release"))
        return workspace
    }

    @Test func publishesTheSeedsFiguresInCSV() throws {
        let workspace = try publish()
        let services = parseCSV(try workspace.read("\(Self.pipelineFolder)/data/hanoi-online-public-services.csv"))
        #expect(
            services == [
                ["year", "level_3", "level_4", "all_procedures", "online", "share_percent"],
                ["2018", "386", "170", "1883", "556", "29.5"],
            ])
        let byLevel = parseCSV(try workspace.read("\(Self.pipelineFolder)/data/hanoi-procedures-by-level.csv"))
        #expect(byLevel.dropFirst().map { $0[2] }.compactMap(Int.init).reduce(0, +) == 1883)
        #expect(byLevel.filter { $0[1] == "3" }.first?[2] == "386")
        #expect(byLevel.filter { $0[1] == "4" }.first?[2] == "170")
        #expect(byLevel.filter { $0[1] == "3" }.first?[3] == "20.5", "386 / 1883 as a share, to 1 decimal")
        let internet = parseCSV(try workspace.read("\(Self.pipelineFolder)/data/vietnam-internet-2018.csv"))
        #expect(internet.contains { $0.first == "internet_users" && $0[5] == "52000000" })
        #expect(internet.contains { $0.first == "smartphone_share" && $0[5] == "55" })
        let population = parseCSV(try workspace.read("\(Self.pipelineFolder)/data/hanoi-population-database.csv"))
        #expect(population.last == ["01", "Hà Nội", "2018", "7500000", "hơn"])
    }

    @Test func publishesJSONThatAgreesWithTheCSV() throws {
        let workspace = try publish()
        let data = workspace.file("\(Self.pipelineFolder)/datapackage.json")
        let package = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: data)) as? [String: Any])
        let resources = try #require(package["resources"] as? [[String: Any]])
        let tables = resources.filter { $0["type"] as? String == "table" && $0["encoding"] as? String == "utf-8" }
        // Four datasets of the report, the areas lookup table and the unpivoted table by year.
        #expect(tables.count == 6)
        for table in tables {
            let name = try #require(table["name"] as? String)
            let csv = parseCSV(try workspace.read("\(Self.pipelineFolder)/data/\(name).csv"))
            let jsonURL = workspace.file("\(Self.pipelineFolder)/data/\(name).json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL)) as? [String: Any])
            let records = try #require(json["records"] as? [[String: Any]])
            let header = csv[0]
            #expect(records.count == csv.count - 1, "\(name)")
            for (record, row) in zip(records, csv.dropFirst()) {
                for (key, cell) in zip(header, row) {
                    let value = record[key]
                    let shown: String
                    switch value {
                    case is NSNull, nil: shown = ""
                    case let string as String: shown = string
                    case let number as NSNumber: shown = number.stringValue
                    default: shown = "\(value!)"
                    }
                    #expect(shown == cell, "\(name).\(key)")
                }
            }
            // The file's schema in the Data Package names the CSV's columns in order.
            let schema = try #require(table["schema"] as? [String: Any])
            let fields = try #require(schema["fields"] as? [[String: Any]])
            #expect(fields.compactMap { $0["name"] as? String } == header)
        }
        let services = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: workspace.file("\(Self.pipelineFolder)/data/hanoi-online-public-services.json")))
                as? [String: Any])
        let record = try #require((services["records"] as? [[String: Any]])?.first)
        #expect((record["share_percent"] as? NSNumber)?.decimalValue == Decimal(string: "29.5"))
        #expect((record["online"] as? NSNumber)?.intValue == 556)
        #expect((services["title"] as? [String: String])?["en"] == "Hanoi online public services at levels 3–4, 2018")
    }

    @Test func publishesRSSThatLibxml2ParsesWithTheRequiredElements() throws {
        let workspace = try publish()
        for (name, language, figures) in [
            ("feed.rss", "vi", ["556", "1.883", "29,5%", "7.500.000", "52.000.000"]),
            ("feed.en.rss", "en", ["556", "1,883", "29.5%", "7,500,000", "52,000,000"]),
        ] {
            let bytes = Array(try workspace.read("\(Self.pipelineFolder)/\(name)").utf8)
            let document = try Document(parsing: bytes, source: name)
            let xpath = try document.xpath(namespaces: ["atom": "http://www.w3.org/2005/Atom"])
            func text(_ path: String) throws -> String? { try xpath.string(XPathQuery(path)) }
            #expect(try text("/rss/@version") == "2.0")
            for element in ["title", "link", "description", "lastBuildDate"] {
                #expect(try text("/rss/channel/\(element)")?.isEmpty == false, "\(name): channel \(element)")
            }
            #expect(try text("/rss/channel/language") == language)
            #expect(
                try text("/rss/channel/atom:link[@rel='self']/@href")
                    == "https://opendata.hanoi.example.vn/vietnam-digital-government/\(name)")
            let items = try xpath.nodes(XPathQuery("/rss/channel/item"))
            #expect(items.count == 6)  // every dataset of the pipeline has an item
            let rfc822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0700$/
            var descriptions = ""
            for item in items {
                let pubDate = try #require(try xpath.string(XPathQuery("pubDate"), at: item))
                #expect(pubDate.wholeMatch(of: rfc822) != nil, "\(pubDate)")
                #expect(try xpath.string(XPathQuery("guid"), at: item)?.hasPrefix("tag:opendata.hanoi.example.vn,") == true)
                #expect(try xpath.string(XPathQuery("link"), at: item)?.hasPrefix("https://") == true)
                descriptions += try xpath.string(XPathQuery("description"), at: item) ?? ""
            }
            for figure in figures {
                #expect(descriptions.contains(figure), "\(name) states \(figure)")
            }
            // A default sentence names a code by the title of the field it names, never by the code.
            let procedures =
                language == "vi" ? "Hà Nội, Tổng số thủ tục hành chính: Số thủ tục 1.883" : "Hanoi, All administrative procedures: Procedures 1,883"
            #expect(descriptions.contains(procedures), "\(name)")
            for code in ["all_procedures", "level_3", "level_4"] { #expect(!descriptions.contains(code), "\(name) shows the code \(code)") }
        }
    }

    @Test func listsAndValidatesTheExample() throws {
        let workspace = try Workspace()
        let list = try opendata(["list"], in: workspace.url)
        #expect(list.status == 0)
        #expect(list.stdout.contains("hanoi-online-public-services"))
        let validate = try opendata(["validate"], in: workspace.url)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("valid: vietnam-digital-government/hanoi-online-public-services (1 rows)"))
        #expect(!FileManager.default.fileExists(atPath: workspace.file("Output").path))
    }
}
