import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("ChartBuilder")
struct ChartBuilderTests {
    private func field(_ name: String, _ type: String, unit: String? = nil, vi: String? = nil, en: String? = nil) -> DataPackage.FieldDescriptor {
        DataPackage.FieldDescriptor(name: name, type: type, titles: LocalizedText(vi: vi ?? name, en: en ?? name), unit: unit)
    }

    @Test func drawsALinePerSeriesOverThePeriods() throws {
        let fields = [field("area", "string"), field("year", "year"), field("value", "integer", unit: "persons")]
        let rows = [["HN", "2017", "100"], ["HN", "2018", "120"], ["HCM", "2017", "90"], ["HCM", "2018", "95"]]
        let chart = try #require(
            ChartBuilder(fields: fields, primaryKey: ["area", "year"], rows: rows, language: .en).chart(id: "x", title: "T"))
        #expect(!chart.isBarChart)
        #expect(chart.series.map(\.label) == ["HN", "HCM"])
        #expect(chart.notes.isEmpty)
        let svg = chart.render()
        // Two drawings (wide, narrow), each with a line per series.
        #expect(svg.components(separatedBy: "<polyline").count == 5)
        #expect(svg.components(separatedBy: "role=\"img\"").count == 3)
        #expect(svg.contains("class=\"chart chart-wide\"") && svg.contains("class=\"chart chart-narrow\""))
        #expect(svg.contains("aria-labelledby=\"chart-x chart-x-desc\"") && svg.contains("aria-labelledby=\"chart-x-narrow chart-x-narrow-desc\""))
    }

    @Test func drawsABarPerRowWhenTheKeyCannotTellRowsApartAndNamesThemByText() throws {
        let fields = [field("code", "string"), field("name", "string"), field("date", "date"), field("population", "integer")]
        let rows = [["HN", "Hà Nội", "2019-04-01", "8053663"], ["HP", "Hải Phòng", "2019-04-01", "2028514"]]
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

    // MARK: Labels are titles, never codes

    /// The shipped `hanoi-online-services-by-year`: indicator codes that are field names elsewhere in the pipeline.
    @Test(arguments: [Language.vi, .en])
    func aCodeThatNamesAFieldIsLabelledByItsTitle(language: Language) throws {
        let fields = [
            field("area_code", "string"), field("area_vi", "string"), field("area_en", "string"), field("indicator", "string"),
            field("year", "year"), field("procedures", "integer", vi: "Số thủ tục", en: "Procedures"),
        ]
        let rows = ["all_procedures": "1883", "level_3": "386", "level_4": "170"].sorted { $0.key < $1.key }.flatMap { code, count in
            [["HN", "Hà Nội", "Hanoi", code, "2017", ""], ["HN", "Hà Nội", "Hanoi", code, "2018", count]]
        }
        let titles = [
            "level_3": LocalizedText(vi: "Mức độ 3", en: "Level 3"), "level_4": LocalizedText(vi: "Mức độ 4", en: "Level 4"),
            "all_procedures": LocalizedText(vi: "Tổng số thủ tục hành chính", en: "All administrative procedures"),
        ]
        let chart = try #require(
            ChartBuilder(
                fields: fields, primaryKey: ["area_code", "indicator", "year"], rows: rows, language: language, fieldTitles: titles
            ).chart(id: "y", title: "T"))
        #expect(chart.isBarChart)
        #expect(chart.series.map(\.label) == ["all_procedures", "level_3", "level_4"].map { titles[$0]![language] })
        #expect(chart.subtitle == (language == .vi ? "Số thủ tục" : "Procedures"))
        let svg = chart.render()
        for code in ["all_procedures", "level_3", "level_4"] { #expect(!svg.contains(code)) }
        #expect(svg.contains(language == .vi ? ">1.883</text>" : ">1,883</text>"))
    }

    @Test func aCodeIsNamedByTheTextFieldOfThePagesLanguage() throws {
        let fields = [
            field("area_code", "string"), field("area_vi", "string"), field("area_en", "string"), field("year", "year"),
            field("value", "integer"),
        ]
        let rows = [
            ["HN", "Hà Nội", "Hanoi", "2017", "100"], ["HN", "Hà Nội", "Hanoi", "2018", "120"],
            ["SG", "TP. Hồ Chí Minh", "Ho Chi Minh City", "2017", "90"], ["SG", "TP. Hồ Chí Minh", "Ho Chi Minh City", "2018", "95"],
        ]
        for (language, names) in [(Language.vi, ["Hà Nội", "TP. Hồ Chí Minh"]), (.en, ["Hanoi", "Ho Chi Minh City"])] {
            let chart = try #require(
                ChartBuilder(fields: fields, primaryKey: ["area_code", "year"], rows: rows, language: language).chart(id: "a", title: "T"))
            #expect(chart.series.map(\.label) == names)
        }
    }

    @Test func aNumberCodeIsLabelledWithItsFieldsTitle() throws {
        let fields = [
            field("year", "year"), field("service_level", "integer", vi: "Mức độ", en: "Service level"),
            field("procedures", "integer", vi: "Số thủ tục", en: "Procedures"),
        ]
        let rows = [["2018", "1", "412"], ["2018", "2", "915"], ["2018", "3", "386"], ["2018", "4", "170"]]
        let chart = try #require(
            ChartBuilder(fields: fields, primaryKey: ["year", "service_level"], rows: rows, language: .en).chart(id: "l", title: "T"))
        #expect(chart.series.map(\.label) == ["Service level 1", "Service level 2", "Service level 3", "Service level 4"])
        let vi = try #require(
            ChartBuilder(fields: fields, primaryKey: ["year", "service_level"], rows: rows, language: .vi).chart(id: "l", title: "T"))
        #expect(vi.series.map(\.label) == ["Mức độ 1", "Mức độ 2", "Mức độ 3", "Mức độ 4"])
    }

    /// The shipped `provinces-sdmx`: bars whose only text is a number code.
    @Test func barsNamedOnlyByANumberCodeSayWhatTheCodeIs() throws {
        let fields = [
            field("code", "string", vi: "Mã tỉnh", en: "Province code"), field("population", "integer"), field("status", "string"),
        ]
        let rows = [["01", "8053663", "A"], ["31", "2028514", "A"]]
        let chart = try #require(ChartBuilder(fields: fields, primaryKey: [], rows: rows, language: .vi).chart(id: "s", title: "T"))
        #expect(chart.series.map(\.label) == ["Mã tỉnh 01", "Mã tỉnh 31"])
    }

    // MARK: Every series, or the largest and a note

    /// 24 provinces over two years; the largest comes last in the rows, as it did when only the first 8 were drawn.
    private func provinces(_ count: Int) -> [[String]] {
        (1...count).flatMap { index in
            [["P\(index)", "Province \(index)", "2018", "\(index * 10)"], ["P\(index)", "Province \(index)", "2019", "\(index * 10 + 5)"]]
        }
    }

    private let provinceFields = [
        DataPackage.FieldDescriptor(name: "code", type: "string", titles: LocalizedText(vi: "Mã", en: "Code")),
        DataPackage.FieldDescriptor(name: "name", type: "string", titles: LocalizedText(vi: "Tỉnh", en: "Province")),
        DataPackage.FieldDescriptor(name: "year", type: "year", titles: LocalizedText(vi: "Năm", en: "Year")),
        DataPackage.FieldDescriptor(name: "population", type: "integer", titles: LocalizedText(vi: "Dân số", en: "Population"), unit: "persons"),
    ]

    @Test func moreThanEightLinesShowTheLargestByLatestValueAndSaySo() throws {
        let builder = ChartBuilder(fields: provinceFields, primaryKey: ["code", "year"], rows: provinces(24), language: .en)
        let chart = try #require(builder.chart(id: "p", title: "T"))
        #expect(!chart.isBarChart)
        #expect(chart.series.map(\.label) == (17...24).reversed().map { "Province \($0)" })
        #expect(chart.notes == ["The 8 largest of 24 (by latest figure); all in the table"])
        #expect(chart.drawing(width: SVGChart.wideWidth).labels.contains { $0.text == chart.notes[0] })
        #expect(chart.description.hasSuffix(". The 8 largest of 24 (by latest figure); all in the table"))

        var vi = ChartBuilder(fields: provinceFields, primaryKey: ["code", "year"], rows: provinces(24), language: .vi)
        #expect(try #require(vi.chart(id: "p", title: "T")).notes == ["8 lớn nhất trong 24 (theo số liệu mới nhất); tất cả có trong bảng"])
        vi.tableShowsAllRows = false
        #expect(try #require(vi.chart(id: "p", title: "T")).notes == ["8 lớn nhất trong 24 (theo số liệu mới nhất); tất cả có trong tệp tải về"])
    }

    @Test func eightLinesOrFewerAreAllDrawnInTheirOrder() throws {
        let chart = try #require(
            ChartBuilder(fields: provinceFields, primaryKey: ["code", "year"], rows: provinces(8), language: .en).chart(id: "p", title: "T"))
        #expect(chart.series.map(\.label) == (1...8).map { "Province \($0)" })
        #expect(chart.notes.isEmpty)
    }

    @Test func moreThanTwentyBarsShowTheLargestAndSaySo() throws {
        let rows = (1...24).map { ["P\($0)", "Province \($0)", "2019", "\($0 == 3 ? 1000 : $0)"] }
        let chart = try #require(ChartBuilder(fields: provinceFields, primaryKey: [], rows: rows, language: .vi).chart(id: "b", title: "T"))
        #expect(chart.isBarChart)
        #expect(chart.series.count == 20)
        #expect(chart.series.first?.label == "Province 3")
        #expect(chart.series.map(\.label).dropFirst() == ArraySlice((6...24).reversed().map { "Province \($0)" }))
        #expect(chart.notes == ["20 lớn nhất trong 24; tất cả có trong bảng"])
    }

    @Test func aChartOfTheFirstRowsOnlySaysSo() throws {
        let builder = ChartBuilder(
            fields: provinceFields, primaryKey: ["code", "year"], rows: provinces(2), language: .en, totalRows: 1200, tableShowsAllRows: false)
        #expect(try #require(builder.chart(id: "p", title: "T")).notes == ["Drawn from the first 4 of 1,200 rows"])
    }

    // MARK: Units, numbers and the source in the page's language

    @Test func unitsAndNumbersFollowThePagesLanguage() throws {
        let fields = [
            field("area", "string"), field("year", "year"), field("residents", "number", unit: "persons", vi: "Số người dân", en: "Residents"),
        ]
        let rows = [["HN", "2017", "1883"], ["HN", "2018", "7.5"]]
        let vi = try #require(
            ChartBuilder(fields: fields, primaryKey: ["area", "year"], rows: rows, language: .vi, sources: ["Báo cáo ASOCIO 2018"])
                .chart(id: "u", title: "T"))
        #expect(vi.subtitle == "Số người dân (người)")
        #expect(vi.series[0].points.map(\.shown) == ["1.883", "7,5"])
        #expect(vi.source == "Nguồn: Báo cáo ASOCIO 2018")
        let texts = vi.drawing(width: SVGChart.wideWidth).labels.map(\.text)
        #expect(texts.contains("2.000") && texts.contains("Nguồn: Báo cáo ASOCIO 2018") && texts.contains("Số người dân (người)"))
        #expect(!texts.contains { $0.contains("persons") })
        let en = try #require(
            ChartBuilder(fields: fields, primaryKey: ["area", "year"], rows: rows, language: .en, sources: ["ASOCIO 2018"]).chart(id: "u", title: "T")
        )
        #expect(en.subtitle == "Residents (persons)")
        #expect(en.series[0].points.map(\.shown) == ["1,883", "7.5"])
        #expect(en.source == "Source: ASOCIO 2018")
    }

    @Test func knownUnitsAreTranslatedAndOthersKept() {
        #expect(ChartUnits.localized("persons", .vi) == "người")
        #expect(ChartUnits.localized("Persons", .vi) == "người")
        #expect(ChartUnits.localized("persons", .en) == "persons")
        #expect(ChartUnits.localized("người", .en) == "persons")
        #expect(ChartUnits.localized("billion VND", .vi) == "tỷ đồng")
        #expect(ChartUnits.localized("%", .vi) == "%")
        #expect(ChartUnits.localized("km²", .en) == "km²")
        #expect(ChartUnits.localized("widgets", .vi) == "widgets")
    }

    @Test func theIllustrativeMarkQuotesTheDeclarationInThePagesLanguage() {
        let declaration = LocalizedText(vi: "Các bản ghi là dữ liệu minh họa.", en: "The records are illustrative.")
        #expect(ChartBuilder.illustrativeMark(declaration, .vi) == "Số liệu minh họa: Các bản ghi là dữ liệu minh họa.")
        #expect(ChartBuilder.illustrativeMark(declaration, .en) == "Illustrative figures: The records are illustrative.")
        #expect(ChartBuilder.illustrativeMark(nil, .en) == nil)
    }
}

