import Foundation

/// The page models of one pipeline folder of a release: what its pages and
/// the site index show, as plain dictionaries for the Mustache templates.
struct PipelinePage {
    let pipeline: SiteCatalog.PipelineFolder
    let folder: URL
    let site: String

    private var package: DataPackage { pipeline.package }
    private var base: String { package.homepage }
    private var resources: [DataPackage.Resource] { package.resources }

    static func text(_ localized: LocalizedText?, _ language: Language) -> String { localized?[language] ?? "" }

    /// `2018-09-18T09:00:00+07:00` → `2018-09-18 09:00 (UTC+07:00)`.
    static func shownDate(_ value: String?) -> String {
        guard let text = value, text.count >= 16 else { return "" }
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
    static func citations(_ sources: [DataPackage.PackageSource]) -> [[String: String]] {
        sources.map { ["title": $0.title, "href": MarkupText.safeLink($0.path) ?? ""] }
    }

    static func changes(_ entries: [FeedEntry], language: Language, root: String) -> [[String: String]] {
        entries.prefix(10).map { entry in
            [
                "date": shownDate(FeedDate.rfc3339(entry.date, in: entry.zone)),
                "title": entry.title(language),
                "summary": entry.summary(language),
                "href": "\(root)\(ReleaseLayout.inPipeline(entry.pipeline, ReleaseLayout.page(entry.dataset, language)))",
            ]
        }
    }

    func summary(language: Language, datasets: [[String: Any]]) -> [String: Any] {
        let contributor = package.contributors.first
        let license = package.licenses.first
        return [
            "id": pipeline.id,
            "title": Self.text(package.titles, language),
            "description": Self.text(package.descriptions, language),
            "href": ReleaseLayout.inPipeline(pipeline.id, ReleaseLayout.index(language)),
            "publisher": contributor?.title ?? "",
            "license": [
                "title": license?.title ?? license?.name ?? "",
                "href": MarkupText.safeLink(license?.path) ?? "",
            ],
            "sources": Self.citations(package.sources),
            "datasets": datasets,
            "changes": Self.changes(pipeline.history.entries, language: language, root: "../"),
            "hasChanges": !pipeline.history.entries.isEmpty,
            "datapackage": ReleaseLayout.dataPackage,
        ]
    }

    /// The model of every dataset (one per main table: its published CSV).
    /// `listing`: only what the built-in pages that list every dataset show (the index, the developers'
    /// page): no preview rows, chart, revisions or JSON-LD, so a pipeline whose own pages are carried
    /// forward costs the site's lists no read of its CSV and no chart.
    func datasets(language: Language, listing: Bool = false) throws(PipelineFailure) -> [[String: Any]] {
        var result: [[String: Any]] = []
        for table in resources where table.isMainTable {
            result.append(
                try dataset(
                    id: table.name, table: table, csv: folder.appendingPathComponent(table.path).path, language: language, listing: listing))
        }
        return result
    }

    private func dataset(id: String, table: DataPackage.Resource, csv: String, language: Language, listing: Bool) throws(PipelineFailure)
        -> [String: Any]
    {
        let fields = table.schema?.fields ?? []
        let primaryKey = table.schema?.primaryKey ?? []
        let preview = listing ? (rows: [], total: table.rows ?? 0) : try PreviewRows.read(csv, keep: SitePages.chartRows, knownTotal: table.rows)
        let columns: [[String: Any]] = fields.map { field in
            let title = Self.text(field.titles, language)
            var column: [String: Any] = [
                "name": field.name,
                "title": title.isEmpty ? field.name : title,
                "numeric": field.type == "integer" || field.type == "number",
                "type": field.type,
            ]
            // Absent rather than empty: Mustache renders a section for an empty string.
            if let unit = field.unit, !unit.isEmpty { column["unit"] = ChartUnits.localized(unit, language) }
            return column
        }
        let types = fields.map(\.type)
        let rows: [[String: Any]] = preview.rows.prefix(SitePages.previewRows).map { row in
            [
                "cells": row.enumerated().map { index, text -> [String: Any] in
                    let type = index < types.count ? types[index] : "string"
                    return [
                        "text": PreviewText.bounded(Self.shownValue(text, type: type, language: language)),
                        "numeric": type == "integer" || type == "number",
                    ]
                }
            ]
        }
        let files = resources.filter { ReleaseLayout.isDataFile($0.path, of: id) }
        // The file a person wants most (the workbook, else the formula-safe Excel CSV) comes first, as in the feed item.
        let rank = { (file: DataPackage.Resource) in OutputFormats.file(at: file.path, dataset: id)?.personRank ?? 0 }
        let first = files.map(rank).max()
        let downloads: [[String: String]] = (files.filter { rank($0) == first } + files.filter { rank($0) != first }).map { file in
            [
                "label": Self.formatLabel(path: file.path, dataset: id, language: language), "href": file.path,
                "size": Self.shownSize(file.bytes, language), "type": file.mediatype,
            ]
        }
        var model: [String: Any] = [
            "id": id,
            "title": Self.text(table.titles, language),
            "description": Self.text(table.descriptions, language),
            "href": ReleaseLayout.page(id, language),
            "siteHref": ReleaseLayout.inPipeline(pipeline.id, ReleaseLayout.page(id, language)),
            "dataModified": Self.shownDate(table.dataModified),
            "metadataModified": Self.shownDate(table.metadataModified),
            "columns": columns,
            "rows": rows,
            "rowCount": NumberStyle.format(.integer(Int64(preview.total)), for: language),
            "shownCount": rows.count,
            "downloads": downloads,
            "sources": Self.citations(table.sources),
            "changes": Self.changes(pipeline.history.entries.filter { $0.dataset == id }, language: language, root: "../"),
            "hasChanges": pipeline.history.entries.contains { $0.dataset == id },
        ]
        if let illustrative = table.illustrative { model["illustrative"] = Self.text(illustrative, language) }
        let headline = Self.text(table.headline, language)
        if !headline.isEmpty { model["headline"] = headline }
        guard !listing else { return model }
        model["jsonLD"] = jsonLD(
            id: id, table: table, files: files, language: language,
            temporalCoverage: DatasetMarkup.temporalCoverage(
                types: types, rows: preview.rows, complete: preview.rows.count == preview.total))
        model.merge(RevisionHistory.model(pipelineFolder: folder, dataset: id)) { first, _ in first }
        if table.chart != false,
            let chart = ChartBuilder(
                fields: fields, primaryKey: primaryKey, rows: preview.rows, language: language,
                fieldTitles: ChartBuilder.fieldTitles(resources), totalRows: preview.total,
                tableShowsAllRows: preview.total <= SitePages.previewRows,
                sources: (table.sources.isEmpty ? package.sources : table.sources).map(\.title)
            ).chart(id: id, title: Self.text(table.titles, language))
        {
            model["chart"] = chart.render()
            model["chartDescription"] = chart.description
            if let mark = ChartBuilder.illustrativeMark(table.illustrative, language) { model["chartIllustrative"] = mark }
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
    private func jsonLD(
        id: String, table: DataPackage.Resource, files: [DataPackage.Resource], language: Language, temporalCoverage: String?
    ) -> String {
        let license = package.licenses.first
        let contributor = package.contributors.first
        var organization: [String: Any] = ["@type": "Organization", "name": contributor?.title ?? ""]
        if let url = MarkupText.safeLink(contributor?.path) { organization["url"] = url }
        var object: [String: Any] = [
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": Self.text(table.titles, language),
            "description": DatasetMarkup.description(
                Self.text(table.descriptions, language), pipelineTitle: Self.text(package.titles, language)),
            "creator": organization,
            "url": "\(base)/\(ReleaseLayout.page(id, language))",
            "identifier": "\(base)/\(ReleaseLayout.page(id, .vi))#dataset",
            "inLanguage": language.rawValue,
            "isAccessibleForFree": true,
            "publisher": organization,
            "distribution": files.map { file -> [String: Any] in
                ["@type": "DataDownload", "encodingFormat": file.mediatype, "contentUrl": "\(base)/\(file.path)"]
            },
        ]
        if let path = MarkupText.safeLink(license?.path) { object["license"] = path }
        if let modified = table.dataModified { object["dateModified"] = modified }
        if let temporalCoverage { object["temporalCoverage"] = temporalCoverage }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return MarkupText.jsonForScript(String(decoding: data, as: UTF8.self))
    }

    /// The developer page's part for this pipeline: URLs and examples generated from the actual datasets.
    func developerSummary(datasets: [[String: Any]], language: Language) -> [String: Any] {
        [
            "id": pipeline.id,
            "title": Self.text(package.titles, language),
            "datapackage": "\(base)/\(ReleaseLayout.dataPackage)",
            "datasets": datasets.map { dataset -> [String: Any] in
                let id = dataset["id"] as? String ?? ""
                let columns = dataset["columns"] as? [[String: Any]] ?? []
                var model: [String: Any] = [
                    "id": id,
                    "title": dataset["title"] ?? "",
                    "fields": columns.map { "\($0["name"] as? String ?? "")" }.joined(separator: ", "),
                ]
                let published = Set((dataset["downloads"] as? [[String: String]] ?? []).compactMap { $0["href"] }.map { "\(base)/\($0)" })
                // Each kind of file the dataset publishes, its URL under its name: `csv`, `json`, `schema`, `ndjson`, `jsonstat`…
                for file in OutputFormats.files where published.contains("\(base)/\(file.path(for: id))") {
                    model[file.name] = "\(base)/\(file.path(for: id))"
                }
                let csv = "\(base)/\(CSVFormat.dataFile.path(for: id))"
                let json = "\(base)/\(JSONFormat.dataFile.path(for: id))"
                let ndjson = "\(base)/\(NDJSONFormat.dataFile.path(for: id))"
                let fields = columns.map { (name: $0["name"] as? String ?? "", type: $0["type"] as? String ?? "string") }
                model["recipes"] = DeveloperRecipes.recipes(
                    csv: csv, json: json, ndjson: ndjson, dataset: id, fields: fields, published: published
                ).map {
                    recipe -> [String: Any] in
                    ["id": recipe.id, "dataset": id, "label": recipe.label[language], "code": recipe.code, "tested": recipe.tested]
                }
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
