import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `--compare`: the same two conversions done by DuckDB (the `duckdb` Python package) on the
/// same input in the same run, `COPY (SELECT * FROM read_csv(…)) TO '….csv'` and then
/// `TO '….json' (FORMAT json, ARRAY true)`, timed inside the child (interpreter start-up and
/// import excluded), with the child's peak RSS from `wait4`.
///
/// The package lives in a virtual environment outside the repository, made on first use:
/// `$OPENDATA_BENCHMARK_DUCKDB_PYTHON` when set, else `~/.cache/opendata-benchmark/duckdb-venv`.
enum DuckDBComparison {
    struct Figures {
        var seconds: Double
        var peakResidentMegabytes: Double
    }

    static let script = """
        import sys, time, duckdb
        source, folder, report = sys.argv[1:4]
        quote = lambda path: "'" + path.replace("'", "''") + "'"
        connection = duckdb.connect()
        started = time.perf_counter()
        connection.execute(f"COPY (SELECT * FROM read_csv({quote(source)})) TO {quote(folder + '/duckdb.csv')}")
        connection.execute(f"COPY (SELECT * FROM read_csv({quote(source)})) TO {quote(folder + '/duckdb.json')} (FORMAT json, ARRAY true)")
        elapsed = time.perf_counter() - started
        open(report, "w").write(repr(elapsed))

        """

    static func run(source: URL, folder: URL) throws -> Figures {
        let python = try interpreter()
        let scriptFile = folder.appendingPathComponent("duckdb-compare.py")
        let reportFile = folder.appendingPathComponent("duckdb-seconds.txt")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        let work = folder.appendingPathComponent("duckdb")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let usage = try spawnAndWait(python, [scriptFile.path, source.resolvingSymlinksInPath().path, work.path, reportFile.path])
        let text = try String(contentsOf: reportFile, encoding: .utf8)
        guard let seconds = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure(description: "DuckDB's child wrote '\(text)' instead of its seconds")
        }
        try? FileManager.default.removeItem(at: work)
        return Figures(seconds: seconds, peakResidentMegabytes: Double(usage.ru_maxrss) / 1024)
    }

    /// The venv's Python, made (and `duckdb` installed) when missing.
    static func interpreter() throws -> String {
        if let given = ProcessInfo.processInfo.environment["OPENDATA_BENCHMARK_DUCKDB_PYTHON"] { return given }
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"] ?? ((environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache")
        let venv = cache + "/opendata-benchmark/duckdb-venv"
        let python = venv + "/bin/python"
        if FileManager.default.isExecutableFile(atPath: python),
            (try? spawnAndWait(python, ["-c", "import duckdb"])) != nil
        {
            return python
        }
        print("installing duckdb into \(venv) (once)")
        try FileManager.default.createDirectory(atPath: cache + "/opendata-benchmark", withIntermediateDirectories: true)
        _ = try spawnAndWait("/usr/bin/env", ["python3", "-m", "venv", venv])
        _ = try spawnAndWait(python, ["-m", "pip", "install", "--quiet", "duckdb"])
        return python
    }

    /// Runs `program` with `arguments`, waits for it, and returns its resource usage; a failure when it does not exit 0.
    static func spawnAndWait(_ program: String, _ arguments: [String]) throws -> rusage {
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, nil, nil, &argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(program): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { throw Failure(description: "wait4 failed for \(program)") }
        }
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
        return usage
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}
