import Foundation
import OpenDataPipeline
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What the terminal can show: colours only on a terminal and never with
/// `NO_COLOR` (no-color.org); progress only when stderr is a terminal, so
/// cron and pipes stay quiet.
enum Terminal {
    static var colours: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) != false
    }

    static var interactive: Bool { isatty(STDERR_FILENO) == 1 }

    /// `text` with every control character but line feed and tab (C0, DEL, C1) and the
    /// bidirectional overrides shown as escapes such as `\u{1b}`: nothing read from a
    /// source or a pipeline file can move the cursor, retitle the window or reorder a line.
    static func safe(_ text: String) -> String {
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let control = (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F...0x9F).contains(value)
            let override = (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            if control || override {
                shown.append(contentsOf: "\\u{\(String(value, radix: 16))}".unicodeScalars)
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }

    /// `text` in green (`32`), red (`31`) or bold (`1`) when colours are on.
    static func paint(_ text: String, _ code: String) -> String {
        colours ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// A one-line progress display on stderr: dataset, rows read, rows per second;
/// redrawn at most ten times a second and erased when the run ends.
final class ProgressLine: Sendable {
    private struct State {
        var started = ContinuousClock.now
        var lastDrawn = ContinuousClock.now - .seconds(1)
        var dataset = ""
        var drawn = false
    }

    private let state = Mutex(State())

    func update(_ progress: RunProgress) {
        let line: String? = state.withLock { state in
            let now = ContinuousClock.now
            let name = "\(progress.pipeline)/\(progress.dataset)"
            if name != state.dataset {
                state.dataset = name
                state.started = now
            }
            guard now - state.lastDrawn >= .milliseconds(100) else { return nil }
            state.lastDrawn = now
            state.drawn = true
            let elapsed = now - state.started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = seconds > 0 ? Int(Double(progress.rowsRead) / seconds) : 0
            return "\r\u{1B}[K  reading \(name): \(progress.rowsRead) rows (\(rate) rows/s)"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        let drawn = state.withLock { $0.drawn }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
