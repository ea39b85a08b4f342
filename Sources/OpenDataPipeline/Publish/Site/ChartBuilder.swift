/// Chooses what a dataset's chart shows, from its schema.
///
/// The measure is the first numeric field outside the primary key; the
/// periods come from a `year` or `date` field; the series are the other
/// primary-key fields. When the dataset has a single row, its numeric fields
/// with the first one's unit become the bars. A dataset with no numeric field
/// gets no chart; a pipeline can turn a dataset's chart off with `chart: false`.
///
/// Labels are titles, never codes: a field's title; a code's name from a text
/// field that names each code (`area_code` → `area_vi` on the Vietnamese page,
/// `area_en` on the English one); a code that is a field's name in the pipeline
/// (`all_procedures`) by that field's title; a number by its field's title
/// (`Service level 3`). At most 8 lines or 20 bars: beyond, the largest (by
/// latest value), and a note says so.
struct ChartBuilder {
    let fields: [DataPackage.FieldDescriptor]
    let primaryKey: [String]
    let rows: [[String]]
    let language: Language
    /// The titles of the pipeline's fields by name, for codes that name a field.
    var fieldTitles: [String: LocalizedText] = [:]
    /// How many rows the dataset has, when `rows` are only its first.
    var totalRows: Int?
    /// Whether the page's table shows every row (else the notes point to the downloads).
    var tableShowsAllRows = true
    var sources: [String] = []

    static let maximumLines = SVGChart.palette.count
    static let maximumBars = 20

    private func name(_ index: Int) -> String { fields[index].name }
    private func type(_ index: Int) -> String { fields[index].type }
    private func title(_ index: Int) -> String {
        let title = PipelinePage.text(fields[index].titles, language)
        return title.isEmpty ? name(index) : title
    }
    private func unit(_ index: Int) -> String? { fields[index].unit.flatMap { $0.isEmpty ? nil : $0 } }
    private func isNumeric(_ index: Int) -> Bool { ["integer", "number"].contains(type(index)) }
    private func cell(_ row: [String], _ index: Int) -> String { index < row.count ? row[index] : "" }

    func chart(id: String, title chartTitle: String) -> SVGChart? {
        guard !rows.isEmpty else { return nil }
        let indexes = Array(fields.indices)
        let measures = indexes.filter { isNumeric($0) && !primaryKey.contains(name($0)) }
        guard let measure = measures.first else { return nil }
        func value(_ row: [String], _ index: Int) -> (Double, String)? {
            guard index < row.count, let number = NumberParser.parse(row[index], format: .plain) else { return nil }
            return (number.doubleValue, PipelinePage.shownValue(row[index], type: type(index), language: language))
        }
        func make(_ series: [SVGChart.Series], subtitle: String?, limit: Int, byLatest: Bool) -> SVGChart {
            let (shown, note) = choose(series, limit: limit, byLatest: byLatest)
            return SVGChart(
                id: id, title: chartTitle, subtitle: subtitle, series: shown, language: language, notes: [note, partialNote].compactMap { $0 },
                source: sourceLine)
        }
        if rows.count == 1 {
            let same = measures.filter { unit($0) == unit(measure) }
            let bars = same.compactMap { index -> SVGChart.Series? in
                guard let (number, shown) = value(rows[0], index) else { return nil }
                return SVGChart.Series(label: title(index), points: [("", number, shown)])
            }
            let subtitle = unit(measure).map { (language == .vi ? "Đơn vị: " : "Unit: ") + ChartUnits.localized($0, language) }
            return make(bars, subtitle: subtitle, limit: Self.maximumBars, byLatest: false)
        }
        let time = indexes.first { ["year", "date"].contains(type($0)) && (primaryKey.isEmpty || primaryKey.contains(name($0))) }
        // Series are told apart by the key fields whose values vary; a constant one names nothing.
        let seriesFields = indexes.filter { index in
            primaryKey.contains(name(index)) && index != time && Set(rows.map { cell($0, index) }).count > 1
        }
        let names = Dictionary(uniqueKeysWithValues: seriesFields.map { ($0, nameField(for: $0)) })
        var order: [String] = []
        var points: [String: [(period: String, value: Double, shown: String)]] = [:]
        for row in rows {
            guard let (number, shown) = value(row, measure) else { continue }
            let label =
                seriesFields.isEmpty
                ? title(measure) : seriesFields.map { seriesName(cell(row, $0), of: $0, named: names[$0] ?? nil, in: row) }.joined(separator: ", ")
            if points[label] == nil { order.append(label) }
            points[label, default: []].append((time.map { cell(row, $0) } ?? "", number, shown))
        }
        let subtitle = title(measure) + (unit(measure).map { " (\(ChartUnits.localized($0, language)))" } ?? "")
        // Rows that the key cannot tell apart within a period (no primary key, say) are bars, one a row.
        if points.values.contains(where: { line in Set(line.map(\.period)).count < line.count }) {
            // A name that tells the rows apart, rather than a code: a field with a value of its own in each row,
            // in the page's language first, then the longest values (`Hà Nội`, not `HN`; a number as `Mã tỉnh 01`).
            func length(_ index: Int) -> Int { rows.reduce(0) { $0 + cell($1, index).count } }
            func rank(_ index: Int) -> (Int, Int, Int) {
                (Set(rows.map { cell($0, index) }).count == rows.count ? 0 : 1, languageRank(index), -length(index))
            }
            let named = indexes.filter { type($0) == "string" }.sorted { rank($0) < rank($1) }.first
            let bars = rows.compactMap { row -> SVGChart.Series? in
                guard let (number, shown) = value(row, measure) else { return nil }
                let label = named.map { seriesName(cell(row, $0), of: $0, named: nil, in: row) } ?? ""
                return SVGChart.Series(label: label, points: [("", number, shown)])
            }
            return make(bars, subtitle: subtitle, limit: Self.maximumBars, byLatest: false)
        }
        let series = order.map { SVGChart.Series(label: $0, points: points[$0] ?? []) }
        let bars = series.allSatisfy { $0.points.count <= 1 }
        return make(series, subtitle: subtitle, limit: bars ? Self.maximumBars : Self.maximumLines, byLatest: !bars)
    }

