import Foundation

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `opendata` executable that `swift test` built beside the test bundle.
let opendataExecutable: URL = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("opendata")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return repositoryRoot.appendingPathComponent(".build/debug/opendata")
}()

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A process for `executable` in `directory`, with `environment` added to ours.
private func makeProcess(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String]) -> Process {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
    return process
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
        thread.start()
    }

    /// The bytes read, once the writer closed the pipe.
    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Runs `executable` with `arguments` in `directory` and waits for it.
func run(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> ProcessResult {
    let process = makeProcess(executable, arguments, in: directory, environment: environment)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Both pipes are read at once (stderr on a thread of its own) and before waiting, so a child
    // that fills either pipe while the other is being read cannot block.
    let errorReader = PipeReader(errors.fileHandleForReading)
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errorReader.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

func opendata(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> ProcessResult {
    try run(opendataExecutable, arguments, in: directory, environment: environment)
}

/// Starts `opendata` without waiting for it.
func startOpendata(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Process {
    let process = makeProcess(opendataExecutable, arguments, in: directory, environment: environment)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// A fresh folder holding a copy of the shipped `Pipelines/`, removed afterwards.
final class Workspace {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("Pipelines"), to: url.appendingPathComponent("Pipelines"))
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func file(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: file(relative), encoding: .utf8)
    }

    /// Replaces `old` with `new` in a file of the workspace.
    func edit(_ relative: String, replacing old: String, with new: String) throws {
        let text = try read(relative)
        precondition(text.contains(old), "\(relative) does not contain \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: file(relative), atomically: true, encoding: .utf8)
    }

    /// Every file and link under `Output/` with its bytes or target.
    func snapshotOfOutput() -> [String: Data] {
        snapshot(of: file("Output"))
    }

    /// The same without the digest cache, which any run that reads the inputs may update: it remembers
    /// the digests of files whose times are two seconds old, so what it holds depends on how fast the runs follow each other.
    func snapshotOfOutputWithoutDigestCache() -> [String: Data] {
        snapshotOfOutput().filter { $0.key != ".digests.json" }
    }

    /// Every file and link under `folder` with its bytes or target.
    func snapshot(of root: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return result }
        while let relative = enumerator.nextObject() as? String {
            let path = root.appendingPathComponent(relative).path
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                result[relative] = Data("link:\(target)".utf8)
            } else {
                result[relative] = FileManager.default.contents(atPath: path) ?? Data("folder".utf8)
            }
        }
        return result
    }
}

/// Splits simple CSV (as we publish it: RFC 4180, CRLF) into rows of fields.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let c = characters.popFirst() {
        if quoted {
            if c == "\"" {
                if characters.first == "\"" {
                    field.unicodeScalars.append(c)
                    characters.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field)
            field = ""
        } else if c == "\r" {
            continue
        } else if c == "\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.unicodeScalars.append(c)
        }
    }
    return rows
}
