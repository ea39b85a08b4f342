/// Says which figures are illustrative, provisional or estimated, in both
/// languages, wherever a figure is shown (feed sentences, headlines, pages,
/// metadata; charts and spreadsheets may call it too).
///
/// A figure is illustrative when its dataset declares `illustrative:` and the
/// declaration's ``FigureSelection`` selects it (every figure when it selects
/// nothing in particular). It is provisional or an estimate when the row's
/// observation-status field (`role: observationStatus`) says `provisional`
/// (SDMX `P`) or `estimate` (SDMX `E`).
///
///     let marks = FigureMarks(dataset: dataset)
///     marks.suffix(for: row, language: .en)   // " (illustrative)", " (provisional)", ""
public struct FigureMarks: Sendable {
    public enum Mark: String, Sendable, CaseIterable {
        case illustrative, provisional, estimate

        /// The word a sentence carries after the figure: "minh họa" / "illustrative".
        public func word(_ language: Language) -> String {
            switch (self, language) {
            case (.illustrative, .vi): "minh họa"
            case (.illustrative, .en): "illustrative"
            case (.provisional, .vi): "sơ bộ"
            case (.provisional, .en): "provisional"
            case (.estimate, .vi): "ước tính"
            case (.estimate, .en): "estimate"
            }
        }
    }

    let fieldNames: [String]
    /// The dataset's `illustrative` note, when it has one.
    public let illustrative: LocalizedText?
    let selection: FigureSelection?
    /// The observation-status field's position.
    let statusField: Int?

    public init(fieldNames: [String], illustrative: LocalizedText?, selection: FigureSelection?, statusField: Int?) {
        self.fieldNames = fieldNames
        self.illustrative = illustrative
        self.selection = selection
        self.statusField = statusField
    }

    public init(dataset: Dataset) {
        self.init(
            fieldNames: dataset.schema.fields.map(\.name), illustrative: dataset.illustrative, selection: dataset.illustrativeFigures,
            statusField: dataset.schema.fields.firstIndex { $0.role == .observationStatus })
    }

    /// From a dataset's main table in `datapackage.json` (what the pages are built from).
    init(resource: DataPackage.Resource) {
        let fields = resource.schema?.fields ?? []
        self.init(
            fieldNames: fields.map(\.name), illustrative: resource.illustrative, selection: resource.illustrativeFigures,
            statusField: fields.firstIndex { $0.role == FieldRole.observationStatus.rawValue })
    }

    /// The status a row's observation-status text stands for, if it is marked.
    public static func status(_ text: String?) -> Mark? {
        switch text {
        case "provisional", "P": .provisional
        case "estimate", "E": .estimate
        default: nil
        }
    }

    /// The marks of a row given as the canonical text of each field (nil: missing), for the figures of
    /// `fields` (positions; nil: every field).
    public func marks(texts row: [String?], fields: [Int]? = nil) -> [Mark] {
        var marks: [Mark] = []
        if illustrative != nil {
            let shown = fields ?? Array(fieldNames.indices)
            let text: (String) -> String? = { name in fieldNames.firstIndex(of: name).flatMap { $0 < row.count ? row[$0] : nil } }
            if let selection {
                if shown.contains(where: { fieldNames.indices.contains($0) && selection.selects(field: fieldNames[$0], row: text) }) {
                    marks.append(.illustrative)
                }
            } else {
                marks.append(.illustrative)
            }
        }
        if let statusField, statusField < row.count, let mark = Self.status(row[statusField]) { marks.append(mark) }
        return marks
    }

    /// The same for a row of typed values.
    public func marks(_ row: ArraySlice<Value>, fields: [Int]? = nil) -> [Mark] {
        marks(texts: row.map(\.text), fields: fields)
    }

    /// Whether the value of field `field` in `row` (canonical texts) is illustrative.
    public func isIllustrative(texts row: [String?], field: Int) -> Bool {
        marks(texts: row, fields: [field]).contains(.illustrative)
    }

    /// " (minh họa, sơ bộ)": what follows a figure with these marks; empty without any.
    public static func suffix(_ marks: [Mark], language: Language) -> String {
        marks.isEmpty ? "" : " (" + marks.map { $0.word(language) }.joined(separator: ", ") + ")"
    }

    public func suffix(for row: ArraySlice<Value>, fields: [Int]? = nil, language: Language) -> String {
        Self.suffix(marks(row, fields: fields), language: language)
    }

    /// The dataset-level note for its metadata: what is illustrative, and how many rows are
    /// provisional or estimates. Nil when nothing is marked.
    public func note(statusCounts: [Mark: Int] = [:], statusName: String? = nil) -> LocalizedText? {
        var vi: [String] = []
        var en: [String] = []
        if let illustrative {
            vi.append("Số liệu minh họa: \(illustrative.vi)")
            en.append("Illustrative figures: \(illustrative.en)")
        }
        let field = statusName ?? statusField.map { fieldNames[$0] } ?? "status"
        for mark in [Mark.provisional, .estimate] {
            guard let count = statusCounts[mark], count > 0 else { continue }
            vi.append("\(count) dòng có số liệu \(mark.word(.vi)) (trường \(field)).")
            en.append(
                "\(count) row\(count == 1 ? "" : "s") hold\(count == 1 ? "s" : "") \(mark == .estimate ? "estimated" : "provisional") figures (field \(field))."
            )
        }
        guard !vi.isEmpty else { return nil }
        return LocalizedText(vi: vi.joined(separator: " "), en: en.joined(separator: " "))
    }
}

/// Counts a dataset's provisional and estimated rows, for its metadata's note.
final class FigureStatusCounter: RowSink {
    let statusField: Int?
    private(set) var counts: [FigureMarks.Mark: Int] = [:]

    init(statusField: Int?) {
        self.statusField = statusField
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        guard let statusField else { return }
        for row in 0..<batch.rowCount {
            if let mark = FigureMarks.status(batch[row, statusField].text) { counts[mark, default: 0] += 1 }
        }
    }
}