@Suite("Chart layout")
struct ChartLayoutTests {
    private static let long = "Thành phố Hồ Chí Minh và các tỉnh Đông Nam Bộ, theo đơn vị hành chính mới sau khi sắp xếp năm 2025"

    /// Charts that crowded the old drawing: 24 long-named series, 20 long-labelled bars, negative bars, many periods.
    private static func crowded() -> [SVGChart] {
        let lines = (1...8).map { index in
            SVGChart.Series(
                label: "\(long) \(index)",
                points: (2000...2024).map { year in ("\(year)", Double(index * 1_000_000 + year), "\(index * 1_000_000 + year)") })
        }
        let bars = (1...20).map { SVGChart.Series(label: "\(long) \($0)", points: [("", Double($0) * 123_456.7, "\($0 * 123_456),7")]) }
        let negative = [
            SVGChart.Series(label: "Giảm", points: [("", -1_883, "-1.883")]), SVGChart.Series(label: "Tăng", points: [("", 7.5, "7,5")]),
        ]
        let notes = ["8 lớn nhất trong 24 (theo số liệu mới nhất); tất cả có trong tệp tải về", "Vẽ từ 500 dòng đầu trong 12.000"]
        return [
            SVGChart(id: "l", title: long, subtitle: "Số người dân (người)", series: lines, language: .vi, notes: notes, source: "Nguồn: \(long)"),
            SVGChart(id: "b", title: long, subtitle: "Số thủ tục", series: bars, language: .vi, notes: notes, source: "Nguồn: \(long)"),
            SVGChart(id: "n", title: "T", subtitle: nil, series: negative, language: .vi),
            SVGChart(id: "w", title: String(repeating: "W", count: 200), subtitle: nil, series: [bars[0]], language: .en),
        ]
    }

