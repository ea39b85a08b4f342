import Foundation

/// Runs an installed tool (a Python, LibreOffice) and returns its exit status, standard output and
/// standard error. Both outputs go to files, so a child that fills one never blocks on the other.
func runTool(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (
    status: Int32, output: String, error: String
) {
    let directory = try TemporaryDirectory()
    let outURL = directory.url.appendingPathComponent("stdout")
    let errURL = directory.url.appendingPathComponent("stderr")
    try Data().write(to: outURL)
    try Data().write(to: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, try String(contentsOf: outURL, encoding: .utf8), try String(contentsOf: errURL, encoding: .utf8))
}

/// The Python named by OPENDATA_VALIDATORS when it imports every one of `modules` (`.ci/run` installs them), else nil.
func validatorPython(with modules: [String]) -> String? {
    guard let python = ProcessInfo.processInfo.environment["OPENDATA_VALIDATORS"], FileManager.default.isExecutableFile(atPath: python),
        let result = try? runTool(python, ["-c", modules.map { "import \($0)" }.joined(separator: "; ")]), result.status == 0
    else { return nil }
    return python
}
