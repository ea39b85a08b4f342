/// What a dataset without a `feed:` sentence says of a row, and of a
/// publication: "Hà Nội: Dân số 8.053.663" for a row (the fields that name it,
/// then the headline's measure with its title), "Công bố 5 dòng." /
/// "Published 5 rows." before the headline of a first publication.
///
/// The fields that name a row are the headline's `label`, or else its text
/// fields other than codes (`code`, `id`, `…_code`, `…_id`), the period and
/// the observation status; a field ending in `_en` is left out of the
/// Vietnamese sentence when one ending in `_vi` is there, and the other way round.
/// A naming value that is the name of a field of the pipeline (a code such as
/// `all_procedures`) is stated by that field's title, as the charts label it.
struct DefaultSentence {
    let schema: TableSchema
    let label: [Int]
    let measure: Int?
    let codeTitles: [String: LocalizedText]

    init(dataset: Dataset, measure: Int?, codeTitles: [String: LocalizedText] = [:]) {
        schema = dataset.schema
        self.measure = measure
        self.codeTitles = codeTitles
        if let label = dataset.headline.label {
            self.label = label
        } else {
            let texts = dataset.schema.fields.indices.filter { index in
                let field = dataset.schema.fields[index]
                return field.type == .string && field.role != .observationStatus && index != dataset.headline.period
            }
            let named = texts.filter { index in
                let name = dataset.schema.fields[index].name
                return !(name == "code" || name == "id" || name.hasSuffix("_code") || name.hasSuffix("_id"))
            }
            self.label = named.isEmpty ? texts : named
        }
    }

    /// The positions of the fields a sentence shows.
    var fields: [Int] { label + (measure.map { [$0] } ?? []) }

    func render(_ row: ArraySlice<Value>, language: Language) -> String {
        let names = schema.fields.map(\.name)
        let other = language == .vi ? "_vi" : "_en"
        let skipped = language == .vi ? "_en" : "_vi"
        let label = self.label.filter { index in
            let name = names[index]
            guard name.hasSuffix(skipped) else { return true }
            return !names.contains(String(name.dropLast(3)) + other)
        }
        let name = label.compactMap { row[row.startIndex + $0].text }.filter { !$0.isEmpty }
            .map { codeTitles[$0]?[language] ?? $0 }.joined(separator: ", ")
        guard let measure else { return name }
        let field = schema.fields[measure]
        let value =
            (field.title?[language] ?? field.name) + " " + NumberStyle.format(row[row.startIndex + measure], for: language)
            + (field.unit == "%" ? "%" : "")
        return name.isEmpty ? value : "\(name): \(value)"
    }

    /// The titles of every field of the pipeline's datasets by name (the first dataset's, when two differ).
    static func codeTitles(_ pipeline: Pipeline) -> [String: LocalizedText] {
        var titles: [String: LocalizedText] = [:]
        for dataset in pipeline.datasets {
            for field in dataset.schema.fields where titles[field.name] == nil {
                if let title = field.title { titles[field.name] = title }
            }
        }
        return titles
    }

    /// "Công bố 5 dòng." / "Published 5 rows.": the lead of a first publication's feed item.
    static func published(rows: Int, language: Language) -> String {
        let count = NumberStyle.format(.integer(Int64(rows)), for: language)
        return language == .vi ? "Công bố \(count) dòng." : "Published \(count) row\(rows == 1 ? "" : "s")."
    }
}
