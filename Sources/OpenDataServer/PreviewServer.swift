public import Foundation
public import Hummingbird
public import Logging

/// `opendata serve`: a preview server over the current release, so a
/// publisher can look before pointing a real web server at the folder.
public enum PreviewServer {
    /// The application serving `root`; tests run it with HummingbirdTesting.
    public static func application(
        root: URL, host: String = "127.0.0.1", port: Int = 8080, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: ReleaseFileMiddleware(files: ReleaseFiles(root: root)))
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "opendata-pipeline"),
            logger: logger)
    }

    /// Serves until the process is interrupted.
    public static func run(root: URL, host: String, port: Int, logger: Logger) async throws {
        try await application(root: root, host: host, port: port, logger: logger).runService()
    }
}
