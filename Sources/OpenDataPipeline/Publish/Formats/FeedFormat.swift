/// Feed items in RSS 2.0, Atom 1.0 and JSON Feed 1.1, in Vietnamese and English: no data
/// file; a dataset published as `rss` has its own feeds and items in the pipeline's.
struct FeedFormat: OutputFormat {
    var id: String { "rss" }
    var file: OutputFile? { nil }
    func isDefault(for dataset: Dataset) -> Bool { true }

    func refusal(for dataset: Dataset) -> String? {
        dataset.feedTemplate == nil ? "a dataset published as rss needs a 'feed' sentence ({vi, en}) that states its figures" : nil
    }

    func makeWriter(for dataset: Dataset, path: String) throws(PipelineFailure) -> (any DatasetWriter)? { nil }
}

extension PublishFormat {
    static let rss = PublishFormat(FeedFormat())
}
