import Foundation
import Testing

/// The helper that runs the tool in the end-to-end tests.
@Suite("Running a child process")
struct ProcessRunTests {
    /// A child that fills its stderr pipe (64 KiB on Linux) before writing to stdout: read one pipe
    /// after the other, it would wait for ever on the unread one.
    @Test(.timeLimit(.minutes(1))) func aChildThatFillsStderrFirstIsReadWithoutBlocking() throws {
        let result = try run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "head -c 300000 /dev/zero | tr '\\0' e >&2; echo done"],
            in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0)
        #expect(result.stdout == "done\n")
        #expect(result.stderr.utf8.count == 300_000)
        #expect(result.stderr.utf8.allSatisfy { $0 == UInt8(ascii: "e") })
    }
}
