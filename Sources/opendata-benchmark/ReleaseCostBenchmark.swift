import Foundation
import Logging
import OpenDataPipeline

#if canImport(Glibc)
    import Glibc
#endif

/// `--datasets N --changed K`: what a release costs when K of N small datasets
/// change. Builds a site of N datasets (10 a pipeline), publishes it, changes
/// one row of K datasets' sources and publishes again, then publishes once
/// more with nothing changed. For each later run it prints the wall time, the
/// bytes the new release added to disk (`du` of both releases in one call,
/// which counts a hard-linked inode once), and how many of the release's
/// files are new inodes (written) or the previous release's (linked), and
/// the CPU seconds the run used (steadier than wall time on a shared machine).
enum ReleaseCostBenchmark {
    static let datasetsPerPipeline = 10
    static let rowsPerDataset = 48

    static func run(datasets: Int, changed: Int, folder: URL) throws {
        let pipelineCount = max(1, (datasets + datasetsPerPipeline - 1) / datasetsPerPipeline)
        var files: [URL] = []
        for index in 0..<pipelineCount {
            let id = String(format: "p%03d", index)
            let pipelineFolder = folder.appendingPathComponent(id)
            try FileManager.default.createDirectory(at: pipelineFolder, withIntermediateDirectories: true)
            let count = min(datasetsPerPipeline, datasets - index * datasetsPerPipeline)
            for dataset in 0..<count {
                try source(seed: index * datasetsPerPipeline + dataset, change: 0)
                    .write(to: pipelineFolder.appendingPathComponent("d\(dataset).csv"), atomically: true, encoding: .utf8)
            }
            let file = pipelineFolder.appendingPathComponent("\(id).yml")
            try pipeline(id: id, datasets: count).write(to: file, atomically: true, encoding: .utf8)
            files.append(file)
        }
        print("site: \(pipelineCount) pipelines × \(datasetsPerPipeline) datasets of \(rowsPerDataset) rows = \(datasets) datasets")
        // The digest cache remembers only files older than two seconds; a real site's sources are.
        sleep(3)
        let output = folder.appendingPathComponent("Output")
        let first = try publish(files, into: output)
        print(
            "first run: seconds=\(String(format: "%.2f", first.report.seconds)) cpu_seconds=\(String(format: "%.2f", first.cpu)) "
                + "release \(first.report.releaseID ?? "none")")
        sleep(3)
        for index in 0..<min(changed, datasets) {
            let pipelineIndex = index * max(1, pipelineCount / max(changed, 1)) % pipelineCount
            let url = folder.appendingPathComponent(String(format: "p%03d", pipelineIndex)).appendingPathComponent("d0.csv")
            try source(seed: pipelineIndex * datasetsPerPipeline, change: 1).write(to: url, atomically: true, encoding: .utf8)
        }
        let second = try publish(files, into: output)
        try describe("changed \(changed)", second, previous: first.report.releaseID, output: output)
        sleep(3)
        let third = try publish(files, into: output)
        try describe("no change", third, previous: second.report.releaseID, output: output)
    }

    static func publish(_ files: [URL], into output: URL) throws -> (report: RunReport, cpu: Double) {
        let before = cpuSeconds()
        let loader = PipelineLoader()
        let pipelines = try files.map { try loader.load(path: $0.path) }
        let runner = PipelineRunner(output: output, logger: Logger(label: "benchmark") { _ in SwiftLogNoOpLogHandler() })
        let report = try runner.run(pipelines)
        return (report, cpuSeconds() - before)
    }

    /// User and system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func describe(_ label: String, _ run: (report: RunReport, cpu: Double), previous: String?, output: URL) throws {
        let report = run.report
        let seconds = String(format: "%.2f", report.seconds) + " cpu_seconds=" + String(format: "%.2f", run.cpu)
        guard let id = report.releaseID, let previous else {
            print("\(label): seconds=\(seconds) added_kb=0 files_written=0 files_linked=0 (nothing published: unchanged)")
            return
        }
        let releases = output.appendingPathComponent("releases")
        let new = releases.appendingPathComponent(id)
        let old = releases.appendingPathComponent(previous)
        var written = 0
        var linked = 0
        let enumerator = FileManager.default.enumerator(atPath: new.path)
        while let relative = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: new.appendingPathComponent(relative).path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let inode = attributes[.systemFileNumber] as? NSNumber
            let before = try? FileManager.default.attributesOfItem(atPath: old.appendingPathComponent(relative).path)
            if let inode, before?[.systemFileNumber] as? NSNumber == inode { linked += 1 } else { written += 1 }
        }
        print(
            "\(label): seconds=\(seconds) added_kb=\(try addedKilobytes(new, after: old)) files_written=\(written) "
                + "files_linked=\(linked) carried_forward=\(report.carriedForward.count) skipped=\(report.skipped.count) "
                + "changed_files=\(report.changedFiles.count)")
    }

    /// The kilobytes `du` counts for `new` after counting `old` (an inode is counted once per call).
    static func addedKilobytes(_ new: URL, after old: URL) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/du")
        process.arguments = ["-sk", old.path, new.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n")
        guard lines.count == 2, let kilobytes = lines[1].split(separator: "\t").first.flatMap({ Int($0) }) else { return -1 }
        return kilobytes
    }

    /// A small long-format table; `change` alters the first row's value.
    static func source(seed: Int, change: Int) -> String {
        var lines = ["area_code,year,value"]
        for row in 0..<rowsPerDataset {
            let value = (seed * 7919 + row * 104_729) % 100_000 + (row == 0 ? change : 0)
            lines.append(String(format: "%02d,%d,%d.%d", row % 12 + 1, 2000 + row / 12, value / 10, value % 10))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func pipeline(id: String, datasets: Int) -> String {
        var text = """
            id: \(id)
            title: {vi: Bộ \(id), en: Set \(id)}
            description: {vi: Số liệu nhỏ, en: Small statistics}
            publisher: {name: opendata-benchmark}
            license: {name: CC0-1.0}
            baseURL: https://benchmark.example
            timeZone: Asia/Ho_Chi_Minh
            datasets:

            """
        for dataset in 0..<datasets {
            text += """
                  - id: d\(dataset)
                    title: {vi: Bảng \(dataset), en: Table \(dataset)}
                    description: {vi: Theo tỉnh và năm, en: By province and year}
                    source: {type: csv, path: d\(dataset).csv}
                    primaryKey: [area_code, year]
                    feed: {vi: "Tỉnh {area_code}, {year}: {value}", en: "Province {area_code}, {year}: {value}"}
                    fields:
                      - {name: area_code, type: string, required: true}
                      - {name: year, type: year, required: true}
                      - {name: value, type: number}

                """
        }
        return text
    }
}
