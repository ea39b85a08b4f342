import Foundation

/// `catalog.jsonld`: the site as a DCAT-AP 3.0 catalogue in JSON-LD, for CKAN's DCAT
/// harvester and data.europa.eu. A dataset (`<pipeline>/<dataset>.html#dataset`) and each
/// of its files (`<file URL>#distribution`) are distinct nodes; media types are IANA IRIs,
/// formats and languages the EU Publications Office's authority IRIs, and every IRI used as
/// a vocabulary value is typed (and placed in its authority table), as the DCAT-AP 3.0.1
/// SHACL shapes require. The publisher and contact come from the site's identity.
struct DCATCatalog {
    let pipelines: [SiteCatalog.PipelineFolder]
    let site: SiteDefinition
    let release: ReleaseInfo

    static let iana = "http://www.iana.org/assignments/media-types/"
    static let authority = "http://publications.europa.eu/resource/authority/"
    static let publicAccess = authority + "access-right/PUBLIC"

    /// A published media type as DCAT-AP wants it: its IANA IRI (only for types IANA registers) and
    /// the EU file type; a type neither knows (NDJSON) gets neither rather than a made-up IRI.
    static func vocabulary(mediaType: String) -> (iana: String?, fileType: String?) {
        switch mediaType {
        case "text/csv": return ("text/csv", "CSV")
        case "application/json": return ("application/json", "JSON")
        // `application/schema+json` is not registered at IANA: the file is JSON.
        case "application/schema+json": return ("application/json", "JSON")
        case "text/tab-separated-values": return ("text/tab-separated-values", "TSV")
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
            return ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
        case "application/vnd.sqlite3": return ("application/vnd.sqlite3", nil)
        default: return (nil, nil)
        }
    }

    static func languageIRI(_ code: String) -> String? {
        SiteDefinition.languageAuthority.first { $0.code == code }.map { authority + "language/" + $0.authority }
    }

    /// A publisher's `foaf:Agent` IRI: its URL, else a node of the folder it publishes.
    static func agentIRI(_ publisher: Publisher, base: String) -> String {
        publisher.url.flatMap { URL(string: $0)?.scheme != nil ? $0 : nil } ?? "\(base)/#publisher"
    }