    /// A code's label: the field that names it, the title of the field it names, or `title value` for a number.
    private func seriesName(_ code: String, of field: Int, named: Int?, in row: [String]) -> String {
        if let named, !cell(row, named).isEmpty { return cell(row, named) }
        if let own = fields.first(where: { $0.name == code }), let title = own.titles?[language], !title.isEmpty { return title }
        if let title = fieldTitles[code]?[language], !title.isEmpty { return title }
        if isDigits(code) { return "\(title(field)) \(code)" }
        return code
    }

    /// A text field outside the key that gives each code of `field` its own name in every row
    /// (one name a code, one code a name), in the page's language when fields say theirs (`_vi`, `_en`).
    private func nameField(for field: Int) -> Int? {
        let candidates = fields.indices.filter { type($0) == "string" && $0 != field && !primaryKey.contains(name($0)) }
        return candidates.sorted { languageRank($0) < languageRank($1) }.first { candidate in
            var byCode: [String: String] = [:]
            var byName: [String: String] = [:]
            for row in rows {
                let code = cell(row, field)
                let label = cell(row, candidate)
                guard !label.isEmpty, !isDigits(label), byCode[code, default: label] == label, byName[label, default: code] == code else {
                    return false
                }
                byCode[code] = label
                byName[label] = code
            }
            return true
        }
    }

    private func languageRank(_ index: Int) -> Int {
        let other: Language = language == .vi ? .en : .vi
        if name(index).hasSuffix("_\(language.rawValue)") { return 0 }
        return name(index).hasSuffix("_\(other.rawValue)") ? 2 : 1
    }

    private func isDigits(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy(\.isNumber) }

    /// Every series when they fit; else the `limit` largest (by their latest value for lines), largest first, and the note.
    func choose(_ series: [SVGChart.Series], limit: Int, byLatest: Bool) -> ([SVGChart.Series], String?) {
        guard series.count > limit else { return (series, nil) }
        func size(_ line: SVGChart.Series) -> Double { line.points.max { $0.period < $1.period }?.value ?? -.infinity }
        func key(_ item: (offset: Int, element: SVGChart.Series)) -> (Int, Double, Int) {
            (item.element.points.isEmpty ? 1 : 0, -size(item.element), item.offset)
        }
        let ranked = series.enumerated().sorted { key($0) < key($1) }
        let chosen = ranked.prefix(limit).map(\.element)
        let shown = NumberStyle.format(.integer(Int64(limit)), for: language)
        let all = NumberStyle.format(.integer(Int64(series.count)), for: language)
        let note: String
        switch language {
        case .vi:
            note =
                "\(shown) lớn nhất trong \(all)\(byLatest ? " (theo số liệu mới nhất)" : ""); tất cả có trong "
                + (tableShowsAllRows ? "bảng" : "tệp tải về")
        case .en:
            note =
                "The \(shown) largest of \(all)\(byLatest ? " (by latest figure)" : ""); all in the "
                + (tableShowsAllRows ? "table" : "downloads")
        }
        return (chosen, note)
    }

    private var partialNote: String? {
        guard let totalRows, totalRows > rows.count else { return nil }
        let read = NumberStyle.format(.integer(Int64(rows.count)), for: language)
        let all = NumberStyle.format(.integer(Int64(totalRows)), for: language)
        return language == .vi ? "Vẽ từ \(read) dòng đầu trong \(all)" : "Drawn from the first \(read) of \(all) rows"
    }

    private var sourceLine: String? {
        let titles = sources.filter { !$0.isEmpty }
        guard !titles.isEmpty else { return nil }
        return (language == .vi ? "Nguồn: " : "Source: ") + titles.joined(separator: "; ")
    }

    /// The titles of every field of a pipeline's tables, by name (the first table's when two share a name).
    static func fieldTitles(_ resources: [DataPackage.Resource]) -> [String: LocalizedText] {
        var titles: [String: LocalizedText] = [:]
        for field in resources.flatMap({ $0.schema?.fields ?? [] }) where titles[field.name] == nil {
            if let title = field.titles { titles[field.name] = title }
        }
        return titles
    }

    /// The caption's mark for a dataset that declares illustrative figures (`illustrative:`), in the page's language.
    static func illustrativeMark(_ declaration: LocalizedText?, _ language: Language) -> String? {
        guard let text = declaration?[language], !text.isEmpty else { return nil }
        return (language == .vi ? "Số liệu minh họa: " : "Illustrative figures: ") + text
    }
}
