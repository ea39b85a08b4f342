import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("Revisions")
struct RevisionTests {
    private let schema = TableSchema(fields: [
        Field(name: "year", type: .year),
        Field(name: "level_4", type: .integer, title: LocalizedText(vi: "Mức độ 4", en: "Level 4")),
        Field(name: "share", type: .number, title: LocalizedText(vi: "Tỷ lệ", en: "Share"), unit: "%"),
    ])

    private func compare(_ old: String, _ new: String, key: [String] = ["year"]) throws -> DatasetRevision {
        let directory = try TemporaryDirectory()
        return try RevisionComparer.compare(
            previousCSV: try directory.write(old, to: "old.csv"), currentCSV: try directory.write(new, to: "new.csv"),
            schema: schema, primaryKey: key)
    }

    /// A dataset of `schema` keyed by year.
    private func yearly(illustrative: LocalizedText? = nil, figures: FigureSelection? = nil) -> Dataset {
        var dataset = Dataset(
            id: "d", title: LocalizedText(vi: "t", en: "t"), description: LocalizedText(vi: "d", en: "d"), illustrative: illustrative,
            illustrativeFigures: figures, sources: [],
            extractor: CSVExtractor(path: "", displayPath: "", dialect: CSVDialect(), fields: []), transforms: [],
            schema: schema, formats: [.csv], feedTemplate: nil)
        dataset.primaryKey = ["year"]
        return dataset
    }

    @Test func findsRevisedAddedAndRemovedRowsByPrimaryKey() throws {
        let revision = try compare(
            "year,level_4,share\r\n2017,150,27.0\r\n2018,160,28.0\r\n",
            "year,level_4,share\r\n2018,170,29.5\r\n2019,180,30.1\r\n")
        #expect(
            revision.revised == [
                .init(key: ["2018"], field: "level_4", old: "160", new: "170"),
                .init(key: ["2018"], field: "share", old: "28.0", new: "29.5"),
            ])
        #expect(revision.addedCount == 1)
        #expect(revision.added == [["2019", "180", "30.1"]])
        #expect(revision.removedCount == 1)
        #expect(revision.removed == [["2017", "150", "27.0"]])
    }

    @Test func saysTheRevisionInWordsAndNumbersInBothLanguages() throws {
        let revision = try compare("year,level_4,share\r\n2018,160,28.0\r\n", "year,level_4,share\r\n2018,170,29.5\r\n")
        let dataset = yearly()
        #expect(
            ChangeDescription.sentence(revision, dataset: dataset, language: .en)
                == "2018: Level 4 revised from 160 to 170, Share revised from 28.0% to 29.5%.")
        #expect(
            ChangeDescription.sentence(revision, dataset: dataset, language: .vi)
                == "2018: Mức độ 4 điều chỉnh từ 160 thành 170, Tỷ lệ điều chỉnh từ 28,0% thành 29,5%.")
    }

    @Test func aRevisedIllustrativeFigureSaysSo() throws {
        let revision = try compare(
            "year,level_4,share\r\n2017,150,27.0\r\n2018,160,28.0\r\n", "year,level_4,share\r\n2017,151,27.0\r\n2018,170,28.0\r\n")
        let dataset = yearly(
            illustrative: LocalizedText(vi: "Năm 2017 là minh họa", en: "2017 is illustrative"),
            figures: FigureSelection(rows: [RowSelector(values: ["year": "2017"])]))
        #expect(
            ChangeDescription.sentence(revision, dataset: dataset, language: .en)
                == "2017: Level 4 revised from 150 to 151 (illustrative); 2018: Level 4 revised from 160 to 170.")
        #expect(
            ChangeDescription.sentence(revision, dataset: dataset, language: .vi)
                == "2017: Mức độ 4 điều chỉnh từ 150 thành 151 (minh họa); 2018: Mức độ 4 điều chỉnh từ 160 thành 170.")
    }

    @Test func comparesWholeRowsWhenThereIsNoPrimaryKey() throws {
        let revision = try compare("year,level_4,share\r\n2018,160,28.0\r\n", "year,level_4,share\r\n2018,170,28.0\r\n", key: [])
        #expect(revision.revisedCount == 0)
        #expect(revision.addedCount == 1)
        #expect(revision.removedCount == 1)
    }
}
