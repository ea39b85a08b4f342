import Foundation
import Mustache

/// The HTML pages of a release, in Vietnamese and English, with no JavaScript:
/// the site index, a page per pipeline and per dataset, and a page for
/// developers. Built from what the release folder holds (`datapackage.json`,
/// `history.json`, the CSV files), so pipelines carried forward get pages
/// too; rendered with Mustache templates that a publisher can replace by
/// putting files of the same names in a `templates/` folder beside the
/// pipeline files. Every value from the data is HTML-escaped by the
/// templates; JSON-LD in `<script>` has `<` escaped as `\u003c`.
struct SitePages {
    let folder: URL
    let release: ReleaseInfo
    let templates: SiteTemplates
    /// The site's identity (``SiteDefinition``); without one, its fallback from the pipelines.
    var site: SiteDefinition? = nil
    /// The release that last changed each pipeline's folder: its pages name it (footer, citation), so the
    /// pages of a pipeline carried forward are the bytes they were and are linked, not rendered again.
    var pipelineReleases: [String: String] = [:]

    /// Rows of a dataset read for its preview table and chart.
    static let previewRows = 20
    static let chartRows = 500

    /// Writes the pages; those of the pipelines in `carried` are left as they
    /// are (linked from the current release) when `previousKey`, the key of the
    /// current release's pages, equals this run's. Returns this run's key.
    @discardableResult
    func write(carried: Set<String> = [], previousKey: String? = nil) throws(PipelineFailure) -> String {
        let pipelines = try SiteCatalog(folder: folder, release: release).pipelineFolders()
        let identity: SiteDefinition
        if let known = self.site {
            identity = known
        } else {
            identity = try SiteDefinition.fallback(pipelines, expectedFile: SiteDefinition.fileName)
        }
        let site = identity.baseURL
        // The pages depend on the whole identity (title, publisher), not only its URL.
        let key = PageKey.key(templates: templates, site: String(decoding: identity.recordBytes, as: UTF8.self))
        let kept = key == previousKey ? carried : []
        try save(templates.stylesheet, to: "style.css")
        for language in Language.allCases {
            let other = language == .vi ? Language.en : .vi
            var pipelineSummaries: [[String: Any]] = []
            var developerPipelines: [[String: Any]] = []
            for pipeline in pipelines {
                let model = PipelinePage(pipeline: pipeline, folder: folder.appendingPathComponent(pipeline.id), site: site)
                // A carried pipeline's own pages are not rendered: the lists need only its datasets' summaries.
                let datasets = try model.datasets(language: language, listing: kept.contains(pipeline.id) && templates.listsBuiltIn)
                let pipelineRelease = pipelineReleases[pipeline.id] ?? release.id
                for dataset in datasets where !kept.contains(pipeline.id) {
                    let id = dataset["id"] as? String ?? ""
                    var context = common(language: language, root: "../", otherPage: ReleaseLayout.page(id, other), release: pipelineRelease)
                    context["pipeline"] = model.summary(language: language, datasets: datasets)
                    context["dataset"] = dataset
                    context["pageTitle"] = dataset["title"]
                    // The immutable URL of this page in the release that last changed the pipeline (the same bytes are there).
                    context["citeURL"] =
                        ReleaseManifest.releaseURL(stable: pipeline.package.homepage, pipeline: pipeline.id, release: pipelineRelease)
                        + "/\(ReleaseLayout.page(id, language))"
                    // Only datasets published with feeds have them.
                    let stem = ReleaseLayout.feedStem(id)
                    let hasFeeds = FileManager.default.fileExists(
                        atPath: folder.appendingPathComponent(ReleaseLayout.inPipeline(pipeline.id, "\(stem).rss")).path)
                    context["feeds"] = hasFeeds ? feedLinks(prefix: stem, language: language) : []
                    context["hasFeeds"] = hasFeeds
                    try render("dataset", context, to: ReleaseLayout.inPipeline(pipeline.id, ReleaseLayout.page(id, language)))
                }
                var context = common(language: language, root: "../", otherPage: ReleaseLayout.index(other), release: pipelineRelease)
                let summary = model.summary(language: language, datasets: datasets)
                context["pipeline"] = summary
                context["pageTitle"] = summary["title"]
                context["feeds"] = feedLinks(prefix: ReleaseLayout.feedStem, language: language)
                if !kept.contains(pipeline.id) {
                    try render("pipeline", context, to: ReleaseLayout.inPipeline(pipeline.id, ReleaseLayout.index(language)))
                }
                pipelineSummaries.append(summary)
                developerPipelines.append(model.developerSummary(datasets: datasets, language: language))
            }
            var context = common(language: language, root: "", otherPage: ReleaseLayout.index(other))
            context["pipelines"] = pipelineSummaries
            context["pageTitle"] = language == .vi ? "Dữ liệu mở" : "Open data"
            context["feeds"] = feedLinks(prefix: ReleaseLayout.feedStem, language: language)
            context["hasChanges"] = pipelines.contains { !$0.history.entries.isEmpty }
            context["changes"] = PipelinePage.changes(
                pipelines.flatMap(\.history.entries).sorted { ($0.timestamp, $0.id) > ($1.timestamp, $1.id) }, language: language,
                root: "")
            try render("index", context, to: ReleaseLayout.index(language))
            var developers = common(language: language, root: "", otherPage: ReleaseLayout.page("developers", other))
            developers["pipelines"] = developerPipelines
            developers["pageTitle"] = language == .vi ? "Dành cho lập trình viên" : "For developers"
            developers["site"] = site
            developers["feeds"] = feedLinks(prefix: ReleaseLayout.feedStem, language: language)
            try render("developers", developers, to: ReleaseLayout.page("developers", language))
            try writeCalendarPage(language: language, site: site)
        }
        return key
    }

    func common(language: Language, root: String, otherPage: String, release: String? = nil) -> [String: Any] {
        [
            "lang": language.rawValue,
            "vi": language == .vi,
            "en": language == .en,
            "root": root,
            "otherPage": otherPage,
            "otherLanguage": language == .vi ? "English" : "Tiếng Việt",
            "otherLang": language == .vi ? "en" : "vi",
            "suffix": ReleaseLayout.pageSuffix(language),
            "generator": "opendata-pipeline \(ToolVersion.current)",
            "hasFeeds": true,
            "release": release ?? self.release.id,
        ]
    }

    private func feedLinks(prefix: String, language: Language) -> [[String: String]] {
        let suffix = ReleaseLayout.pageSuffix(language)
        return [
            ["type": "application/rss+xml", "href": "\(prefix)\(suffix).rss", "label": "RSS"],
            ["type": "application/atom+xml", "href": "\(prefix)\(suffix).atom", "label": "Atom"],
            ["type": "application/feed+json", "href": "\(prefix)\(suffix).json", "label": "JSON Feed"],
        ]
    }

    func render(_ template: String, _ context: [String: Any], to relative: String) throws(PipelineFailure) {
        guard let html = templates.library.render(context, withTemplate: template) else {
            throw PipelineFailure.cannotPublish(path: relative, reason: "no template named '\(template)'")
        }
        try save(html, to: relative)
    }

    /// Pages are generated for every pipeline of the release, including those
    /// carried forward with the pages of an earlier release, so they replace
    /// what is there (in the staging folder, never in a published release).
    private func save(_ text: String, to relative: String) throws(PipelineFailure) {
        let path = folder.appendingPathComponent(relative).path
        try? FileManager.default.removeItem(atPath: path)
        _ = try BufferedFileWriter.write(Array(text.utf8), to: path)
    }
}
