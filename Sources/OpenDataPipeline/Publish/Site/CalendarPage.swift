import Foundation

extension SitePages {
    /// The site's calendar page in `language`: every entry by due time, with its status, reason and release.
    func writeCalendarPage(language: Language, site: String) throws(PipelineFailure) {
        let other = language == .vi ? Language.en : .vi
        let records = try ReleaseCalendarFiles.records(in: folder)
        var context = common(language: language, root: "", otherPage: ReleaseLayout.calendarPage(other))
        context["pageTitle"] = language == .vi ? "Lịch công bố số liệu" : "Release calendar"
        context["feeds"] = [[String: String]]()
        context["hasEntries"] = !records.isEmpty
        context["entries"] = records.map { record -> [String: Any] in
            var model: [String: Any] = [
                "anchor": "\(record.pipeline)-\(record.id)",
                "due": PipelinePage.shownDate(record.due),
                "title": record.title[language],
                "status": CalendarWords.status(record.status, language: language),
                "datasets": record.datasets.map { dataset in
                    [
                        "title": dataset.title[language],
                        "href": ReleaseLayout.inPipeline(record.pipeline, ReleaseLayout.page(dataset.id, language)),
                    ]
                },
            ]
            if record.status == .postponed { model["postponedFrom"] = PipelinePage.shownDate(record.date) }
            if let reason = record.reason { model["reason"] = reason[language] }
            if let released = record.released {
                model["released"] = ["href": MarkupText.safeLink(released.url) ?? "", "time": PipelinePage.shownDate(released.time)]
            }
            return model
        }
        try render("calendar", context, to: ReleaseLayout.calendarPage(language))
    }
}
