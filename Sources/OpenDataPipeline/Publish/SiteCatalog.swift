import Foundation

/// The site-wide files of a release, built from what every pipeline folder
/// holds (so pipelines carried forward are included as published):
/// `catalog.json` (every pipeline, dataset and file URL), `catalog.jsonld`
/// (a DCAT-AP catalogue in JSON-LD for CKAN's DCAT harvester) and the site
/// feeds (every pipeline's history merged, newest first).
struct SiteCatalog {
    let folder: URL
    let release: ReleaseInfo
    /// The site's identity (``SiteDefinition``); without one, its fallback from the pipelines.
    var site: SiteDefinition? = nil

    struct PipelineFolder {
        var id: String
        var package: DataPackage
        var history: FeedHistory
    }

    /// Every folder of the release with a `datapackage.json`; one that does not decode
    /// (or whose `history.json` does not) is an error naming the file.
    func pipelineFolders() throws(PipelineFailure) -> [PipelineFolder] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var folders: [PipelineFolder] = []
        for name in names.sorted() {
            let base = folder.appendingPathComponent(name)
            guard let package = try DataPackage.read(pipelineFolder: base) else { continue }
            let history = try FeedHistory.read(pipelineFolder: base) ?? FeedHistory(entries: [])
            folders.append(PipelineFolder(id: name, package: package, history: history))
        }
        return folders
    }

    func write() throws(PipelineFailure) {
        let pipelines = try pipelineFolders()
        let identity: SiteDefinition
        if let site { identity = site } else { identity = try SiteDefinition.fallback(pipelines, expectedFile: SiteDefinition.fileName) }
        let site = identity.baseURL
        var catalog = catalog(pipelines, site: site)
        catalog["siteIdentity"] = identity.record
        try save(JSONWriter.serialize(catalog, path: ReleaseLayout.catalog, pretty: true), ReleaseLayout.catalog)
        let dcat = DCATCatalog(pipelines: pipelines, site: identity, release: release).document()
        try save(JSONWriter.serialize(dcat, path: ReleaseLayout.catalogLD, pretty: true), ReleaseLayout.catalogLD)
        let entries = pipelines.flatMap(\.history.entries).sorted {
            ($0.timestamp, $0.id) > ($1.timestamp, $1.id)
        }
        // Title, id and self links are the site's: adding a pipeline never changes them.
        let name = identity.publisher.name
        let scope = FeedRenderer.Scope(
            title: identity.title,
            description: LocalizedText(vi: "Mọi lần công bố dữ liệu của \(name)", en: "Every data publication of \(name)"),
            homeURL: site + "/", folderURL: site, stem: ReleaseLayout.feedStem, id: identity.feedID,
            publisher: identity.publisher,
            updated: entries.first?.date ?? release.date,
            timeZone: entries.first?.zone ?? TimeZone(identifier: "UTC")!)
        do {
            for file in try FeedRenderer.render(scope, entries: entries) { try save(file.bytes, file.path) }
        } catch let failure as PipelineFailure {
            throw failure
        } catch {
            throw PipelineFailure.cannotPublish(path: folder.appendingPathComponent("feed.rss").path, reason: "\(error)")
        }
    }

    private func save(_ bytes: [UInt8], _ name: String) throws(PipelineFailure) {
        var bytes = bytes
        if bytes.last != 0x0A { bytes.append(0x0A) }
        _ = try BufferedFileWriter.write(bytes, to: folder.appendingPathComponent(name).path)
    }

    private func catalog(_ pipelines: [PipelineFolder], site: String) -> [String: Any] {
        [
            "generator": "opendata-pipeline \(ToolVersion.current)",
            "release": release.id,
            "site": site,
            "feeds": feedLinks(base: site, stem: ReleaseLayout.feedStem),
            "pipelines": pipelines.map { pipeline -> [String: Any] in
                let base = pipeline.package.homepage
                // The pipeline's own files (its SQLite database) belong to no dataset.
                let datasets = Dictionary(grouping: pipeline.package.resources.filter { $0.dataset != nil }) { $0.dataset ?? "" }
                var entry: [String: Any] = [
                    "id": pipeline.id,
                    "title": MetadataDocument.localized(pipeline.package.titles),
                    "description": MetadataDocument.localized(pipeline.package.descriptions),
                    "url": base,
                    "datapackage": "\(base)/\(ReleaseLayout.dataPackage)",
                    "feeds": feedLinks(base: base, stem: ReleaseLayout.feedStem),
                    "datasets": datasets.keys.sorted().map { id -> [String: Any] in
                        let files = datasets[id] ?? []
                        let first = files.first
                        return [
                            "id": id,
                            "title": first.map { MetadataDocument.localized($0.titles) } ?? [:],
                            "description": first.map { MetadataDocument.localized($0.descriptions) } ?? [:],
                            "dataModified": first?.dataModified ?? NSNull(),
                            "metadataModified": first?.metadataModified ?? NSNull(),
                            "feeds": feedLinks(base: base, stem: ReleaseLayout.feedStem(id)),
                            "files": files.map { file -> [String: Any] in
                                ["url": "\(base)/\(file.path)", "format": file.format, "mediatype": file.mediatype, "bytes": file.bytes]
                            },
                        ]
                    },
                ]
                // The database, when the pipeline publishes one (`database: false` publishes none).
                if pipeline.package.resources.contains(where: { $0.path == ReleaseLayout.database(pipeline.id) }) {
                    entry["database"] = "\(base)/\(ReleaseLayout.database(pipeline.id))"
                }
                return entry
            },
        ]
    }

    private func feedLinks(base: String, stem: String) -> [String: String] {
        [
            "rss": "\(base)/\(stem).rss", "rss_en": "\(base)/\(stem).en.rss",
            "atom": "\(base)/\(stem).atom", "atom_en": "\(base)/\(stem).en.atom",
            "json": "\(base)/\(stem).json", "json_en": "\(base)/\(stem).en.json",
        ]
    }
}
