import Foundation

/// A fresh folder per test (Swift Testing runs tests in parallel), removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("opendata-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    var path: String { url.path }

    /// Writes `text` to `name` (creating folders) and returns the full path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try write(Data(text.utf8), to: name)
    }

    @discardableResult
    func write(_ data: Data, to name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file.path
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }
}

/// Every file and link below a folder with its bytes or target, to prove a
/// failed run changed nothing.
func snapshot(of folder: URL) -> [String: Data] {
    var result: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return result }
    while let relative = enumerator.nextObject() as? String {
        let path = folder.appendingPathComponent(relative).path
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            result[relative] = Data("link:\(target)".utf8)
        } else if let data = FileManager.default.contents(atPath: path) {
            result[relative] = data
        } else {
            result[relative] = Data("folder".utf8)
        }
    }
    return result
}
