import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("ChartBuilder")
struct ChartBuilderTests {
    private func field(_ name: String, _ type: String, unit: String? = nil) -> DataPackage.FieldDescriptor {
        DataPackage.FieldDescriptor(name: name, type: type, titles: LocalizedText(vi: name, en: name), unit: unit)
    }

    @Test func drawsALinePerSeriesOverThePeriods() throws {
        let fields = [field("area", "string"), field("year", "year"), field("value", "integer", unit: "persons")]
        let rows = [["HN", "2017", "100"], ["HN", "2018", "120"], ["HCM", "2017", "90"], ["HCM", "2018", "95"]]
        let chart = try #require(
            ChartBuilder(fields: fields, primaryKey: ["area", "year"], rows: rows, language: .en).chart(id: "x", title: "T"))
        #expect(!chart.isBarChart)
        #expect(chart.series.map(\.label) == ["HN", "HCM"])
        let svg = chart.render()
        #expect(svg.components(separatedBy: "<polyline").count == 3)
        #expect(svg.contains("role=\"img\""))
    }

    @Test func drawsABarPerRowWhenTheKeyCannotTellRowsApartAndNamesThemByText() throws {
        let fields = [field("code", "string"), field("name", "string"), field("date", "date"), field("population", "integer")]
        let rows = [["01", "Hà Nội", "2019-04-01", "8053663"], ["31", "Hải Phòng", "2019-04-01", "2028514"]]
        let chart = try #require(ChartBuilder(fields: fields, primaryKey: [], rows: rows, language: .vi).chart(id: "p", title: "T"))
        #expect(chart.isBarChart)
        #expect(chart.series.map(\.label) == ["Hà Nội", "Hải Phòng"])
        #expect(chart.description == "Hà Nội: 8.053.663; Hải Phòng: 2.028.514")
    }

    @Test func escapesTextInTheSVG() throws {
        let fields = [field("name", "string"), field("value", "integer")]
        let rows = [["<script>", "1"], ["a&b", "2"]]
        let svg = try #require(ChartBuilder(fields: fields, primaryKey: ["name"], rows: rows, language: .en).chart(id: "e", title: "<T>"))
            .render()
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;") && svg.contains("a&amp;b") && svg.contains("&lt;T&gt;"))
    }
}
