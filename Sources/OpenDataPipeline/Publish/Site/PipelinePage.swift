import Foundation

/// The page models of one pipeline folder of a release: what its pages and
/// the site index show, as plain dictionaries for the Mustache templates.
struct PipelinePage {
    let pipeline: SiteCatalog.PipelineFolder
    let folder: URL
    let site: String

    private var package: [String: Any] { pipeline.package }
    private var base: String { package["homepage"] as? String ?? "\(site)/\(pipeline.id)" }
    private var resources: [[String: Any]] { package["resources"] as? [[String: Any]] ?? [] }

    static func text(_ localized: Any?, _ language: Language) -> String {
        let object = localized as? [String: String] ?? [:]
        return object[language.rawValue] ?? object["vi"] ?? ""
    }

    /// `2018-09-18T09:00:00+07:00` → `2018-09-18 09:00 (UTC+07:00)`.
    static func shownDate(_ value: Any?) -> String {
        guard let text = value as? String, text.count >= 16 else { return "" }
        let day = text.prefix(10)
        let time = text.dropFirst(11).prefix(5)
        let zone = text.count > 19 ? " (UTC\(text.suffix(6)))" : ""
        return "\(day) \(time)\(zone)"
    }

    static func shownSize(_ bytes: Int, _ language: Language) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["kB", "MB", "GB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = DecimalNumber(units: Int64((value * 10).rounded()), scale: 1)
        return NumberStyle.format(.number(tenths), for: language) + " " + units[unit]
    }

    /// Sources as title and link; a link that is not http(s) or relative is left out.
    static func citations(_ sources: Any?) -> [[String: String]] {
        (sources as? [[String: Any]] ?? []).map {
            ["title": $0["title"] as? String ?? "", "href": MarkupText.safeLink($0["path"] as? String) ?? ""]
        }
    }

    static func changes(_ entries: [FeedEntry], language: Language, root: String) -> [[String: String]] {
        entries.prefix(10).map { entry in
            [
                "date": shownDate(FeedDate.rfc3339(entry.date, in: entry.zone)),
                "title": entry.title(language),
                "summary": entry.summary(language),
                "href": "\(root)\(entry.pipeline)/\(entry.dataset)\(language == .vi ? "" : ".en").html",
            ]
        }
    }

    func summary(language: Language, datasets: [[String: Any]]) -> [String: Any] {
        let contributor = (package["contributors"] as? [[String: Any]])?.first
        let license = (package["licenses"] as? [[String: Any]])?.first
        return [
            "id": pipeline.id,
            "title": Self.text(package["titles"], language),
            "description": Self.text(package["descriptions"], language),
            "href": "\(pipeline.id)/index\(language == .vi ? "" : ".en").html",
            "publisher": contributor?["title"] as? String ?? "",
            "license": [
                "title": license?["title"] as? String ?? license?["name"] as? String ?? "",
                "href": MarkupText.safeLink(license?["path"] as? String) ?? "",
            ],
            "sources": Self.citations(package["sources"]),
            "datasets": datasets,
            "changes": Self.changes(pipeline.history.entries, language: language, root: "../"),
            "hasChanges": !pipeline.history.entries.isEmpty,
            "datapackage": "datapackage.json",
        ]
    }

    /// The model of every dataset (one per main table: its published CSV).
    func datasets(language: Language) throws(PipelineFailure) -> [[String: Any]] {
        var result: [[String: Any]] = []
        for table in resources {
            guard let id = table["name"] as? String, let path = table["path"] as? String,
                OutputFormats.isMainTable(name: id, path: path)
            else { continue }
            result.append(try dataset(id: id, table: table, csv: folder.appendingPathComponent(path).path, language: language))
        }
        return result
    }

