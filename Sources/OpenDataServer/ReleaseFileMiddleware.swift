import Crypto
import CompressNIO
import Foundation
import OpenDataPipeline
public import Hummingbird

/// Serves the files of a release for GET and HEAD: the right content type
/// with its charset, a strong ETag (SHA-256 of the content) and
/// Last-Modified with 304 answers to conditional requests, gzip when the
/// client accepts it, CORS headers on JSON, and a plain 404 otherwise.
/// Not Hummingbird's `FileMiddleware`: it makes weak ETags from modification time and size (a rollback or republish within the same second can answer 304 for other bytes), types files by their last extension only (`.schema.json`, feed and data `.json` would all be `application/json`), never compresses, and answers `..` with 400, not 404.
public struct ReleaseFileMiddleware<Context: RequestContext>: RouterMiddleware {
    let files: ReleaseFiles

    public init(files: ReleaseFiles) {
        self.files = files
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        guard let path = files.file(for: request.uri.path),
            let data = LocalFile.contents(atPath: path)
        else {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(
                status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Not found: \(request.uri.path)\n")))
        }
        let contentType = ReleaseFiles.contentType(for: path)
        let etag = "\"" + SHA256.hash(data: data).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.eTag] = etag
        headers[.lastModified] = HTTPDate.format(modified)
        headers[.cacheControl] = "no-cache"
        if ReleaseFiles.isJSON(contentType) { headers[.accessControlAllowOrigin] = "*" }
        if ReleaseFiles.isText(contentType) { headers[.vary] = "Accept-Encoding" }

        if let match = request.headers[.ifNoneMatch] {
            let tags = match.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if tags.contains(etag) || tags.contains("*") { return Response(status: .notModified, headers: headers) }
        } else if let since = request.headers[.ifModifiedSince], let date = HTTPDate.parse(since),
            modified.timeIntervalSince1970.rounded(.down) <= date.timeIntervalSince1970
        {
            return Response(status: .notModified, headers: headers)
        }

        var body = ByteBuffer(bytes: data)
        let acceptsGzip =
            request.headers[.acceptEncoding]?.split(separator: ",").contains {
                $0.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("gzip")
            } ?? false
        if acceptsGzip, ReleaseFiles.isText(contentType), data.count > 256 {
            body = try body.compress(with: .gzip())
            headers[.contentEncoding] = "gzip"
        }
        headers[.contentLength] = String(body.readableBytes)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}

/// HTTP dates (RFC 9110 IMF-fixdate): `Tue, 18 Sep 2018 02:00:00 GMT`.
enum HTTPDate {
    static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }

    static func format(_ date: Date) -> String { formatter().string(from: date) }
    static func parse(_ text: String) -> Date? { formatter().date(from: text) }
}