    func document() -> [String: Any] {
        var concepts: [String: [String: Any]] = [:]
        var agents: [String: [String: Any]] = [:]
        var agentNames: [String: Set<String>] = [:]
        /// The site publishes the catalogue; each pipeline's publisher its datasets.
        func agent(_ publisher: Publisher, base: String) -> [String: String] {
            let iri = Self.agentIRI(publisher, base: base)
            agentNames[iri, default: []].insert(publisher.name)
            let names = agentNames[iri, default: []].sorted()
            agents[iri] = ["@id": iri, "@type": "foaf:Agent", "foaf:name": names.count == 1 ? names[0] : names]
            return ["@id": iri]
        }
        func concept(_ iri: String, type: String, scheme: String? = nil) -> [String: String] {
            var node: [String: Any] = ["@id": iri, "@type": type]
            if let scheme { node["skos:inScheme"] = ["@id": scheme] }
            concepts[iri] = node
            return ["@id": iri]
        }
        func text(_ localized: LocalizedText) -> [[String: String]] {
            [["@value": localized.vi, "@language": "vi"], ["@value": localized.en, "@language": "en"]]
        }
        func dateTime(_ value: String) -> [String: String] { ["@value": value, "@type": "xsd:dateTime"] }
        let languages = site.languages.compactMap(Self.languageIRI).map {
            concept($0, type: "dct:LinguisticSystem", scheme: Self.authority + "language")
        }
        let publisher = agent(site.publisher, base: site.baseURL)
        let released = FeedDate.rfc3339(release.date, in: TimeZone(identifier: "UTC")!)
        var contact: [String: Any]?
        if let email = site.contactEmail {
            contact = [
                "@id": "\(site.baseURL)/#contact", "@type": "vcard:Kind", "vcard:fn": site.publisher.name,
                "vcard:hasEmail": ["@id": "mailto:\(email)"],
            ]
        }
        var datasets: [[String: Any]] = []
        var records: [[String: Any]] = []
        for pipeline in pipelines {
            let base = pipeline.package.homepage
            let licensePath = pipeline.package.licenses.first?.path.flatMap { URL(string: $0)?.scheme != nil ? $0 : nil }
            let contributor = pipeline.package.contributors.first
            let datasetPublisher =
                contributor.map { agent(Publisher(name: $0.title, url: $0.path), base: base) } ?? publisher
            let license = concept(licensePath ?? "\(base)/#license", type: "dct:LicenseDocument")
            let resources = pipeline.package.resources
            for table in resources where table.isMainTable {
                let id = table.name
                let page = "\(base)/\(ReleaseLayout.page(id, .vi))"
                let datasetIRI = "\(page)#dataset"
                let files = resources.filter { ReleaseLayout.isDataFile($0.path, of: id) }
                var dataset: [String: Any] = [
                    "@id": datasetIRI,
                    "@type": "dcat:Dataset",
                    "dct:identifier": "\(pipeline.id)/\(id)",
                    "dct:title": text(table.titles),
                    "dct:description": text(table.descriptions),
                    "dct:publisher": datasetPublisher,
                    "dct:language": languages,
                    "dct:accessRights": concept(Self.publicAccess, type: "dct:RightsStatement", scheme: Self.authority + "access-right"),
                    "dcat:landingPage": concept(page, type: "foaf:Document"),
                    "dcat:distribution": files.map { file -> [String: Any] in
                        let url = "\(base)/\(file.path)"
                        let vocabulary = Self.vocabulary(mediaType: file.mediatype)
                        var distribution: [String: Any] = [
                            "@id": "\(url)#distribution", "@type": "dcat:Distribution",
                            "dct:title": "\(id).\(file.format)",
                            "dcat:accessURL": ["@id": url], "dcat:downloadURL": ["@id": url],
                            "dcat:byteSize": ["@value": "\(file.bytes)", "@type": "xsd:nonNegativeInteger"],
                            "dct:license": license,
                        ]
                        if let iana = vocabulary.iana { distribution["dcat:mediaType"] = concept(Self.iana + iana, type: "dct:MediaType") }
                        if let type = vocabulary.fileType {
                            distribution["dct:format"] = concept(
                                Self.authority + "file-type/" + type, type: "dct:MediaTypeOrExtent", scheme: Self.authority + "file-type")
                        }
                        if let modified = file.dataModified { distribution["dct:modified"] = dateTime(modified) }
                        return distribution
                    },
                ]
                if let modified = table.dataModified { dataset["dct:modified"] = dateTime(modified) }
                if contact != nil { dataset["dcat:contactPoint"] = ["@id": "\(site.baseURL)/#contact"] }
                datasets.append(dataset)
                records.append([
                    "@id": "\(page)#record", "@type": "dcat:CatalogRecord", "foaf:primaryTopic": ["@id": datasetIRI],
                    "dct:modified": dateTime(table.metadataModified ?? released),
                ])
            }
        }
        let catalog: [String: Any] = [
            "@id": "\(site.baseURL)/\(ReleaseLayout.catalogLD)",
            "@type": "dcat:Catalog",
            "dct:title": text(site.title),
            "dct:description": text(
                LocalizedText(vi: "Danh mục dữ liệu mở của \(site.publisher.name)", en: "Open data catalogue of \(site.publisher.name)")),
            "dct:publisher": publisher,
            "dct:language": languages,
            "dct:modified": dateTime(released),
            "foaf:homepage": concept(site.baseURL + "/", type: "foaf:Document"),
            "dcat:themeTaxonomy": ["@id": Self.authority + "data-theme"],
            "dcat:dataset": datasets,
            "dcat:record": records,
        ]
        var graph: [[String: Any]] = [catalog]
        graph += agents.keys.sorted().compactMap { agents[$0] }
        if let contact { graph.append(contact) }
        graph.append([
            "@id": Self.authority + "data-theme", "@type": "skos:ConceptScheme",
            "dct:title": ["@value": "Data theme", "@language": "en"],
        ])
        graph += concepts.keys.sorted().compactMap { concepts[$0] }
        return [
            "@context": [
                "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
                "skos": "http://www.w3.org/2004/02/skos/core#", "vcard": "http://www.w3.org/2006/vcard/ns#",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
            ],
            "@graph": graph,
        ]
    }
}
