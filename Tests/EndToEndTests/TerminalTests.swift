import Foundation
import Testing

/// On a terminal: a progress line and a coloured summary; never colours with
/// NO_COLOR; nothing of either when the output is not a terminal (cron).
@Suite("Terminal, end to end")
struct TerminalTests {
    /// Runs `opendata arguments` under a pseudo-terminal with `script(1)` and returns what it printed.
    private func underTerminal(_ arguments: [String], in workspace: Workspace, environment: [String: String] = [:]) throws -> String {
        let command = ([opendataExecutable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let result = try run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], in: workspace.url, environment: environment)
        #expect(result.status == 0, "\(result.stdout)")
        return result.stdout
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) from util-linux"))
    func showsProgressAndColoursOnlyOnATerminal() throws {
        let workspace = try Workspace()
        let terminal = try underTerminal(["run", "--output", "A"], in: workspace, environment: ["NO_COLOR": ""])
        #expect(terminal.contains("reading vietnam-digital-government/"))
        #expect(terminal.contains("rows/s"))
        #expect(terminal.contains("\u{1B}[32mpublished\u{1B}[0m"))
        let plain = try underTerminal(["run", "--output", "B"], in: workspace, environment: ["NO_COLOR": "1"])
        #expect(!plain.contains("\u{1B}[32m"))
        #expect(plain.contains("published release"))
        let piped = try opendata(["run", "--output", "C"], in: workspace.url)
        #expect(!piped.stdout.contains("\u{1B}["))
        #expect(!piped.stderr.contains("reading "))
        #expect(piped.stderr.contains("release published"))  // cron keeps the log lines
    }
}

@Suite("Shell completion, end to end")
struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func printsACompletionScriptForEachShell(shell: String) throws {
        let workspace = try Workspace()
        let result = try opendata(["--generate-completion-script", shell], in: workspace.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("opendata"))
        #expect(result.stdout.contains("serve"))
    }
}