    private func dataset(id: String, table: [String: Any], csv: String, language: Language) throws(PipelineFailure) -> [String: Any] {
        let schema = table["schema"] as? [String: Any] ?? [:]
        let fields = schema["fields"] as? [[String: Any]] ?? []
        let primaryKey = schema["primaryKey"] as? [String] ?? []
        let preview = try PreviewRows.read(csv, keep: SitePages.chartRows, knownTotal: table["rows"] as? Int)
        let suffix = language == .vi ? "" : ".en"
        let columns: [[String: Any]] = fields.map { field in
            let title = Self.text(field["titles"], language)
            let type = field["type"] as? String ?? "string"
            var column: [String: Any] = [
                "name": field["name"] as? String ?? "",
                "title": title.isEmpty ? field["name"] as? String ?? "" : title,
                "numeric": type == "integer" || type == "number",
            ]
            // Absent rather than empty: Mustache renders a section for an empty string.
            if let unit = field["unit"] as? String, !unit.isEmpty { column["unit"] = unit }
            return column
        }
        let types = fields.map { $0["type"] as? String ?? "string" }
        let rows: [[String: Any]] = preview.rows.prefix(SitePages.previewRows).map { row in
            ["cells": row.enumerated().map { index, text -> [String: Any] in
                let type = index < types.count ? types[index] : "string"
                return [
                    "text": PreviewText.bounded(Self.shownValue(text, type: type, language: language)),
                    "numeric": type == "integer" || type == "number",
                ]
            }]
        }
        let files = resources.filter { ($0["path"] as? String)?.hasPrefix("data/\(id).") == true }
        // The file a person wants most (the formula-safe Excel CSV) comes first, as in the feed item.
        let rank = { (file: [String: Any]) in OutputFormats.file(at: file["path"] as? String ?? "", dataset: id)?.personRank ?? 0 }
        let first = files.map(rank).max()
        let downloads: [[String: String]] = (files.filter { rank($0) == first } + files.filter { rank($0) != first }).map { file in
            let path = file["path"] as? String ?? ""
            return [
                "label": Self.formatLabel(path: path, dataset: id, language: language), "href": path,
                "size": Self.shownSize(file["bytes"] as? Int ?? 0, language), "type": file["mediatype"] as? String ?? "",
            ]
        }
        var model: [String: Any] = [
            "id": id,
            "title": Self.text(table["titles"], language),
            "description": Self.text(table["descriptions"], language),
            "href": "\(id)\(suffix).html",
            "siteHref": "\(pipeline.id)/\(id)\(suffix).html",
            "dataModified": Self.shownDate(table["dataModified"]),
            "metadataModified": Self.shownDate(table["metadataModified"]),
            "columns": columns,
            "rows": rows,
            "rowCount": NumberStyle.format(.integer(Int64(preview.total)), for: language),
            "shownCount": rows.count,
            "downloads": downloads,
            "sources": Self.citations(table["sources"]),
            "changes": Self.changes(pipeline.history.entries.filter { $0.dataset == id }, language: language, root: "../"),
            "hasChanges": pipeline.history.entries.contains { $0.dataset == id },
            "jsonLD": jsonLD(id: id, table: table, files: files, language: language),
        ]
        if let illustrative = table["illustrative"] { model["illustrative"] = Self.text(illustrative, language) }
        let headline = Self.text(table["headline"], language)
        if !headline.isEmpty { model["headline"] = headline }
        if table["chart"] as? Bool != false,
            let chart = ChartBuilder(fields: fields, primaryKey: primaryKey, rows: preview.rows, language: language)
                .chart(id: id, title: Self.text(table["titles"], language))
        {
            model["chart"] = chart.render()
            model["chartDescription"] = chart.description
        }
        return model
    }

    static func shownValue(_ text: String, type: String, language: Language) -> String {
        guard !text.isEmpty else { return "" }
        switch type {
        case "integer":
            return Int64(text).map { NumberStyle.format(.integer($0), for: language) } ?? text
        case "number":
            return NumberParser.parse(text, format: .plain).map { NumberStyle.format(.number($0), for: language) } ?? text
        default:
            return text
        }
    }

