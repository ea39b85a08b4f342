import Foundation
import Testing

/// `opendata serve` as an independent HTTP client (Python's http.client) sees it:
/// CORS on a CSV, an OPTIONS preflight, the redirect of a folder to its slash,
/// a weak ETag answered with 304, and byte ranges.
@Suite("Serve over HTTP, end to end")
struct ServeHTTPTests {
    private static let python = "/usr/bin/python3"

    private static let client = #"""
        import http.client, socket, sys, time
        port = int(sys.argv[1]); csv = "/vietnam-digital-government/data/hanoi-online-public-services.csv"
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close(); break
            except OSError:
                time.sleep(0.05)
        def ask(method, path, headers={}):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request(method, path, headers=headers)
            response = connection.getresponse(); body = response.read(); connection.close()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        status, headers, whole = ask("GET", csv)
        print("get", status, headers.get("access-control-allow-origin"), headers.get("accept-ranges"))
        etag = headers["etag"]
        print("weak", ask("GET", csv, {"If-None-Match": 'W/' + etag})[0])
        print("list", ask("GET", csv, {"If-None-Match": '"x", ' + etag})[0])
        status, headers, _ = ask("OPTIONS", csv, {"Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
        print("options", status, headers.get("allow"), headers.get("access-control-allow-methods"))
        status, headers, _ = ask("GET", "/vietnam-digital-government")
        print("folder", status, headers.get("location"))
        status, headers, body = ask("GET", csv, {"Range": "bytes=-5"})
        print("range", status, headers.get("content-range"), body == whole[-5:], len(whole))
        status, headers, _ = ask("GET", csv, {"Range": "bytes=%d-" % len(whole)})
        print("beyond", status, headers.get("content-range"))
        """#

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python), "needs /usr/bin/python3"))
    func anIndependentClientSeesCORSPreflightRedirectWeakETagsAndRanges() throws {
        let workspace = try Workspace()
        let published = try opendata(["run", "-q", "--now", "1537236000"], in: workspace.url)
        #expect(published.status == 0, "\(published.stderr)")
        let free = try run(
            URL(fileURLWithPath: Self.python),
            ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()"],
            in: workspace.url)
        let port = free.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try startOpendata(["serve", "--port", port], in: workspace.url)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let result = try run(URL(fileURLWithPath: Self.python), ["-c", Self.client, port], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        let size = try Data(contentsOf: workspace.file("Output/current/vietnam-digital-government/data/hanoi-online-public-services.csv")).count
        #expect(
            result.stdout.split(separator: "\n") == [
                "get 200 * bytes", "weak 304", "list 304", "options 204 GET, HEAD, OPTIONS GET, HEAD, OPTIONS",
                "folder 301 /vietnam-digital-government/", "range 206 bytes \(size - 5)-\(size - 1)/\(size) True \(size)",
                "beyond 416 bytes */\(size)",
            ], "\(result.stdout)\(result.stderr)")
    }
}
