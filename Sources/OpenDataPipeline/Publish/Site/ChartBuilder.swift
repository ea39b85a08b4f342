/// Chooses what a dataset's chart shows, from its schema.
///
/// The measure is the first numeric field outside the primary key; the
/// periods come from a `year` or `date` field; the series are the other
/// primary-key fields. When the dataset has a single row, its numeric fields
/// with the first one's unit become the bars. A dataset with no numeric field
/// gets no chart; a pipeline can turn a dataset's chart off with `chart: false`.
struct ChartBuilder {
    let fields: [DataPackage.FieldDescriptor]
    let primaryKey: [String]
    let rows: [[String]]
    let language: Language

    private func name(_ index: Int) -> String { fields[index].name }
    private func type(_ index: Int) -> String { fields[index].type }
    private func title(_ index: Int) -> String {
        let title = PipelinePage.text(fields[index].titles, language)
        return title.isEmpty ? name(index) : title
    }
    private func unit(_ index: Int) -> String? { fields[index].unit }
    private func isNumeric(_ index: Int) -> Bool { ["integer", "number"].contains(type(index)) }

    func chart(id: String, title chartTitle: String) -> SVGChart? {
        guard !rows.isEmpty else { return nil }
        let indexes = Array(fields.indices)
        let measures = indexes.filter { isNumeric($0) && !primaryKey.contains(name($0)) }
        guard let measure = measures.first else { return nil }
        func value(_ row: [String], _ index: Int) -> (Double, String)? {
            guard index < row.count, let number = NumberParser.parse(row[index], format: .plain) else { return nil }
            return (number.doubleValue, PipelinePage.shownValue(row[index], type: type(index), language: language))
        }
        if rows.count == 1 {
            let same = measures.filter { unit($0) == unit(measure) }
            let bars = same.compactMap { index -> SVGChart.Series? in
                guard let (number, shown) = value(rows[0], index) else { return nil }
                return SVGChart.Series(label: title(index), points: [("", number, shown)])
            }
            return SVGChart(id: id, title: chartTitle, unit: unit(measure), series: bars, language: language)
        }
        let time = indexes.first { ["year", "date"].contains(type($0)) && (primaryKey.isEmpty || primaryKey.contains(name($0))) }
        // Series are told apart by the key fields whose values vary; a constant one names nothing.
        let seriesFields = indexes.filter { index in
            primaryKey.contains(name(index)) && index != time && Set(rows.map { index < $0.count ? $0[index] : "" }).count > 1
        }
        var order: [String] = []
        var points: [String: [(period: String, value: Double, shown: String)]] = [:]
        for row in rows {
            guard let (number, shown) = value(row, measure) else { continue }
            let label = seriesFields.isEmpty ? title(measure) : seriesFields.map { row[$0] }.joined(separator: ", ")
            if points[label] == nil { order.append(label) }
            points[label, default: []].append((time.map { row[$0] } ?? "", number, shown))
        }
        // Rows that the key cannot tell apart within a period (no primary key, say) are bars, one a row.
        if points.values.contains(where: { line in Set(line.map(\.period)).count < line.count }) {
            // A name reads better than a code: the first text field whose values are not all digits.
            let texts = indexes.filter { type($0) == "string" }
            let label =
                texts.first { index in
                    rows.contains { row in index < row.count && !row[index].allSatisfy(\.isNumber) }
                } ?? texts.first
            let bars = rows.prefix(SVGChart.palette.count * 3).compactMap { row -> SVGChart.Series? in
                guard let (number, shown) = value(row, measure) else { return nil }
                return SVGChart.Series(label: label.map { row[$0] } ?? "", points: [("", number, shown)])
            }
            return SVGChart(id: id, title: chartTitle, unit: unit(measure) ?? title(measure), series: bars, language: language)
        }
        let series = order.prefix(SVGChart.palette.count).map { SVGChart.Series(label: $0, points: points[$0] ?? []) }
        var chartUnit = unit(measure)
        if chartUnit == nil || chartUnit?.isEmpty == true { chartUnit = title(measure) }
        return SVGChart(id: id, title: chartTitle, unit: chartUnit, series: Array(series), language: language)
    }
}
