/// A dataset's own feeds, in RSS 2.0, Atom 1.0 and JSON Feed 1.1, in Vietnamese and English: no
/// data file. Every dataset has items in its pipeline's and the site's feeds, whether or not it is
/// published as `rss`; its `feed:` sentence, or a default one, states its figures.
struct FeedFormat: OutputFormat {
    var id: String { "rss" }
    var file: OutputFile? { nil }
    func isDefault(for dataset: Dataset) -> Bool { true }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? { nil }
}

extension PublishFormat {
    static let rss = PublishFormat(FeedFormat())
}
