import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OpenDataPipeline
import OpenDataServer
import Testing

/// A held release is unreachable: neither a crawl of everything `serve` serves nor any file of the published
/// folders holds its figures or names its folder; `serve --embargoed` serves it to the publisher.
@Suite("Embargo crawl")
struct EmbargoCrawlTests {
    static let secret = "424242"
    static let base = "https://data.example.vn"

    final class Output: @unchecked Sendable {
        let folder: URL
        var root: URL { folder.appendingPathComponent("Output") }
        let held: HeldRelease

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-embargo-\(UUID().uuidString)")
            let pipelines = folder.appendingPathComponent("Pipelines")
            try FileManager.default.createDirectory(at: pipelines.appendingPathComponent("p"), withIntermediateDirectories: true)
            try Data(
                """
                id: test-pipeline
                title: {vi: Thử nghiệm, en: Test}
                description: {vi: Mô tả, en: Description}
                publisher: {name: Sở TT&TT}
                license: {name: CC-BY-4.0}
                baseURL: \(EmbargoCrawlTests.base)
                timeZone: Asia/Ho_Chi_Minh
                datasets:
                  - id: d
                    title: {vi: Dân số, en: Population}
                    description: {vi: Dân số, en: Population}
                    publish: [csv, json, rss, tsv, excel, ndjson]
                    source: {type: csv, path: p/t.csv}
                    fields:
                      - {name: area, type: string}
                      - {name: population, type: integer}
                    primaryKey: [area]
                    feed: {vi: "{area}: {population}", en: "{area}: {population}"}

                """.utf8
            ).write(to: pipelines.appendingPathComponent("p.yml"))
            let source = pipelines.appendingPathComponent("p/t.csv")
            let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            let root = folder.appendingPathComponent("Output")
            try Data("area,population\nHN,100\nHCM,200\n".utf8).write(to: source)
            let pipeline = { () throws in try PipelineLoader().load(path: pipelines.appendingPathComponent("p.yml").path) }
            _ = try PipelineRunner(output: root, logger: logger, now: { Date(timeIntervalSince1970: 1_537_236_000) }).run([pipeline()])
            try Data("area,population\nHN,\(EmbargoCrawlTests.secret)\nHCM,200\n".utf8).write(to: source)
            var options = RunOptions()
            options.embargo = true
            let report = try PipelineRunner(output: root, logger: logger, now: { Date(timeIntervalSince1970: 1_537_408_800) })
                .run([pipeline()], options: options)
            held = try #require(report.held)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    /// The request paths a served body links to: attributes, absolute URLs under the base, `"path"` members.
    static func links(in body: String, from path: String) -> [String] {
        var found: [String] = []
        let patterns = [#"(?:href|src)="([^"]+)""#, #"(https://data\.example\.vn/[^"'<>\s\\)]*)"#, #""path"\s*:\s*"([^"]+)""#]
        for pattern in patterns {
            let expression = try! NSRegularExpression(pattern: pattern)
            for match in expression.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                guard let range = Range(match.range(at: 1), in: body) else { continue }
                var link = String(body[range]).replacingOccurrences(of: "&amp;", with: "&")
                if link.hasPrefix(base) { link = String(link.dropFirst(base.count)) }
                if link.hasPrefix("#") || link.contains("://") || link.hasPrefix("mailto:") { continue }
                link = String(link.prefix { $0 != "#" })
                let directory = path.hasSuffix("/") ? path : String(path[...(path.lastIndex(of: "/") ?? path.startIndex)])
                let absolute = link.hasPrefix("/") ? link : directory + link
                found.append(URL(string: "http://x" + absolute)?.standardized.path ?? absolute)
            }
        }
        return found
    }

    @Test func aCrawlOfEverythingServedAndAWalkOfThePublishedFilesNeverReachTheHeldRelease() async throws {
        let output = try Output()
        let app = PreviewServer.application(
            root: output.root.appendingPathComponent("current"), port: 0, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let held = output.held
        let heldPath = "\(output.root.path)/.held/\(held.token)/\(held.id)"
        let crawled = try await app.test(.live) { client -> Set<String> in
            var queue = ["/"]
            var seen: Set<String> = ["/"]
            var served: Set<String> = []
            while let path = queue.popLast() {
                let response = try await client.execute(uri: path, method: .get)
                guard response.status == .ok else { continue }
                served.insert(path)
                let body = String(decoding: Data(response.body.readableBytesView), as: UTF8.self)
                #expect(!body.contains(EmbargoCrawlTests.secret), "\(path) serves the held figure")
                #expect(!body.contains(held.token) && !body.contains(".held"), "\(path) names the held folder")
                for link in Self.links(in: body, from: path) where seen.insert(link).inserted { queue.append(link) }
            }
            // The held folder by any path: outside the served release, or a dot folder.
            for probe in [
                "/.held/", "/../.held/\(held.token)/\(held.id)/index.html", "/%2e%2e/.held/\(held.token)/\(held.id)/index.html",
                "/..%2f.held%2f\(held.token)%2f\(held.id)%2findex.html", "/\(held.token)/\(held.id)/index.html",
                "/releases/\(held.id)/index.html",
            ] {
                let response = try await client.execute(uri: probe, method: .get)
                #expect(response.status == .notFound, "\(probe)")
            }
            return served
        }
        // The crawl reached every kind of file: pages, feeds, data files, the catalogue.
        for path in [
            "/", "/index.en.html", "/test-pipeline/d.html", "/test-pipeline/feed.rss", "/test-pipeline/data/d.csv",
            "/test-pipeline/data/d.vintages.csv", "/test-pipeline/datapackage.json", "/catalog.json",
        ] {
            #expect(crawled.contains(path), "the crawl did not reach \(path)")
        }
        // Every file of the published folders (current, every release, the output folder's own files).
        let manager = FileManager.default
        let enumerator = try #require(manager.enumerator(atPath: output.root.path))
        var walked = 0
        while let relative = enumerator.nextObject() as? String {
            guard !relative.hasPrefix(".held") else { continue }
            let path = output.root.appendingPathComponent(relative).path
            #expect(!relative.contains(held.token))
            if let target = try? manager.destinationOfSymbolicLink(atPath: path) {
                #expect(!target.contains(".held"), "\(relative) links into the held folder")
                continue
            }
            guard let data = manager.contents(atPath: path) else { continue }
            walked += 1
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(EmbargoCrawlTests.secret) && !text.contains(held.token), "\(relative)")
        }
        #expect(walked > 20)
        #expect(manager.fileExists(atPath: heldPath + "/test-pipeline/data/d.csv"))
    }

    @Test func servesTheHeldReleaseToThePublisherWhenAskedFor() async throws {
        let output = try Output()
        let folder = HeldReleaseStore(root: output.root).releaseFolder(output.held)
        let app = PreviewServer.application(root: folder, port: 0, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/test-pipeline/data/d.csv", method: .get)
            #expect(response.status == .ok)
            #expect(String(decoding: Data(response.body.readableBytesView), as: UTF8.self) == "area,population\r\nHN,424242\r\nHCM,200\r\n")
        }
    }
}
