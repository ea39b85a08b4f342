/// Keeps the first rows of a dataset's output for its feed item, so that the
/// item can state the figures in words. Bounded: it never holds more than
/// ``maximumRows`` rows, whatever the size of the dataset.
final class FeedSummary: RowSink {
    static let maximumRows = 20
    private(set) var rows: [ArraySlice<Value>] = []
    private(set) var totalRows = 0

    func write(_ batch: Batch) throws(PipelineFailure) {
        for row in 0..<batch.rowCount where rows.count < Self.maximumRows {
            rows.append(batch.row(row))
        }
        totalRows += batch.rowCount
    }

    /// The sentences for `language`, joined; notes how many rows are left out.
    func sentence(_ template: FeedTemplate, language: Language) -> String {
        var text = rows.map { template.render($0, language: language) }.joined(separator: "; ")
        let more = totalRows - rows.count
        if more > 0 {
            text += language == .vi ? "; và \(more) dòng khác" : "; and \(more) more rows"
        }
        return PreviewText.bounded(text + ".", maximumBytes: PreviewText.maximumSentenceBytes)
    }
}
