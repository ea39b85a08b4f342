import Foundation

/// What a dataset page's schema.org `Dataset` markup needs beyond the metadata as it is:
/// the description Google Dataset Search accepts (50 to 5,000 characters) and the period
/// the rows cover.
enum DatasetMarkup {
    static let minimumDescription = 50
    static let maximumDescription = 5000

    /// The dataset's description; when shorter than 50 characters, followed by the pipeline's
    /// title (what it is part of); longer than 5,000, cut at a word with "…".
    static func description(_ text: String, pipelineTitle: String) -> String {
        var result = text
        if result.count < minimumDescription { result += " — \(pipelineTitle)" }
        guard result.count > maximumDescription else { return result }
        let cut = result.prefix(maximumDescription - 1)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
    }

    /// `2018` or `2015/2018` (ISO 8601 intervals, as schema.org's `temporalCoverage`) from the
    /// dataset's first field of type year, yearmonth or date; nil when it has none or when
    /// `complete` is false (not every row was read, so the period may be wider).
    static func temporalCoverage(types: [String], rows: [[String]], complete: Bool) -> String? {
        guard complete, let column = types.firstIndex(where: { ["year", "yearmonth", "date"].contains($0) }) else { return nil }
        let values = rows.compactMap { column < $0.count && !$0[column].isEmpty ? $0[column] : nil }
        // The canonical forms (YYYY, YYYY-MM, YYYY-MM-DD) order as text.
        guard let first = values.min(), let last = values.max() else { return nil }
        return first == last ? first : "\(first)/\(last)"
    }
}
