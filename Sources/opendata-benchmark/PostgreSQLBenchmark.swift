import Foundation
import OpenDataPipeline

/// `--postgresql URL --rows N`: loads N rows into a table `opendata_benchmark` (with
/// `psql`), then publishes them twice through the real engine: every row streamed,
/// and a `GROUP BY` pushed down to the server. Prints rows/s and peak RSS of each.
enum PostgreSQLBenchmark {
    static let variable = "OPENDATA_BENCHMARK_POSTGRES_URL"

    static func run(url: String, rows: Int, folder: URL) throws {
        let started = Date()
        try psql(
            url,
            "DROP TABLE IF EXISTS opendata_benchmark; "
                + "CREATE TABLE opendata_benchmark AS SELECT n AS id, 'VN-' || lpad((n % 63)::text, 2, '0') AS area_code, "
                + "2000 + n % 25 AS year, ((n % 100000) / 100.0)::numeric(12,2) AS value FROM generate_series(1, \(rows)) AS n")
        print("loaded \(rows) rows into opendata_benchmark in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        setenv(variable, url, 1)
        // The aggregate first: peak RSS only grows, so the streamed figure is read second.
        try measure(
            "pushed-down", folder: folder,
            query: "SELECT area_code, year, count(*) AS observations, sum(value) AS total FROM opendata_benchmark GROUP BY 1, 2 ORDER BY 1, 2",
            fields:
                "[{name: area_code, type: string}, {name: year, type: integer}, {name: observations, type: integer}, {name: total, type: number}]",
            sourceRows: rows)
        try measure(
            "streamed", folder: folder, query: "SELECT id, area_code, year, value FROM opendata_benchmark",
            fields: "[{name: id, type: integer}, {name: area_code, type: string}, {name: year, type: integer}, {name: value, type: number}]",
            sourceRows: rows)
    }

    private static func measure(_ name: String, folder: URL, query: String, fields: String, sourceRows: Int) throws {
        let pipelineFile = folder.appendingPathComponent("\(name).yml")
        try """
        id: benchmark-\(name)
        title: {vi: Đo hiệu năng, en: Benchmark}
        description: {vi: PostgreSQL, en: PostgreSQL}
        publisher: {name: opendata-benchmark}
        license: {name: CC0-1.0}
        baseURL: https://benchmark.example
        timeZone: Asia/Ho_Chi_Minh
        datasets:
          - id: \(name)
            title: {vi: Số liệu, en: Statistics}
            description: {vi: Số liệu, en: Statistics}
            source: {type: postgresql, connection: \(variable), query: "\(query)"}
            fields: \(fields)
            publish: [csv]

        """.write(to: pipelineFile, atomically: true, encoding: .utf8)
        let (report, seconds) = try Benchmark.publish(pipelineFile, into: folder.appendingPathComponent("Output-\(name)"))
        print(
            "\(name): source_rows=\(sourceRows) published_rows=\(report.datasets.first?.rows ?? 0) seconds=\(String(format: "%.2f", seconds)) "
                + "source_rows_per_s=\(Int(Double(sourceRows) / seconds)) peak_rss_mb=\(String(format: "%.1f", Benchmark.peakResidentMegabytes()))")
    }

    private static func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ExitCodeFailure(status: process.terminationStatus) }
    }

    struct ExitCodeFailure: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "psql failed (exit \(status)) while loading the benchmark table" }
    }
}
