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

    @Flag(help: "Serve a held (embargoed) release instead, to the publisher only: loopback addresses only.")
    var embargoed = false

    @Option(help: "With --embargoed: the held release's id (needed when several are held).")
    var held: String?

    @OptionGroup var options: CommonOptions

    func validate() throws {
        if embargoed, !Self.isLoopback(host) {
            throw ValidationError("--embargoed serves figures nobody may see yet: --host must be a loopback address (127.0.0.1, ::1, localhost)")
        }
        if held != nil, !embargoed { throw ValidationError("--held needs --embargoed") }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || (host.hasPrefix("127.") && host.split(separator: ".").count == 4)
    }

    func run() async throws {
        if embargoed {
            try await serveHeld()
            return
        }
        let root = URL(fileURLWithPath: output).appendingPathComponent(ReleaseLayout.currentLink)
        guard FileManager.default.fileExists(atPath: root.path) else {
            FileHandle.standardError.write(Data("error: \(root.path) does not exist; run `opendata run` first\n".utf8))
            throw ExitCode(66)
        }
        if !options.quiet { print("serving \(root.path) on http://\(host):\(port)/ (Ctrl-C stops)") }
        try await PreviewServer.run(root: root, host: host, port: port, logger: options.makeLogger())
    }

    private func serveHeld() async throws {
        let store = HeldReleaseStore(root: URL(fileURLWithPath: output))
        var release: HeldRelease?
        try reportingFailures {
            if let held {
                release = try store.find(held)
            } else {
                let all = store.held()
                guard all.count == 1 else { throw PipelineFailure.unknownHeldRelease("", valid: all.map(\.id)) }
                release = all[0]
            }
        }
        guard let release else { return }
        let root = store.releaseFolder(release)
        if !options.quiet {
            print("serving the held release \(release.id) (due \(release.releaseAt)) on http://\(host):\(port)/ to this machine only (Ctrl-C stops)")
        }
        try await PreviewServer.run(root: root, host: host, port: port, logger: options.makeLogger())
    }
}
