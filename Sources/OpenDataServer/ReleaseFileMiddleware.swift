import CompressNIO
import Crypto
import Foundation
import OpenDataPipeline
public import Hummingbird

/// Serves the files of a release for GET and HEAD: the right content type
/// with its charset, a strong ETag (the SHA-256 the release's manifest holds
/// for the file, so no file is read to tag it) and Last-Modified with 304
/// answers to conditional requests (`If-None-Match` compared weakly, lists
/// and `*` included), byte ranges (206, 416), gzip when the client accepts
/// it, CORS headers on every file and an OPTIONS preflight, a redirect from
/// a folder to its slash, and a plain 404 otherwise.
/// Not Hummingbird's `FileMiddleware`: it makes weak ETags from modification time and size (a rollback or republish within the same second can answer 304 for other bytes), types files by their last extension only (`.schema.json`, feed and data `.json` would all be `application/json`), never compresses, and answers `..` with 400, not 404.
public struct ReleaseFileMiddleware<Context: RequestContext>: RouterMiddleware {
    let files: ReleaseFiles
    let digests = ManifestDigests()

    static var allowedMethods: String { "GET, HEAD, OPTIONS" }

    public init(files: ReleaseFiles) {
        self.files = files
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let lookup = files.lookup(request.uri.path)
        guard case let .file(path, release, relative) = lookup else {
            if lookup == .folderWithoutSlash { return redirectToSlash(request) }
            return notFound(request)
        }
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = "*"
        switch request.method {
        case .get, .head: break
        case .options:
            headers[.allow] = Self.allowedMethods
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlAllowHeaders] =
                request.headers[.accessControlRequestHeaders] ?? "If-None-Match, If-Modified-Since, Range, If-Range, Accept-Encoding"
            headers[.accessControlMaxAge] = "86400"
            return Response(status: .noContent, headers: headers)
        default:
            headers[.allow] = Self.allowedMethods
            return Response(status: .methodNotAllowed, headers: headers)
        }
        guard let status = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (status[.size] as? NSNumber)?.intValue
        else { return notFound(request) }
        let contentType = ReleaseFiles.contentType(for: path)
        let etag = try "\"" + (digests.sha256(of: relative, inRelease: release) ?? Self.sha256(of: path)).prefix(32) + "\""
        let modified = status[.modificationDate] as? Date ?? Date()
        headers[.contentType] = contentType
        headers[.eTag] = etag
        headers[.lastModified] = HTTPDate.format(modified)
        headers[.cacheControl] = "no-cache"
        headers[.acceptRanges] = "bytes"
        headers[.accessControlExposeHeaders] = "ETag, Content-Range, Content-Length, Content-Encoding, Last-Modified"
        if ReleaseFiles.isText(contentType) { headers[.vary] = "Accept-Encoding" }

        if let match = request.headers[.ifNoneMatch] {
            if EntityTag.noneMatch(match, matches: etag) { return Response(status: .notModified, headers: headers) }
        } else if let since = request.headers[.ifModifiedSince], let date = HTTPDate.parse(since),
            modified.timeIntervalSince1970.rounded(.down) <= date.timeIntervalSince1970
        {
            return Response(status: .notModified, headers: headers)
        }

        // A range of the file as it is (never of its gzipped form); `If-Range` that does not match asks for all of it.
        let rangeHeader = request.headers[.ifRange].map { EntityTag.strongMatch($0, etag) } == false ? nil : request.headers[.range]
        switch ByteRange(header: rangeHeader, size: size) {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(
                status: .rangeNotSatisfiable, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: "Range not satisfiable: the file has \(size) bytes\n")))
        case let .part(range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            if request.method == .head { return Response(status: .partialContent, headers: headers) }
            let bytes = try Self.read(path, range: range)
            return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .whole:
            break
        }

        let acceptsGzip =
            request.headers[.acceptEncoding]?.split(separator: ",").contains {
                $0.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("gzip")
            } ?? false
        let compress = acceptsGzip && ReleaseFiles.isText(contentType) && size > 256
        if request.method == .head && !compress {
            headers[.contentLength] = String(size)
            return Response(status: .ok, headers: headers)
        }
        guard let data = LocalFile.contents(atPath: path) else { return notFound(request) }
        var body = ByteBuffer(bytes: data)
        if compress {
            body = try body.compress(with: .gzip())
            headers[.contentEncoding] = "gzip"
        }
        headers[.contentLength] = String(body.readableBytes)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    private func notFound(_ request: Request) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Not found: \(request.uri.path)\n")))
    }

    /// `/pipeline` → `/pipeline/` (the query kept): relative links on its index page then resolve inside the folder.
    private func redirectToSlash(_ request: Request) -> Response {
        var headers = HTTPFields()
        let query = request.uri.query.map { "?\($0)" } ?? ""
        headers[.location] = request.uri.path + "/" + query
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.accessControlAllowOrigin] = "*"
        return Response(
            status: .movedPermanently, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Moved to \(request.uri.path)/\n")))
    }

    /// A file the manifest does not list (`SHA256SUMS`), hashed on request.
    private static func sha256(of path: String) throws -> String {
        guard let data = LocalFile.contents(atPath: path) else { throw HTTPError(.notFound) }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    private static func read(_ path: String, range: ClosedRange<Int>) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw HTTPError(.notFound) }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(range.lowerBound))
        return try handle.read(upToCount: range.count) ?? Data()
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
