import Foundation
import PostgresNIO

/// Where and as whom to connect, read from the environment only: the libpq URL in
/// the variable that `connection:` names, else libpq's `PG*` variables, with the
/// password from the URL, `PGPASSWORD` or the password file (`PGPASSFILE`, default
/// `~/.pgpass`). The password is kept for the driver and never shown: ``shown`` is
/// `postgresql://user@host:port/database`.
struct PostgresConnectionSettings: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    var host = "localhost"
    var port = 5432
    var user = ""
    var password: String?
    var database = ""
    /// libpq's `sslmode`: disable, allow, prefer (libpq's default), require, verify-ca, verify-full.
    var sslMode = "prefer"
    var sslRootCertificate: String?

    static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// How messages name the server: never with the password.
    var shown: String { "postgresql://\(user)@\(host):\(port)/\(database)" }
    var address: String { "\(host):\(port)" }
    var description: String { shown }
    var debugDescription: String { shown }

    /// The settings from `environment`; `variable` names the one holding a URL (nil: the `PG*` variables).
    /// The problem is a sentence without the password.
    static func from(environment: [String: String], variable: String?) -> Result<Self, Problem> {
        var settings = Self()
        settings.host = environment["PGHOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        if let port = environment["PGPORT"], !port.isEmpty {
            guard let number = Int(port), (1...65535).contains(number) else {
                return .failure(Problem("PGPORT is '\(port)'; expected a port number"))
            }
            settings.port = number
        }
        settings.user = environment["PGUSER"] ?? environment["USER"] ?? ""
        settings.password = environment["PGPASSWORD"]
        settings.sslMode = environment["PGSSLMODE"] ?? "prefer"
        settings.sslRootCertificate = environment["PGSSLROOTCERT"]
        settings.database = environment["PGDATABASE"] ?? ""
        if let variable {
            guard let url = environment[variable], !url.isEmpty else {
                return .failure(Problem("the environment variable \(variable) (named by 'connection') is not set"))
            }
            if let problem = settings.read(url: url, variable: variable) { return .failure(problem) }
        }
        guard sslModes.contains(settings.sslMode) else {
            return .failure(Problem("sslmode is '\(settings.sslMode)'; expected one of \(sslModes.joined(separator: ", "))"))
        }
        if settings.database.isEmpty { settings.database = settings.user }
        if settings.password == nil {
            let file = environment["PGPASSFILE"] ?? environment["HOME"].map { "\($0)/.pgpass" }
            if let file { settings.password = passwordFile(file, for: settings) }
        }
        return .success(settings)
    }

    struct Problem: Error, Sendable {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// `postgresql://[user[:password]@][host][:port][/database][?sslmode=…]` (also `postgres://`).
    private mutating func read(url text: String, variable: String) -> Problem? {
        let bad = Problem("\(variable) does not hold a URL such as postgresql://user@host:5432/database")
        guard text.hasPrefix("postgresql://") || text.hasPrefix("postgres://"), let components = URLComponents(string: text)
        else { return bad }
        if let user = components.user, !user.isEmpty { self.user = user.removingPercentEncoding ?? user }
        if let password = components.password { self.password = password.removingPercentEncoding ?? password }
        if let host = components.host, !host.isEmpty { self.host = host }
        if let port = components.port {
            guard (1...65535).contains(port) else { return bad }
            self.port = port
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        if !path.isEmpty { database = path.removingPercentEncoding ?? path }
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode": sslMode = item.value ?? ""
            case "sslrootcert": sslRootCertificate = item.value
            case "user": user = item.value ?? user
            case "dbname": database = item.value ?? database
            case "host": host = item.value ?? host
            case "port":
                guard let port = item.value.flatMap(Int.init), (1...65535).contains(port) else { return bad }
                self.port = port
            default:
                return Problem(
                    "\(variable) has the parameter '\(item.name)', which this source does not read (it reads sslmode, sslrootcert, user, dbname, host, port)"
                )
            }
        }
        return nil
    }

    /// The password of the first matching line of a libpq password file
    /// (`host:port:database:user:password`, `*` matches anything, `\` escapes).
    /// Like libpq, a file that others may read is ignored.
    static func passwordFile(_ path: String, for settings: Self) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        let wanted = [settings.host, String(settings.port), settings.database, settings.user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped {
                    fields[fields.count - 1].append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(character)
                }
            }
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// libpq's sslmode as PostgresNIO offers it: disable → no TLS; allow and prefer →
    /// TLS when the server offers it, certificate not checked; require → TLS or fail,
    /// not checked; verify-ca → the chain checked against `sslrootcert` (else the
    /// system's roots), not the host name; verify-full → chain and host name checked.
    func tls() throws -> PostgresConnection.Configuration.TLS {
        guard sslMode != "disable" else { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case "verify-full": configuration.certificateVerification = .fullVerification
        case "verify-ca": configuration.certificateVerification = .noHostnameVerification
        default: configuration.certificateVerification = .none
        }
        if let root = sslRootCertificate, sslMode.hasPrefix("verify") {
            configuration.trustRoots = .file(root)
        }
        let context = try NIOSSLContext(configuration: configuration)
        return sslMode == "allow" || sslMode == "prefer" ? .prefer(context) : .require(context)
    }
}
