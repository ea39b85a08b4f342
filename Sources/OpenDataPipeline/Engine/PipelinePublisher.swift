import Foundation
import Logging

/// Writes one pipeline's folder of a release: each dataset's data files, the
/// `datapackage.json` describing them, and the feeds.
struct PipelinePublisher {
    let pipeline: Pipeline
    let release: ReleaseInfo
    let folder: URL
    /// The same pipeline's folder in the current release, for the feed history.
    let previousFolder: URL?
    let logger: Logger
    /// Where the issues of every dataset are collected; the runner publishes nothing if it holds an error.
    var collector: ValidationCollector? = nil

    static let feedFiles: [Language: String] = [.vi: "feed.rss", .en: "feed.en.rss"]

    func publish() throws(PipelineFailure) -> [RunReport.DatasetReport] {
        let data = folder.appendingPathComponent("data")
        do {
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.cannotPublish(path: data.path, reason: "cannot create the folder: \(error)")
        }
        var reports: [RunReport.DatasetReport] = []
        var files: [String: [PublishedFile]] = [:]
        var newItems: [Language: [FeedItem]] = [:]
        let tables = PipelineTables(
            wanted: pipeline.referencedDatasets, previousRelease: previousFolder,
            today: PipelineTables.day(of: release.date, in: pipeline.timeZone))
        for dataset in pipeline.datasets {
            collector?.begin(pipeline: pipeline.id, dataset: dataset.id)
            var writers: [any DatasetWriter] = []
            for format in dataset.formats where format != .rss {
                let relative = "data/\(dataset.id).\(format.rawValue)"
                let path = folder.appendingPathComponent(relative).path
                switch format {
                case .csv:
                    writers.append(try CSVWriter(schema: dataset.schema, path: path, relativePath: relative))
                case .json:
                    let metadata = MetadataDocument.dataset(dataset, pipeline: pipeline, release: release)
                    writers.append(
                        try JSONWriter(schema: dataset.schema, metadata: metadata, path: path, relativePath: relative))
                case .rss:
                    break
                }
            }
            let summary = FeedSummary()
            let rows = try DatasetFlow(dataset: dataset, collector: collector, tables: tables).run(into: writers + [summary])
            collector?.finish(rows: rows)
            let written = try writers.map { writer throws(PipelineFailure) in try writer.finish() }
            files[dataset.id] = written
            reports.append(.init(pipeline: pipeline.id, dataset: dataset.id, rows: rows, files: written))
            logger.info(
                "dataset written",
                metadata: ["pipeline": "\(pipeline.id)", "dataset": "\(dataset.id)", "rows": "\(rows)"])
            if dataset.formats.contains(.rss), let template = dataset.feedTemplate {
                for language in Language.allCases {
                    newItems[language, default: []].append(
                        item(for: dataset, summary: summary, template: template, files: written, language: language))
                }
            }
        }
        var package = try JSONWriter.serialize(
            MetadataDocument.dataPackage(pipeline, files: files, release: release),
            path: folder.appendingPathComponent("datapackage.json").path, pretty: true)
        package.append(0x0A)
        _ = try BufferedFileWriter.write(package, to: folder.appendingPathComponent("datapackage.json").path)
        if !newItems.isEmpty {
            for language in Language.allCases {
                try writeFeed(language: language, newItems: newItems[language] ?? [])
            }
        }
        return reports
    }

    private func item(
        for dataset: Dataset, summary: FeedSummary, template: FeedTemplate, files: [PublishedFile], language: Language
    ) -> FeedItem {
        let host = URL(string: pipeline.baseURL)?.host ?? "localhost"
        let day = FeedDate.day(release.date, in: pipeline.timeZone)
        let main = files.first { $0.format == .csv } ?? files.first
        let link = main.map { "\(pipeline.folderURL)/\($0.path)" } ?? pipeline.folderURL + "/"
        let languageTag = language == .vi ? "" : ":\(language.rawValue)"
        return FeedItem(
            title: dataset.title[language],
            link: link,
            description: summary.sentence(template, language: language),
            guid: "tag:\(host),\(day):\(pipeline.id)/\(dataset.id)/\(release.id)\(languageTag)",
            pubDate: FeedDate.rfc822(release.date, in: pipeline.timeZone),
            enclosure: main.map { .init(url: "\(pipeline.folderURL)/\($0.path)", length: $0.bytes, type: $0.mediaType) })
    }

    private func writeFeed(language: Language, newItems: [FeedItem]) throws(PipelineFailure) {
        let name = Self.feedFiles[language] ?? "feed.rss"
        var history: [FeedItem] = []
        if let previous = previousFolder?.appendingPathComponent(name),
            let data = FileManager.default.contents(atPath: previous.path)
        {
            do {
                history = try RSSWriter.items(inFeed: [UInt8](data), source: previous.path)
            } catch {
                logger.warning("the previous feed could not be read; starting a new history", metadata: ["feed": "\(previous.path)", "error": "\(error)"])
            }
        }
        let channel = RSSWriter.Channel(
            title: pipeline.title[language],
            link: pipeline.folderURL + "/",
            description: pipeline.description[language],
            language: language,
            selfURL: "\(pipeline.folderURL)/\(name)",
            lastBuildDate: FeedDate.rfc822(release.date, in: pipeline.timeZone))
        let path = folder.appendingPathComponent(name).path
        let bytes: [UInt8]
        do {
            bytes = try RSSWriter.document(channel: channel, items: newItems + history)
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "\(error)")
        }
        _ = try BufferedFileWriter.write(bytes, to: path)
    }
}