    @Test(arguments: [SVGChart.wideWidth, SVGChart.narrowWidth])
    func noTextLeavesTheDrawingOrMeetsAnother(width: Double) {
        for chart in Self.crowded() {
            let drawing = chart.drawing(width: width)
            #expect(drawing.width == width)
            #expect(drawing.problems == [], "chart \(chart.id) at \(width)")
            #expect(drawing.labels.allSatisfy { $0.size >= 12 })
            #expect(drawing.labels.contains { $0.text.hasPrefix("Thành phố") || $0.text.hasPrefix("W") || $0.text == "T" })
        }
    }

    @Test func theSVGsViewBoxIsTheDrawingsSize() throws {
        let chart = Self.crowded()[1]
        let drawing = chart.drawing(width: SVGChart.narrowWidth)
        let svg = chart.svg(drawing, idSuffix: "-narrow", kind: "narrow")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 340.0 \(SVGChart.format(drawing.height))\""))
        #expect(drawing.height > 20 * 24)
        #expect(svg.components(separatedBy: "<text ").count - 1 == drawing.labels.count)
    }

    @Test func theProblemsNameATextOutsideAndTwoThatMeet() {
        var drawing = ChartDrawing(width: 100, height: 50)
        drawing.labels = [
            .init(text: "a", x: 10, y: 20, size: 12), .init(text: "b", x: 12, y: 22, size: 12), .init(text: "c", x: 95, y: 20, size: 12),
        ]
        #expect(drawing.problems == ["'c' is outside the drawing", "'a' meets 'b'"])
    }

    @Test func wrappedLinesFitAndSayWhatIsLeftOut() {
        let lines = ChartText.wrap(Self.long, width: 120, size: 12, maximumLines: 3)
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { ChartText.width($0, size: 12) <= 120 })
        #expect(lines[2].hasSuffix("…"))
        #expect(ChartText.wrap("Hà Nội", width: 120, size: 12) == ["Hà Nội"])
        let cut = ChartText.wrap(String(repeating: "m", count: 40), width: 60, size: 12, maximumLines: 20)
        #expect(cut.count > 1 && cut.joined() == String(repeating: "m", count: 40))
        #expect(ChartText.width("ể", size: 10) == ChartText.width("e", size: 10))
    }
}
