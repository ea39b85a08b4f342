/// A dataset's headline: its latest period's rows in words, at most
/// ``maximumCharacters`` characters, chosen by the dataset's ``HeadlineRule``,
/// each figure marked when it is illustrative or provisional (``FigureMarks``),
/// and, when rows are left out, a clause saying how many ("… and 19 more
/// rows; all in the table"). It is the figure part of the dataset's feed item,
/// of its page and of its cards, and `headline` in `datapackage.json`.
///
/// A ``RowSink``: it holds at most twice the rule's `count` rows, whatever the
/// size of the dataset.
final class Headline: RowSink {
    /// The most characters a headline has, the clause about the rows left out included.
    static let maximumCharacters = 280

    let rule: HeadlineRule
    /// The field the rows are ordered by when they do not all fit: `by`, or the first measure.
    let measure: Int?
    private let selectors: [[(Int, String)]]?
    private(set) var totalRows = 0
    /// The latest period seen, and how many (selected) rows it has.
    private var latest: Value?
    private var latestRows = 0
    /// The latest period's first rows, in the table's order, and its largest by ``measure``.
    private var inOrder: [[Value]] = []
    private var largest: [[Value]] = []
    /// The same rule without `rows`, stated when they match no row.
    private let fallback: Headline?

    init(dataset: Dataset) {
        let rule = dataset.headline
        let schema = dataset.schema
        self.rule = rule
        measure =
            rule.by
            ?? schema.fields.indices.first { index in
                schema.fields[index].type.isNumeric && index != rule.period && !dataset.primaryKey.contains(schema.fields[index].name)
            }
        var open = dataset
        open.headline.rows = nil
        fallback = rule.rows == nil ? nil : Headline(dataset: open)
        selectors = rule.rows.map { rows in
            rows.map { selector in selector.values.compactMap { name, text in schema.index(of: name).map { ($0, text) } } }
        }
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        try fallback?.write(batch)
        totalRows += batch.rowCount
        let width = batch.width
        // The cells in place: a row slice of the batch's array would retain and release its buffer, which other threads share.
        batch.withCells { cells, _, _ in
            for index in 0..<batch.rowCount {
                let row = UnsafeBufferPointer(rebasing: cells[index * width..<(index + 1) * width])
                if let selectors, !selectors.contains(where: { $0.allSatisfy { row[$0.0].text == $0.1 } }) { continue }
                if let period = rule.period {
                    let value = row[period]
                    if latestRows > 0, let latest, let order = Value.compare(value, latest) {
                        if order < 0 { continue }
                        if order > 0 { restart(at: value) }
                    } else if latestRows == 0 {
                        restart(at: value)
                    }
                }
                latestRows += 1
                if inOrder.count < rule.count { inOrder.append(Array(row)) }
                if let measure { insertLargest(row, by: measure) }
            }
        }
    }

    private func restart(at period: Value) {
        latest = period
        latestRows = 0
        inOrder = []
        largest = []
    }

    /// Keeps the `count` largest rows by `field`, largest first; equal values keep the table's order, nulls come last.
    private func insertLargest(_ row: UnsafeBufferPointer<Value>, by field: Int) {
        let value = row[field]
        // Full, and not above the smallest kept: the common case of a large table, in one comparison.
        if largest.count >= rule.count, value.isNull || largest.last.map({ !$0[field].isNull && (Value.compare(value, $0[field]) ?? 0) <= 0 }) == true
        {
            return
        }
        var position = largest.count
        if !value.isNull {
            position = largest.firstIndex { other in other[field].isNull || (Value.compare(value, other[field]) ?? 0) > 0 } ?? largest.count
        }
        // Copied only when kept: most rows of a large table are not.
        guard position < rule.count else { return }
        largest.insert(Array(row), at: position)
        if largest.count > rule.count { largest.removeLast() }
    }

    /// Whether `headline.rows` matched no row (the headline then states the rows the rule would without them).
    var matchedNothing: Bool { fallback != nil && inOrder.isEmpty }

    /// The rows the headline states, in order, and the rows it states instead when not all of them fit
    /// (the largest first, for the default rule).
    var rows: (first: [[Value]], whenCut: [[Value]]) {
        if let fallback, inOrder.isEmpty { return fallback.rows }
        if rule.by != nil { return (largest, largest) }
        if rule.rows != nil || measure == nil { return (inOrder, inOrder) }
        return latestRows <= rule.count ? (inOrder, largest) : (largest, largest)
    }

    /// The headline in `language`, and whether it states every row it chose: `sentence` states one row
    /// and shows the figures of `fields` (positions; nil: every field); `periodStated` says whether it
    /// writes the period itself; `cut` picks the rows stated when not all fit (in either language).
    func text(
        language: Language, marks: FigureMarks, fields: [Int]?, periodStated: Bool, cut: Bool = false,
        sentence: (ArraySlice<Value>) -> String
    ) -> (text: String, complete: Bool)? {
        let (first, whenCut) = rows
        let chosen = cut ? whenCut : first
        guard !chosen.isEmpty else { return nil }
        var lead = ""
        if let period = rule.period, !periodStated, let text = chosen.first?[period].text {
            lead = "\(text): "
        }
        let stated = bounded(chosen, lead: lead, language: language, marks: marks, fields: fields, sentence: sentence)
        return (stated.text, stated.shown == chosen.count)
    }

    /// As many of `rows` as fit in ``maximumCharacters`` with the clause on what is left out (at least one, cut).
    private func bounded(
        _ rows: [[Value]], lead: String, language: Language, marks: FigureMarks, fields: [Int]?, sentence: (ArraySlice<Value>) -> String
    ) -> (text: String, shown: Int) {
        let items = rows.map { row in sentence(row[...]) + marks.suffix(for: row[...], fields: fields, language: language) }
        var shown = 0
        var result = ""
        for count in 1...items.count {
            let candidate = Self.compose(lead: lead, items: items.prefix(count), more: totalRows - count, rule: rule, language: language)
            guard candidate.count <= Self.maximumCharacters else { break }
            shown = count
            result = candidate
        }
        if shown == 0 {
            // One row alone is too long: it is cut, and the clause still says what is left out.
            let clause = Self.compose(lead: lead, items: [""], more: totalRows - 1, rule: rule, language: language)
            let room = max(Self.maximumCharacters - clause.count - 1, 1)
            result = Self.compose(
                lead: lead, items: [String(items[0].prefix(room)) + "…"], more: totalRows - 1, rule: rule, language: language)
        }
        return (result, shown)
    }

    /// "2019: A; B … and 3 more rows; all in the table."
    static func compose(lead: String, items: ArraySlice<String>, more: Int, rule: HeadlineRule, language: Language) -> String {
        var text = lead + items.joined(separator: "; ")
        if more > 0 {
            switch language {
            case .vi: text += " … và \(more) \(rule.more?.vi ?? "dòng") khác; tất cả có trong bảng"
            case .en: text += " … and \(more) more \(rule.more?.en ?? (more == 1 ? "row" : "rows")); all in the table"
            }
        }
        return text + "."
    }
}