    /// The link text of a dataset's file: its format's label, or the file's name when no format names it.
    static func formatLabel(path: String, dataset: String, language: Language) -> String {
        OutputFormats.file(at: path, dataset: dataset)?.label[language] ?? (path as NSString).lastPathComponent
    }

    /// schema.org `Dataset` JSON-LD, escaped so that no text can end or alter its `<script>`.
    private func jsonLD(id: String, table: [String: Any], files: [[String: Any]], language: Language) -> String {
        let license = (package["licenses"] as? [[String: Any]])?.first
        let contributor = (package["contributors"] as? [[String: Any]])?.first
        var object: [String: Any] = [
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": Self.text(table["titles"], language),
            "description": Self.text(table["descriptions"], language),
            "url": "\(base)/\(id)\(language == .vi ? "" : ".en").html",
            "identifier": "\(base)/data/\(id).json",
            "inLanguage": language.rawValue,
            "isAccessibleForFree": true,
            "publisher": ["@type": "Organization", "name": contributor?["title"] as? String ?? ""],
            "distribution": files.map { file -> [String: Any] in
                ["@type": "DataDownload", "encodingFormat": file["mediatype"] as? String ?? "", "contentUrl": "\(base)/\(file["path"] as? String ?? "")"]
            },
        ]
        if let path = MarkupText.safeLink(license?["path"] as? String) { object["license"] = path }
        if let modified = table["dataModified"] as? String { object["dateModified"] = modified }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return MarkupText.jsonForScript(String(decoding: data, as: UTF8.self))
    }

    /// The developer page's part for this pipeline: URLs and examples generated from the actual datasets.
    func developerSummary(datasets: [[String: Any]], language: Language) -> [String: Any] {
        [
            "id": pipeline.id,
            "title": Self.text(package["titles"], language),
            "datapackage": "\(base)/datapackage.json",
            "datasets": datasets.map { dataset -> [String: Any] in
                let id = dataset["id"] as? String ?? ""
                let columns = dataset["columns"] as? [[String: Any]] ?? []
                let numeric = columns.first { $0["numeric"] as? Bool == true }?["name"] as? String ?? "value"
                let first = columns.first?["name"] as? String ?? "id"
                var model: [String: Any] = [
                    "id": id,
                    "title": dataset["title"] ?? "",
                    "fields": columns.map { "\($0["name"] as? String ?? "")" }.joined(separator: ", "),
                ]
                // Each kind of file's URL under its name: `csv`, `json`, `schema`, `ndjson`, `jsonstat`…
                for file in OutputFormats.files { model[file.name] = "\(base)/\(file.path(for: id))" }
                let csv = "\(base)/\(CSVFormat.dataFile.path(for: id))"
                let json = "\(base)/\(JSONFormat.dataFile.path(for: id))"
                let ndjson = "\(base)/\(NDJSONFormat.dataFile.path(for: id))"
                model["curl"] = "curl -s \(json) | jq '.records[] | {\(first), \(numeric)}'"
                model["pandas"] = "import pandas as pd\nframe = pd.read_csv(\"\(csv)\")\nrecords = pd.read_json(\"\(ndjson)\", lines=True)"
                model["duckdb"] = "SELECT \(first), \(numeric) FROM read_csv('\(csv)') ORDER BY \(numeric) DESC;"
                return model
            },
        ]
    }
}

/// The first rows of a published CSV (as text) and how many rows it has.
enum PreviewRows {
    /// Reads the first `keep` rows; counts the rest only when `knownTotal` is not given.
    static func read(_ path: String, keep: Int, knownTotal: Int? = nil) throws(PipelineFailure) -> (rows: [[String]], total: Int) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], 0) }
        let reader = try CSVReader(path: path, dialect: CSVDialect())
        guard try reader.nextRecord() else { return ([], 0) }
        var rows: [[String]] = []
        var total = 0
        while try reader.nextRecord() {
            total += 1
            if rows.count < keep {
                rows.append((0..<reader.fieldCount).map { reader.fieldText($0) })
            } else if knownTotal != nil {
                break
            }
        }
        return (rows, knownTotal ?? total)
    }
}
