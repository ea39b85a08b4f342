import Foundation

/// A dataset page's revision history: its latest revised figures (old → new,
/// when, the release's note when it has one), read from its vintages, and
/// links to the vintages files.
enum RevisionHistory {
    static let shownRevisions = 10

    /// The page model's entries, nothing when the dataset has no vintages file.
    static func model(pipelineFolder: URL, dataset: String) -> [String: Any] {
        guard let vintages = try? DatasetVintages.read(pipelineFolder: pipelineFolder, dataset: dataset) else { return [:] }
        let revisions: [[String: String]] = vintages.revisions(limit: shownRevisions).map { revision in
            var entry = [
                "date": PipelinePage.shownDate(revision.time),
                "key": revision.key.isEmpty ? "" : revision.key.joined(separator: ", ") + " ",
                "field": revision.field,
                "old": PreviewText.bounded(revision.old ?? "–"),
                "new": PreviewText.bounded(revision.new ?? "–"),
            ]
            if let note = revision.note, !note.isEmpty { entry["note"] = PreviewText.bounded(note) }
            return entry
        }
        var model: [String: Any] = [
            "vintagesCSV": ReleaseLayout.vintagesCSV(dataset), "vintagesJSON": ReleaseLayout.vintagesJSON(dataset),
        ]
        if !revisions.isEmpty {
            model["revisions"] = revisions
            model["hasRevisions"] = true
        }
        return model
    }
}
