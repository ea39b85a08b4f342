import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OpenDataPipeline
@testable import OpenDataServer
import Testing

/// The preview server, tested with real HTTP requests on 127.0.0.1.
@Suite("PreviewServer")
struct PreviewServerTests {
    /// A release of the shipped example, published into a fresh folder.
    final class PublishedExample: @unchecked Sendable {
        let folder: URL
        var current: URL { folder.appendingPathComponent("current") }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-serve-\(UUID().uuidString)")
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let pipeline = try PipelineLoader().load(path: root.appendingPathComponent("Pipelines/vietnam-digital-government.yml").path)
            _ = try PipelineRunner(output: folder, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run([pipeline])
        }

        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    private func withServer(_ body: @Sendable (any TestClientProtocol, PublishedExample) async throws -> Void) async throws {
        let example = try PublishedExample()
        let app = PreviewServer.application(
            root: example.current, port: 0, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await app.test(.live) { client in try await body(client, example) }
    }

    @Test(arguments: [
        ("/", "text/html; charset=utf-8"),
        ("/index.en.html", "text/html; charset=utf-8"),
        ("/vietnam-digital-government/data/hanoi-online-public-services.csv", "text/csv; charset=utf-8; header=present"),
        ("/vietnam-digital-government/feed.rss", "application/rss+xml; charset=utf-8"),
        ("/vietnam-digital-government/feed.en.atom", "application/atom+xml; charset=utf-8"),
        ("/vietnam-digital-government/feed.json", "application/feed+json; charset=utf-8"),
        ("/vietnam-digital-government/feeds/hanoi-population-database.en.json", "application/feed+json; charset=utf-8"),
        ("/vietnam-digital-government/data/hanoi-online-public-services.json", "application/json; charset=utf-8"),
        ("/vietnam-digital-government/data/hanoi-online-public-services.schema.json", "application/schema+json; charset=utf-8"),
        ("/catalog.jsonld", "application/ld+json; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
    ])
    func servesEachFileWithItsContentType(path: String, type: String) async throws {
        try await withServer { client, example in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == type)
                let relative = path == "/" ? "index.html" : String(path.dropFirst())
                let expected = try Data(contentsOf: example.current.appendingPathComponent(relative))
                #expect(Data(response.body.readableBytesView) == expected)
            }
        }
    }

    @Test(arguments: [
        // A dataset's files are typed as their output format declares them, whatever the dataset is named.
        ("/r/p/data/notes.tsv", "text/tab-separated-values; charset=utf-8"),
        ("/r/p/data/notes.excel.csv", "text/csv; charset=utf-8; header=present"),
        ("/r/p/data/notes.jsonstat.json", "application/json; charset=utf-8"),
        ("/r/p/data/notes.schema.json", "application/schema+json; charset=utf-8"),
        ("/r/p/data/feed.json", "application/json; charset=utf-8"),
        ("/r/p/data/feeds.ndjson", "application/x-ndjson; charset=utf-8"),
        // The site's own files, by their names.
        ("/r/p/feed.json", "application/feed+json; charset=utf-8"),
        ("/r/p/feeds/notes.en.json", "application/feed+json; charset=utf-8"),
        ("/r/p/datapackage.json", "application/json; charset=utf-8"),
        ("/r/calendar.ics", "text/calendar; charset=utf-8"),
        ("/r/p/data/notes.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("/r/p/p.sqlite", "application/vnd.sqlite3"),
        ("/r/p/data/notes.parquet", "application/octet-stream"),
    ])
    func typesADatasetFileByItsFormatAndASiteFileByItsName(path: String, type: String) {
        #expect(ReleaseFiles.contentType(for: path) == type)
    }

    /// Text is compressed; a workbook (its type names "openxml") and a database are not.
    @Test func compressesTextOnly() {
        #expect(ReleaseFiles.isText("text/csv; charset=utf-8; header=present"))
        #expect(ReleaseFiles.isText("application/feed+json; charset=utf-8"))
        #expect(ReleaseFiles.isText("image/svg+xml; charset=utf-8"))
        #expect(!ReleaseFiles.isText("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        #expect(!ReleaseFiles.isText("application/vnd.sqlite3"))
        #expect(!ReleaseFiles.isText("application/octet-stream"))
    }

    @Test func answersConditionalRequestsWith304() async throws {
        try await withServer { client, _ in
            let path = "/vietnam-digital-government/datapackage.json"
            let first = try await client.execute(uri: path, method: .get)
            let etag = try #require(first.headers[.eTag])
            let modified = try #require(first.headers[.lastModified])
            let byTag = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: etag])
            #expect(byTag.status == .notModified)
            #expect(byTag.body.readableBytes == 0)
            let byDate = try await client.execute(uri: path, method: .get, headers: [.ifModifiedSince: modified])
            #expect(byDate.status == .notModified)
            let stale = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: "\"other\""])
            #expect(stale.status == .ok)
        }
    }

    @Test func gzipsTextWhenAsked() async throws {
        try await withServer { client, example in
            let path = "/vietnam-digital-government/data/hanoi-online-public-services.json"
            let response = try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: "br, gzip;q=0.8"])
            #expect(response.headers[.contentEncoding] == "gzip")
            var body = response.body
            let inflated = try body.decompress(with: .gzip())
            #expect(Data(inflated.readableBytesView) == (try Data(contentsOf: example.current.appendingPathComponent(String(path.dropFirst())))))
            let page = try await client.execute(uri: "/index.html", method: .get)
            #expect(page.headers[.contentEncoding] == nil)
        }
    }

    @Test func neverServesAPathOutsideTheRelease() async throws {
        try await withServer { client, example in
            // A link inside the release pointing outside it.
            try FileManager.default.createSymbolicLink(
                atPath: example.current.appendingPathComponent("vietnam-digital-government/escape").path,
                withDestinationPath: "/etc")
            for path in [
                "/../release.json", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/vietnam-digital-government/../../../etc/passwd",
                "/vietnam-digital-government/escape/passwd", "/.lock", "/%00index.html", "/..%5c..%5cetc%5cpasswd", "/no-such-file.csv",
            ] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(String(buffer: response.body).hasPrefix("Not found"), "\(path)")
            }
        }
    }

    @Test func refusesTraversalInTheFileLookupItself() throws {
        let example = try PublishedExample()
        let files = ReleaseFiles(root: example.current)
        #expect(files.file(for: "/index.html") != nil)
        #expect(files.file(for: "/vietnam-digital-government/") != nil)
        for path in ["/../current/index.html", "/..\\index.html", "/a\u{0}b", "/%2e%2e/index.html", "/.lock"] {
            #expect(files.file(for: path) == nil, "\(path)")
        }
    }

    @Test func answersHeadWithHeadersOnly() async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: "/vietnam-digital-government/feed.rss", method: .head)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            #expect(Int(response.headers[.contentLength] ?? "") ?? 0 > 0)
        }
    }
}
