import ArgumentParser
import Foundation
import OpenDataPipeline
import OpenDataServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the current release over HTTP (for checking before a real web server serves it).",
        discussion: """
            Serves <output>/current: content types with charset, ETag and Last-Modified with 304 answers, \
            gzip when asked, CORS headers on JSON, and no path outside the release. Listens on \
            127.0.0.1 unless --host says otherwise.
            """)

    @Option(help: "The publication root whose `current` release is served.")
    var output = "Output"

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let root = URL(fileURLWithPath: output).appendingPathComponent(ReleaseLayout.currentLink)
        guard FileManager.default.fileExists(atPath: root.path) else {
            FileHandle.standardError.write(Data("error: \(root.path) does not exist; run `opendata run` first\n".utf8))
            throw ExitCode(66)
        }
        if !options.quiet { print("serving \(root.path) on http://\(host):\(port)/ (Ctrl-C stops)") }
        try await PreviewServer.run(root: root, host: host, port: port, logger: options.makeLogger())
    }
}
