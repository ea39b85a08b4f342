import Foundation
@testable import OpenDataPipeline
import Testing

/// SDMX-ML messages made in the test from a table of expected values: groups
/// (generic and structure-specific), cross-sections with explicit measures,
/// and components that no part of the message carries.
@Suite("SDMX-ML groups and explicit measures")
struct SDMXLayoutTests {
    private static let header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <message:%@ xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
        xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic" \
        xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="urn:sdmx:test:POP(1.0)">
        <message:Header><message:ID>T</message:ID><message:Test>true</message:Test>
        <message:Prepared>2020-01-01T00:00:00</message:Prepared><message:Sender id="GSO"/>
        <message:Structure structureID="POP" dimensionAtObservation="%@"><common:Structure><Ref agencyID="GSO" id="POP" version="1.0"/></common:Structure></message:Structure>
        </message:Header>

        """

    /// Areas with their group attributes (nil: no group covers the area).
    private static let areas: [(code: String, title: String?, unit: String?)] = [
        ("01", "Hà Nội, dân số", "PERS"), ("79", "TP. Hồ Chí Minh, dân số", "PERS"), ("92", nil, nil),
    ]
    private static let sexes = ["T", "M", "F"]
    private static let years = ["2018", "2019"]

    /// The value of each observation, computed from its key alone.
    private static func value(area: Int, sex: Int, year: Int) -> String {
        "\(1000 + area * 100 + sex * 10 + year).\(sex)5"
    }

    /// Expected rows: REF_AREA, SEX, TIME_PERIOD, OBS_VALUE, TITLE, UNIT_MEASURE.
    static var expected: [[String]] {
        var rows: [[String]] = []
        for (a, area) in areas.enumerated() {
            for (s, sex) in sexes.enumerated() {
                for (y, year) in years.enumerated() {
                    rows.append([area.code, sex, year, value(area: a, sex: s, year: y), area.title ?? "", area.unit ?? ""])
                }
            }
        }
        return rows
    }

    static func genericMessage() -> String {
        var xml = String(format: header, "GenericTimeSeriesData", "TIME_PERIOD") + "<message:DataSet structureRef=\"POP\">\n"
        for area in areas {
            guard let title = area.title, let unit = area.unit else { continue }
            xml += """
                <generic:Group type="SiblingGroup"><generic:GroupKey><generic:Value id="REF_AREA" value="\(area.code)"/></generic:GroupKey>
                <generic:Attributes><generic:Value id="TITLE" value="\(title)"/><generic:Value id="UNIT_MEASURE" value="\(unit)"/></generic:Attributes></generic:Group>

