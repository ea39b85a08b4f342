import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OpenDataPipeline
import OpenDataServer
import Testing

/// The preview server as a real one behaves, over HTTP on 127.0.0.1: CORS on
/// every file, OPTIONS preflights, the redirect from a folder to its slash,
/// weak and listed ETags, byte ranges, and ETags taken from the manifest.
@Suite("PreviewServer protocol")
struct PreviewServerProtocolTests {
    private func withServer(_ body: @Sendable (any TestClientProtocol, PreviewServerTests.PublishedExample) async throws -> Void)
        async throws
    {
        let example = try PreviewServerTests.PublishedExample()
        let app = PreviewServer.application(
            root: example.current, port: 0, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await app.test(.live) { client in try await body(client, example) }
    }

    private static let csv = "/vietnam-digital-government/data/hanoi-online-public-services.csv"

    @Test(arguments: [
        csv, "/vietnam-digital-government/data/hanoi-online-public-services.ndjson", "/vietnam-digital-government/feed.rss",
        "/vietnam-digital-government/feed.en.atom", "/vietnam-digital-government/feed.json", "/index.html", "/catalog.jsonld",
        "/SHA256SUMS",
    ])
    func setsCORSOnEveryFileType(path: String) async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(response.headers[.accessControlExposeHeaders]?.contains("ETag") == true)
        }
    }

    @Test func answersAPreflightWith204() async throws {
        try await withServer { client, _ in
            let response = try await client.execute(
                uri: Self.csv, method: .options,
                headers: [.origin: "https://example.org", .accessControlRequestMethod: "GET", .accessControlRequestHeaders: "range"])
            #expect(response.status == .noContent)
            #expect(response.headers[.allow] == "GET, HEAD, OPTIONS")
            #expect(response.headers[.accessControlAllowMethods] == "GET, HEAD, OPTIONS")
            #expect(response.headers[.accessControlAllowHeaders] == "range")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(response.body.readableBytes == 0)
            let missing = try await client.execute(uri: "/no-such-file.csv", method: .options)
            #expect(missing.status == .notFound)
            let post = try await client.execute(uri: Self.csv, method: .post)
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET, HEAD, OPTIONS")
        }
    }

    @Test func redirectsAFolderWithoutItsSlash() async throws {
        try await withServer { client, example in
            let response = try await client.execute(uri: "/vietnam-digital-government?lang=en", method: .get)
            #expect(response.status == .movedPermanently)
            #expect(response.headers[.location] == "/vietnam-digital-government/?lang=en")
            let folder = try await client.execute(uri: "/vietnam-digital-government/", method: .get)
            #expect(folder.status == .ok)
            let index = try Data(contentsOf: example.current.appendingPathComponent("vietnam-digital-government/index.html"))
            #expect(Data(folder.body.readableBytesView) == index)
        }
    }

    @Test func comparesIfNoneMatchWeaklyAndAsAList() async throws {
        try await withServer { client, example in
            let first = try await client.execute(uri: Self.csv, method: .get)
            let etag = try #require(first.headers[.eTag])
            // The ETag is the manifest's SHA-256 of the file (its first 32 hex digits), not a hash made per request.
            let manifest = try JSONDecoder().decode(
                ReleaseManifest.self, from: Data(contentsOf: example.current.appendingPathComponent("release.json")))
            let entry = try #require(manifest.files.first { "/\($0.path)" == Self.csv })
            #expect(etag == "\"\(entry.sha256.prefix(32))\"")
            for header in ["W/\(etag)", "\"other\", \(etag)", "\"a\",W/\(etag) , \"b\"", "*"] {
                let response = try await client.execute(uri: Self.csv, method: .get, headers: [.ifNoneMatch: header])
                #expect(response.status == .notModified, "\(header)")
                #expect(response.body.readableBytes == 0)
            }
            for header in ["\"other\"", "W/\"other\", \"x\"", String(etag.dropLast()) + "0\""] {
                let response = try await client.execute(uri: Self.csv, method: .get, headers: [.ifNoneMatch: header])
                #expect(response.status == .ok, "\(header)")
            }
        }
    }

    @Test func answersRangesWith206AndAnUnsatisfiableOneWith416() async throws {
        try await withServer { client, example in
            let whole = try Data(contentsOf: example.current.appendingPathComponent(String(Self.csv.dropFirst())))
            let size = whole.count
            let cases: [(String, Range<Int>)] = [
                ("bytes=0-9", 0..<10), ("bytes=5-", 5..<size), ("bytes=-7", (size - 7)..<size),
                ("bytes=10-99999", 10..<size),
            ]
            for (header, range) in cases {
                let response = try await client.execute(uri: Self.csv, method: .get, headers: [.range: header, .acceptEncoding: "gzip"])
                #expect(response.status == .partialContent, "\(header)")
                #expect(response.headers[.contentRange] == "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)", "\(header)")
                #expect(response.headers[.contentEncoding] == nil)
                #expect(Data(response.body.readableBytesView) == whole.subdata(in: range), "\(header)")
            }
            let beyond = try await client.execute(uri: Self.csv, method: .get, headers: [.range: "bytes=\(size)-"])
            #expect(beyond.status == .rangeNotSatisfiable)
            #expect(beyond.headers[.contentRange] == "bytes */\(size)")
            // Several ranges: the whole file, with 200.
            let several = try await client.execute(uri: Self.csv, method: .get, headers: [.range: "bytes=0-1,4-5"])
            #expect(several.status == .ok)
            #expect(Data(several.body.readableBytesView) == whole)
            // An If-Range that is not the current ETag asks for the whole file.
            let stale = try await client.execute(uri: Self.csv, method: .get, headers: [.range: "bytes=0-1", .ifRange: "\"old\""])
            #expect(stale.status == .ok)
            let head = try await client.execute(uri: Self.csv, method: .head)
            #expect(head.headers[.acceptRanges] == "bytes")
        }
    }
}
