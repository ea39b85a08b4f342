/// A dataset's figures in words, in both languages, from its rows once they
/// are all read: its ``Headline`` (stated by its `feed:` sentence, or by a
/// ``DefaultSentence`` without one) and the text of its feed item.
struct HeadlineSentences {
    let dataset: Dataset
    let headline: LocalizedText

    init(dataset: Dataset, headline sink: Headline, marks: FigureMarks, codeTitles: [String: LocalizedText] = [:]) {
        self.dataset = dataset
        // The same rows in both languages: when either cannot state them all, both state the rows for a cut.
        func texts(cut: Bool) -> [Language: (text: String, complete: Bool)] {
            var result: [Language: (text: String, complete: Bool)] = [:]
            for language in Language.allCases {
                if let template = dataset.feedTemplate {
                    let periodStated = dataset.headline.period.map(template.fields.contains) ?? true
                    result[language] = sink.text(
                        language: language, marks: marks, fields: template.fields, periodStated: periodStated, cut: cut
                    ) { template.render($0, language: language) }
                } else {
                    let sentence = DefaultSentence(dataset: dataset, measure: sink.measure, codeTitles: codeTitles)
                    result[language] = sink.text(language: language, marks: marks, fields: sentence.fields, periodStated: false, cut: cut) {
                        sentence.render($0, language: language)
                    }
                }
            }
            return result
        }
        var text = texts(cut: false)
        if text.values.contains(where: { !$0.complete }) { text = texts(cut: true) }
        headline = LocalizedText(vi: text[.vi]?.text ?? "", en: text[.en]?.text ?? "")
    }

    /// The feed item's text: what was revised (and, without a `feed:` sentence, the headline after it),
    /// or the headline of a first publication (after "Published N rows." without a `feed:` sentence).
    func feedText(language: Language, rows: Int, revision: DatasetRevision?, statuses: [[String]: String] = [:]) -> String {
        let own = dataset.feedTemplate != nil
        if let revision, !revision.isEmpty {
            let change = ChangeDescription.sentence(revision, dataset: dataset, language: language, statuses: statuses)
            return own ? change : change + " " + headline[language]
        }
        return own ? headline[language] : DefaultSentence.published(rows: rows, language: language) + " " + headline[language]
    }
}
