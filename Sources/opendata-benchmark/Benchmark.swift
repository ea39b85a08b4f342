import ArgumentParser
import Foundation
import Logging
import OpenDataPipeline

#if canImport(Glibc)
    import Glibc
#endif

/// Measures the real engine: CSV → typed and validated rows → CSV + JSON.
///
/// Prints figures; asserts nothing. Build with `-c release` for numbers worth quoting.
@main
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opendata-benchmark",
        abstract: "Time the pipeline on long-format statistics and report throughput and peak memory.")

    @Option(help: "Rows of synthetic data to generate (ignored with --input).")
    var rows = 1_000_000

    @Option(help: "A CSV file with the columns indicator_code, indicator_name, area_code, area_name, year, value, unit, status.")
    var input: String?

    @Option(help: "Keep the generated data and the release in this folder (default: a temporary folder, removed afterwards).")
    var output: String?

    @Option(help: "A PostgreSQL URL: load --rows rows there (with psql) and time them streamed and aggregated on the server.")
    var postgresql: String?

    @Option(help: "Publish a site of this many small datasets, change --changed of them, publish again, and report what the release cost.")
    var datasets: Int?

    @Option(help: "With --datasets: how many datasets change between the two runs.")
    var changed = 1

    @Option(help: "Time the streaming SDMX reader against a bare libxml2 reader loop on a generated message of this many MB.")
    var sdmxMegabytes: Int?

    @Flag(help: "Also run DuckDB (Python package, in a venv made on demand) on the same input; the last line compares the two.")
    var compare = false

    @Option(
        name: .customLong("repeat"),
        help: "Run the publication (and DuckDB, with --compare) this many times, alternately; the figures are each side's fastest run.")
    var repetitions = 1

    func run() throws {
        let folder = URL(fileURLWithPath: output ?? NSTemporaryDirectory() + "opendata-benchmark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if output == nil { try? FileManager.default.removeItem(at: folder) } }
        if let postgresql { return try PostgreSQLBenchmark.run(url: postgresql, rows: rows, folder: folder) }
        if let datasets { return try ReleaseCostBenchmark.run(datasets: datasets, changed: changed, folder: folder) }
        if let sdmxMegabytes { return try SDMXBenchmark.run(megabytes: sdmxMegabytes, folder: folder) }

        // Pipeline paths are relative to the pipeline file, so a given input is linked beside it.
        let source = folder.appendingPathComponent("statistics.csv")
        if let input {
            try FileManager.default.createSymbolicLink(
                at: source, withDestinationURL: URL(fileURLWithPath: input).standardizedFileURL)
        } else {
            let started = Date()
            try SyntheticStatistics.write(rows: rows, to: source)
            print("generated \(rows) rows in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        }
        let bytes = (try FileManager.default.attributesOfItem(atPath: source.resolvingSymlinksInPath().path)[.size] as? NSNumber)?.doubleValue ?? 0

        let pipelineFile = folder.appendingPathComponent("benchmark.yml")
        try Self.pipeline(source: source.lastPathComponent).write(to: pipelineFile, atomically: true, encoding: .utf8)
        // A given input lies outside the folder: its own folder is allowed as a root (--allow-root).
        let roots = input.map { [URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent().path] } ?? []
        // Each side runs `repetitions` times, the two taking turns to go first, so that neither always meets the other's page cache;
        // a run's release is removed before the next (outside the timing).
        var times: [Double] = []
        var peaks: [Double] = []
        var duckdbTimes: [Double] = []
        var duckdbPeak = 0.0
        var report: RunReport?
        func compareWithDuckDB() throws {
            let duckdb = try DuckDBComparison.run(source: source, folder: folder)
            duckdbTimes.append(duckdb.seconds)
            duckdbPeak = max(duckdbPeak, duckdb.peakResidentMegabytes)
        }
        for run in 0..<max(1, repetitions) {
            // DuckDB goes first on odd runs.
            if compare, run % 2 == 1 { try compareWithDuckDB() }
            let releases = folder.appendingPathComponent("Output")
            // Every run publishes from nothing (a kept release would be skipped as unchanged).
            try? FileManager.default.removeItem(at: releases)
            // Each run's own peak: Linux resets the process's high-water mark on request.
            let resettable = Self.resetPeakResident()
            let (published, seconds) = try Self.publish(pipelineFile, into: releases, allowedRoots: roots)
            report = report ?? published
            times.append(seconds)
            peaks.append(resettable ? Self.residentHighWaterMegabytes() ?? Self.peakResidentMegabytes() : Self.peakResidentMegabytes())
            if compare, run % 2 == 0 { try compareWithDuckDB() }
            if repetitions > 1 {
                print(
                    "run \(run + 1): opendata_seconds=\(String(format: "%.2f", seconds)) opendata_peak_rss_mb=\(String(format: "%.1f", peaks[run]))"
                        + (compare ? " duckdb_seconds=\(String(format: "%.2f", duckdbTimes[run]))" : ""))
            }
        }
        let seconds = times.min() ?? 0
        // The peak quoted is the first run's, a fresh process's: a later run starts with the memory the
        // allocator kept from the earlier ones (each run's own is printed above).
        let published = report?.datasets.first
        for file in published?.files ?? [] {
            print("wrote \(file.path): \(String(format: "%.1f", Double(file.bytes) / 1_048_576)) MB")
        }
        let megabytes = bytes / 1_048_576
        print(
            "rows=\(published?.rows ?? 0) input_mb=\(String(format: "%.1f", megabytes)) "
                + "seconds=\(String(format: "%.2f", seconds)) mb_per_s=\(String(format: "%.1f", megabytes / seconds)) "
                + "peak_rss_mb=\(String(format: "%.1f", peaks.first ?? 0))")
        if compare, let duckdbSeconds = duckdbTimes.min() {
            print(
                "compare: opendata_seconds=\(String(format: "%.2f", seconds)) duckdb_seconds=\(String(format: "%.2f", duckdbSeconds)) "
                    + "ratio=\(String(format: "%.2f", seconds / duckdbSeconds)) "
                    + "opendata_peak_rss_mb=\(String(format: "%.1f", peaks.first ?? 0)) "
                    + "duckdb_peak_rss_mb=\(String(format: "%.1f", duckdbPeak))")
        }
    }

    /// Loads the pipeline file and publishes it into `output` with the real engine: its report and the seconds taken.
    static func publish(_ pipelineFile: URL, into output: URL, allowedRoots: [String] = []) throws -> (RunReport, Double) {
        let pipeline = try PipelineLoader(allowedRoots: allowedRoots).load(path: pipelineFile.path)
        let runner = PipelineRunner(output: output, logger: Logger(label: "benchmark") { _ in SwiftLogNoOpLogHandler() })
        let started = ContinuousClock.now
        let report = try runner.run([pipeline])
        let elapsed = ContinuousClock.now - started
        return (report, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Resets the process's resident high-water mark (`/proc/self/clear_refs`, Linux 4.0 on); false where it cannot.
    static func resetPeakResident() -> Bool {
        FileManager.default.isWritableFile(atPath: "/proc/self/clear_refs")
            && (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
    }

    /// The resident high-water mark since the last reset (`VmHWM` in `/proc/self/status`), in MB.
    static func residentHighWaterMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }

    /// The process's peak resident set size (Linux reports `ru_maxrss` in KiB).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func pipeline(source: String) -> String {
        let quoted = "'" + source.replacingOccurrences(of: "'", with: "''") + "'"
        return """
            id: benchmark
            title: {vi: Đo hiệu năng, en: Benchmark}
            description: {vi: Số liệu tổng hợp, en: Synthetic statistics}
            publisher: {name: opendata-benchmark}
            license: {name: CC0-1.0}
            baseURL: https://benchmark.example
            timeZone: Asia/Ho_Chi_Minh
            # The measured job is CSV + JSON + JSON Schema, as DuckDB's two conversions are.
            database: false
            datasets:
              - id: statistics
                title: {vi: Số liệu, en: Statistics}
                description: {vi: Số liệu dạng dài, en: Long-format statistics}
                source: {type: csv, path: \(quoted)}
                fields:
                  - {name: indicator_code, type: string, required: true}
                  - {name: indicator_name, type: string, required: true}
                  - {name: area_code, type: string, required: true}
                  - {name: area_name, type: string, required: true}
                  - {name: year, type: year, required: true}
                  - {name: value, type: number, minimum: 0}
                  - {name: unit, type: string}
                  - {name: status, type: string, required: true}
                publish: [csv, json]

            """
    }
}
