import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("HTML tables")
struct HTMLTableExtractorTests {
    /// An intranet page: a layout table, then the figures with a two-row header
    /// (a colspan over the years) and a rowspan for the region.
    static let page = """
        <!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
        <html>
        <head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Dân số</title></head>
        <body>
        <table id="layout"><tr><td>Sở Thông tin và Truyền thông</td></tr></table>
        <table id="dan-so">
          <caption>Dân số trung bình (nghìn người)</caption>
          <thead>
            <tr><th rowspan="2">Vùng</th><th rowspan="2">Tỉnh</th><th colspan="2">Dân số</th></tr>
            <tr><th>2018</th><th>2019</th></tr>
          </thead>
          <tbody>
            <tr><td rowspan="2">Đồng bằng sông Hồng</td><td>Hà Nội</td><td>7.520,7</td><td>8.093,9</td></tr>
            <tr><td>Hải Phòng</td><td>2.013,8</td><td>2.033,3</td></tr>
            <tr><td>Bắc Trung Bộ</td><td>Thừa Thiên Huế</td><td>1.154,3</td><td>1.129,4</td></tr>
          </tbody>
        </table>
        </body>
        </html>
        """

    private static let fields = [
        SourceField(field: Field(name: "vung", type: .string), from: "Vùng", numberFormat: .vi),
        SourceField(field: Field(name: "tinh", type: .string), from: "Tỉnh", numberFormat: .vi),
        SourceField(field: Field(name: "dan_so_2019", type: .number), from: "Dân số / 2019", numberFormat: .vi),
    ]

    private func rows(_ html: String = page, table: HTMLTableExtractor.Selector, headerRows: Int = 2) throws -> [[String]] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(html, to: "page.html")
        var rows: [[String]] = []
        try HTMLTableExtractor(path: path, displayPath: "page.html", table: table, headerRows: headerRows, fields: Self.fields)
            .extract { batch in
                for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "" }) }
            }
        return rows
    }

    static let expected = [
        ["Đồng bằng sông Hồng", "Hà Nội", "8093.9"],
        ["Đồng bằng sông Hồng", "Hải Phòng", "2033.3"],
        ["Bắc Trung Bộ", "Thừa Thiên Huế", "1129.4"],
    ]

    @Test(arguments: [
        HTMLTableExtractor.Selector.id("dan-so"), .caption("Dân số trung bình (nghìn người)"), .xpath("//table[2]"),
    ])
    func readsTheChosenTableWithSpansExpandedAndVietnameseNumbers(selector: HTMLTableExtractor.Selector) throws {
        #expect(try rows(table: selector) == Self.expected)
    }

    @Test func failsOnAnyParserErrorWithLineAndColumn() throws {
        let broken = Self.page.replacingOccurrences(of: "<tr><td>Hải Phòng</td>", with: "<tr><td>Hải Phòng</tdd>")
        let error = failure { try rows(broken, table: .id("dan-so")) }
        guard case let PipelineFailure.malformedSource(location, problem, _)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(location.line == 14)
        #expect(location.column != nil)
        #expect(problem.hasPrefix("malformed XML") || problem.contains("tdd"))
    }

    @Test func namesAMissingOrAmbiguousTable() throws {
        #expect("\(failure { try rows(table: .id("khong-co")) }!)".contains("no table matches"))
        #expect("\(failure { try rows(table: .xpath("//table")) }!)".contains("2 tables match"))
    }

    @Test func namesTheRowOfABadNumber() throws {
        let bad = Self.page.replacingOccurrences(of: "2.033,3", with: "2,033.3")
        let error = failure { try rows(bad, table: .id("dan-so")) }
        guard case let PipelineFailure.badValue(location, value, _, _)? = error else {
            Issue.record("expected a bad value, got \(String(describing: error))")
            return
        }
        #expect(location.line == 14)
        #expect(location.field == "Dân số / 2019")
        #expect(value == "2,033.3")
    }
}
