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

/// Each shell's completion script offers every subcommand and every subcommand's long
/// options, as `--experimental-dump-help` declares them.
@Suite("Shell completion, end to end")
struct CompletionTests {
    /// The subcommands (`help` included) and each one's long option names, from the tool's own description.
    private static func declaredCommands(in workspace: Workspace) throws -> [(name: String, options: [String])] {
        let dump = try opendata(["--experimental-dump-help"], in: workspace.url)
        #expect(dump.status == 0, "\(dump.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let root = try #require(json["command"] as? [String: Any])
        let subcommands = try #require(root["subcommands"] as? [[String: Any]])
        return subcommands.compactMap { command in
            guard let name = command["commandName"] as? String else { return nil }
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            let options = arguments.flatMap { argument in
                (argument["names"] as? [[String: String]] ?? []).filter { $0["kind"] == "long" }.compactMap { $0["name"] }
            }
            return (name, options)
        }
    }

    private func script(_ shell: String, in workspace: Workspace) throws -> String {
        let result = try opendata(["--generate-completion-script", shell], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func bashCompletesEverySubcommandAndItsOptions() throws {
        let workspace = try Workspace()
        let commands = try Self.declaredCommands(in: workspace)
        #expect(
            commands.map(\.name) == [
                "run", "validate", "list", "inspect", "releases", "rollback", "verify", "serve", "calendar", "release-due", "held", "cancel-held",
                "asof", "help",
            ])
        let script = workspace.url.appendingPathComponent("opendata.bash")
        try self.script("bash", in: workspace).write(to: script, atomically: true, encoding: .utf8)
        // Loads the script as an interactive shell with bash-completion would (extglob on), then
        // calls the function `complete -p` names for each command line, the cursor at its end.
        let lines = ["opendata "] + commands.filter { $0.name != "help" }.map { "opendata \($0.name) --" }
        let driver = """
            shopt -s extglob
            source "$1"
            function=$(complete -p opendata | sed -E 's/.* -F ([^ ]+) .*/\\1/') || exit 1
            shift
            for line in "$@"; do
              COMP_LINE="$line"; COMP_POINT=${#line}
              read -ra COMP_WORDS <<< "$line"
              [[ "$line" == *" " ]] && COMP_WORDS+=("")
              COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
              COMPREPLY=()
              "$function" opendata "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
              printf '%s|%s\\n' "$line" "${COMPREPLY[*]}"
            done
            """
        let result = try run(URL(fileURLWithPath: "/bin/bash"), ["-c", driver, "bash", script.path] + lines, in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        var offered: [String: Set<String>] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            offered[String(parts[0])] = Set((parts.count > 1 ? parts[1] : "").split(separator: " ").map(String.init))
        }
        #expect(Set(commands.map(\.name)).subtracting(offered["opendata ", default: []]).isEmpty, "\(result.stdout)")
        for command in commands where command.name != "help" {
            let options = Set(command.options.map { "--\($0)" })
            #expect(!options.isEmpty)
            let missing = options.subtracting(offered["opendata \(command.name) --", default: []])
            #expect(missing.isEmpty, "opendata \(command.name): not completed: \(missing.sorted())")
        }
    }

    @Test func zshNamesEverySubcommandAndItsOptions() throws {
        let workspace = try Workspace()
        let commands = try Self.declaredCommands(in: workspace)
        let script = try self.script("zsh", in: workspace)
        #expect(script.hasPrefix("#compdef opendata\n"))
        for command in commands {
            #expect(script.contains("'\(command.name):"), "zsh lists no subcommand \(command.name)")
            // The subcommand's own function, up to the closing brace at the start of a line.
            guard let start = script.range(of: "\n_opendata_\(command.name)() {\n"),
                let end = script.range(of: "\n}\n", range: start.upperBound..<script.endIndex)
            else {
                Issue.record("zsh has no function _opendata_\(command.name)")
                continue
            }
            let body = script[start.upperBound..<end.lowerBound]
            for option in command.options where command.name != "help" {
                #expect(
                    body.contains("'--\(option)[") || body.contains("'*--\(option)[") || body.contains("{--\(option),")
                        || body.contains(",--\(option)}"),
                    "zsh: _opendata_\(command.name) does not complete --\(option)")
            }
        }
    }

    @Test func fishNamesEverySubcommandAndItsOptions() throws {
        let workspace = try Workspace()
        let commands = try Self.declaredCommands(in: workspace)
        let lines = try script("fish", in: workspace).split(separator: "\n").filter { $0.hasPrefix("complete -c 'opendata'") }
        for command in commands {
            #expect(lines.contains { $0.contains("-fa '\(command.name)'") }, "fish offers no subcommand \(command.name)")
            for option in command.options where command.name != "help" {
                #expect(
                    lines.contains { $0.contains("\"opendata \(command.name)\"") && $0.contains("-l '\(option)'") },
                    "fish: opendata \(command.name) does not complete --\(option)")
            }
        }
    }
}
