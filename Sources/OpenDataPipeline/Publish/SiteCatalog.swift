import Foundation

/// The site-wide files of a release, built from what every pipeline folder
/// holds (so pipelines carried forward are included as published):
/// `catalog.json` (every pipeline, dataset and file URL), `catalog.jsonld`
/// (a DCAT-AP catalogue in JSON-LD for CKAN's DCAT harvester) and the site
/// feeds (every pipeline's history merged, newest first).
struct SiteCatalog {
    let folder: URL
    let release: ReleaseInfo

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

    /// The site's root URL: the common prefix of the pipelines' folder URLs.
    static func siteURL(_ pipelines: [PipelineFolder]) -> String {
        guard let homepage = pipelines.first?.package.homepage, let id = pipelines.first?.id, homepage.hasSuffix("/\(id)")
        else { return "https://localhost" }
        return String(homepage.dropLast(id.count + 1))
    }

    func write() throws(PipelineFailure) {
        let pipelines = try pipelineFolders()
        let site = Self.siteURL(pipelines)
        try save(JSONWriter.serialize(catalog(pipelines, site: site), path: ReleaseLayout.catalog, pretty: true), ReleaseLayout.catalog)
        try save(JSONWriter.serialize(dcat(pipelines, site: site), path: ReleaseLayout.catalogLD, pretty: true), ReleaseLayout.catalogLD)
        let entries = pipelines.flatMap(\.history.entries).sorted {
            ($0.timestamp, $0.id) > ($1.timestamp, $1.id)
        }
        let publishers = Set(pipelines.compactMap { $0.package.contributors.first?.title })
        let publisherName = publishers.sorted().joined(separator: "; ")
        let host = URL(string: site)?.host ?? "localhost"
        let scope = FeedRenderer.Scope(
            title: LocalizedText(vi: "Dữ liệu mở", en: "Open data"),
            description: LocalizedText(
                vi: "Mọi lần công bố dữ liệu của \(publisherName)", en: "Every data publication of \(publisherName)"),
            homeURL: site + "/", folderURL: site, stem: ReleaseLayout.feedStem, id: "tag:\(host),2018:site",
            publisher: Publisher(name: publisherName.isEmpty ? "opendata-pipeline" : publisherName, url: nil),
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
                return [
                    "id": pipeline.id,
                    "title": MetadataDocument.localized(pipeline.package.titles),
                    "description": MetadataDocument.localized(pipeline.package.descriptions),
                    "url": base,
                    "datapackage": "\(base)/\(ReleaseLayout.dataPackage)",
                    "database": "\(base)/\(ReleaseLayout.database(pipeline.id))",
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

    /// DCAT-AP: a `dcat:Catalog` of `dcat:Dataset`s (one per published table) with their
    /// `dcat:Distribution`s, and catalogue records that keep the metadata's own date.
    private func dcat(_ pipelines: [PipelineFolder], site: String) -> [String: Any] {
        func text(_ localized: LocalizedText) -> [[String: String]] {
            [["@value": localized.en, "@language": "en"], ["@value": localized.vi, "@language": "vi"]]
        }
        func dateTime(_ value: String?) -> [String: String]? {
            value.map { ["@value": $0, "@type": "xsd:dateTime"] }
        }
        var datasets: [[String: Any]] = []
        var records: [[String: Any]] = []
        for pipeline in pipelines {
            let base = pipeline.package.homepage
            let contributor = pipeline.package.contributors.first
            let publisher: [String: Any] = [
                "@id": contributor?.path ?? base, "@type": "foaf:Agent", "foaf:name": contributor?.title ?? "",
            ]
            let license = pipeline.package.licenses.first
            let licenseNode: [String: Any] = ["@id": license?.path ?? "\(base)#license"]
            let resources = pipeline.package.resources
            for table in resources where table.isMainTable {
                let id = table.name
                let datasetURL = "\(base)/\(JSONFormat.dataFile.path(for: id))"
                let files = resources.filter { ReleaseLayout.isDataFile($0.path, of: id) }
                var dataset: [String: Any] = [
                    "@id": datasetURL,
                    "@type": "dcat:Dataset",
                    "dct:identifier": "\(pipeline.id)/\(id)",
                    "dct:title": text(table.titles),
                    "dct:description": text(table.descriptions),
                    "dct:publisher": publisher,
                    "dct:license": licenseNode,
                    "dcat:landingPage": ["@id": base],
                    "dcat:distribution": files.map { file -> [String: Any] in
                        let url = "\(base)/\(file.path)"
                        return [
                            "@id": url, "@type": "dcat:Distribution",
                            "dcat:accessURL": ["@id": url], "dcat:downloadURL": ["@id": url],
                            "dcat:mediaType": file.mediatype, "dct:format": file.format,
                            "dcat:byteSize": ["@value": "\(file.bytes)", "@type": "xsd:nonNegativeInteger"],
                            "dct:license": licenseNode,
                            "dct:title": "\(id).\(file.format)",
                        ]
                    },
                ]
                if let modified = dateTime(table.dataModified) { dataset["dct:modified"] = modified }
                datasets.append(dataset)
                var record: [String: Any] = [
                    "@id": "\(datasetURL)#record", "@type": "dcat:CatalogRecord", "foaf:primaryTopic": ["@id": datasetURL],
                ]
                if let modified = dateTime(table.metadataModified) { record["dct:modified"] = modified }
                records.append(record)
            }
        }
        return [
            "@context": [
                "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                "foaf": "http://xmlns.com/foaf/0.1/", "xsd": "http://www.w3.org/2001/XMLSchema#",
            ],
            "@id": "\(site)/\(ReleaseLayout.catalogLD)",
            "@type": "dcat:Catalog",
            "dct:title": [["@value": "Dữ liệu mở", "@language": "vi"], ["@value": "Open data", "@language": "en"]],
            "dct:description": [["@value": "Danh mục dữ liệu mở", "@language": "vi"], ["@value": "Open data catalogue", "@language": "en"]],
            "foaf:homepage": ["@id": site + "/"],
            "dcat:dataset": datasets,
            "dcat:record": records,
        ]
    }
}