                """
        }
        for (a, area) in areas.enumerated() {
            for (s, sex) in sexes.enumerated() {
                xml +=
                    "<generic:Series><generic:SeriesKey><generic:Value id=\"REF_AREA\" value=\"\(area.code)\"/><generic:Value id=\"SEX\" value=\"\(sex)\"/></generic:SeriesKey>\n"
                for (y, year) in years.enumerated() {
                    xml +=
                        "<generic:Obs><generic:ObsDimension value=\"\(year)\"/><generic:ObsValue value=\"\(value(area: a, sex: s, year: y))\"/></generic:Obs>\n"
                }
                xml += "</generic:Series>\n"
            }
        }
        return xml + "</message:DataSet></message:GenericTimeSeriesData>\n"
    }

    static func structureSpecificMessage() -> String {
        var xml =
            String(format: header, "StructureSpecificTimeSeriesData", "TIME_PERIOD")
            + "<message:DataSet xsi:type=\"ns1:DataSetType\">\n"
        for area in areas {
            guard let title = area.title, let unit = area.unit else { continue }
            xml += "<Group xsi:type=\"ns1:SiblingGroup\" REF_AREA=\"\(area.code)\" TITLE=\"\(title)\" UNIT_MEASURE=\"\(unit)\"/>\n"
        }
        for (a, area) in areas.enumerated() {
            for (s, sex) in sexes.enumerated() {
                xml += "<Series REF_AREA=\"\(area.code)\" SEX=\"\(sex)\">\n"
                for (y, year) in years.enumerated() {
                    xml += "<Obs TIME_PERIOD=\"\(year)\" OBS_VALUE=\"\(value(area: a, sex: s, year: y))\"/>\n"
                }
                xml += "</Series>\n"
            }
        }
        return xml + "</message:DataSet></message:StructureSpecificTimeSeriesData>\n"
    }

    /// A cross-section with the sex (the measure dimension) at observation level, as `xsi:type` or as the element.
    private static func explicitMeasureMessage(asElements: Bool) -> String {
        var xml = String(format: header, "StructureSpecificData", "SEX") + "<message:DataSet xsi:type=\"ns1:DataSetType\">\n"
        for (a, area) in areas.enumerated() {
            for (y, year) in years.enumerated() {
                xml += "<Series REF_AREA=\"\(area.code)\" TIME_PERIOD=\"\(year)\">\n"
                for (s, sex) in sexes.enumerated() {
                    let value = value(area: a, sex: s, year: y)
                    xml += asElements ? "<\(sex) OBS_VALUE=\"\(value)\"/>\n" : "<Obs xsi:type=\"ns1:\(sex)\" OBS_VALUE=\"\(value)\"/>\n"
                }
                xml += "</Series>\n"
            }
        }
        return xml + "</message:DataSet></message:StructureSpecificData>\n"
    }

    private func rows(_ xml: String, fields names: [String], required: Set<String> = []) throws -> [[String]] {
        let directory = try TemporaryDirectory()
        try directory.write(xml, to: "message.xml")
        let fields = names.map { name in
            var field = Field(name: name, type: name == "OBS_VALUE" ? .number : .string)
            field.constraints.required = required.contains(name)
            return SourceField(field: field, numberFormat: .plain)
        }
        var rows: [[String]] = []
        try SDMXExtractor(path: directory.url.appendingPathComponent("message.xml").path, displayPath: "message.xml", fields: fields)
            .extract { batch in
                for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "" }) }
            }
        return rows
    }

    private static let columns = ["REF_AREA", "SEX", "TIME_PERIOD", "OBS_VALUE", "TITLE", "UNIT_MEASURE"]

    @Test(arguments: ["generic", "structure-specific"])
    func groupAttributesReachEverySeriesWithTheirKey(layout: String) throws {
        let xml = layout == "generic" ? Self.genericMessage() : Self.structureSpecificMessage()
        let rows = try rows(xml, fields: Self.columns)
        #expect(rows.count == 18)
        #expect(rows == Self.expected)
        // Area 92 has no group: its title is empty, the others' is their group's.
        #expect(rows.filter { $0[4].isEmpty }.count == 6)
    }

    @Test(arguments: [false, true])
    func explicitMeasuresKeepTheObservationLevelDimension(asElements: Bool) throws {
        let rows = try rows(Self.explicitMeasureMessage(asElements: asElements), fields: Array(Self.columns.prefix(4)))
        #expect(rows.count == 18)
        #expect(Set(rows.map { $0.prefix(3).joined(separator: "|") }).count == 18)
        let sorted: ([[String]]) -> [[String]] = { $0.sorted { $0.lexicographicallyPrecedes($1) } }
        #expect(sorted(rows) == sorted(Self.expected.map { Array($0.prefix(4)) }))
    }

    @Test(arguments: ["generic", "structure-specific"])
    func aComponentNothingCarriesIsAnError(layout: String) throws {
        let xml = layout == "generic" ? Self.genericMessage() : Self.structureSpecificMessage()
        let error = failure { try rows(xml, fields: ["REF_AREA", "OBS_VALUE", "OBS_STAUTS"]) }
        guard case let PipelineFailure.malformedSource(location, problem, _)? = error else {
            Issue.record("expected malformedSource, got \(String(describing: error))")
            return
        }
        #expect(location.field == "OBS_STAUTS")
        #expect(problem.contains("no observation, series, group or dataset in the message carries the component 'OBS_STAUTS'"))
        #expect(problem.contains("OBS_VALUE, REF_AREA, SEX, TIME_PERIOD, TITLE, UNIT_MEASURE"))
    }

    @Test func aRequiredComponentAbsentFromSomeSeriesIsReportedPerObservation() throws {
        let directory = try TemporaryDirectory()
        try directory.write(Self.structureSpecificMessage(), to: "message.xml")
        let fields = ["REF_AREA", "TITLE"].map { name in
            var field = Field(name: name, type: .string)
            field.constraints.required = name == "TITLE"
            return SourceField(field: field, numberFormat: .plain)
        }
        let collector = ValidationCollector()
        var rows = 0
        try SDMXExtractor(path: directory.url.appendingPathComponent("message.xml").path, displayPath: "message.xml", fields: fields)
            .extract(collecting: collector) { rows += $0.rowCount }
        #expect(rows == 12)
        let issues = collector.report.issues
        #expect(issues.count == 6)
        #expect(issues.allSatisfy { $0.location.field == "TITLE" && $0.type == .constraintError && $0.fieldNumber == 2 })
        // The lines of area 92's six observations.
        let lines = Self.structureSpecificMessage().split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.hasPrefix("<Obs") }.map { $0.offset + 1 }.suffix(6)
        #expect(issues.map(\.location.line) == Array(lines))
    }
}
