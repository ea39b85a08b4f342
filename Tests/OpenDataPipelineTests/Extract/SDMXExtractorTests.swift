import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("SDMX-ML 2.1")
struct SDMXExtractorTests {
    private static let columns = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_VAR", "TIME_PERIOD", "OBS_VALUE"]

    private static func fields(_ names: [String]) -> [SourceField] {
        names.map { name in
            SourceField(
                field: Field(name: name, type: name == "OBS_VALUE" ? .number : .string), numberFormat: .plain)
        }
    }

    private func rows(_ path: String, columns: [String] = columns) throws -> [[String]] {
        var rows: [[String]] = []
        try SDMXExtractor(path: path, displayPath: (path as NSString).lastPathComponent, fields: Self.fields(columns))
            .extract { batch in
                for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "" }) }
            }
        return rows
    }

    /// The 12 observations of `expected/ng-flat-xml.txt`, read from the file, sorted.
    private static func expected() throws -> [[String]] {
        let text = try String(contentsOfFile: sharedFixture("sdmx-test-data/expected/ng-flat-xml.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_VAR", "TIME_PERIOD", "value"])
        return lines.dropFirst().filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test(.needsSharedFixtures, arguments: ["ng-ts.xml", "ng-ts-ss.xml", "ng-xs.xml", "ng-xs-ss.xml", "ng-flat.xml", "ng-flat-ss.xml"])
    func everyLayoutYieldsTheSameTwelveObservations(file: String) throws {
        let rows = try rows(sharedFixture("sdmx-test-data/ECB_EXR/\(file)"))
        let expected = try Self.expected()
        #expect(expected.count == 12)
        #expect(rows.sorted { $0.lexicographicallyPrecedes($1) } == expected)
    }

    @Test(.needsSharedFixtures, arguments: ["ng-ts.xml", "ng-xs-ss.xml", "ng-flat.xml"])
    func readsSeriesObservationAndStatusAttributes(file: String) throws {
        let rows = try rows(
            sharedFixture("sdmx-test-data/ECB_EXR/\(file)"),
            columns: ["CURRENCY", "TIME_PERIOD", "OBS_STATUS", "UNIT_MULT", "COLL_METHOD", "TITLE"])
        #expect(rows.count == 12)
        #expect(rows.allSatisfy { $0[2] == "A" && $0[3] == "0" && $0[4] == "Average of observations through period" })
        let yen = try #require(rows.first { $0[0] == "JPY" })
        #expect(yen[5] == "ECB reference exchange rate, Japanese yen/Euro")
    }

    @Test(.needsSharedFixtures) func keepsLongPrecisionValuesOfARealECBResponse() throws {
        let path = sharedFixture("sdmx-test-data/ECB_EXR/1/M.USD.EUR.SP00.A.xml")
        let rows = try rows(path, columns: ["CURRENCY", "TIME_PERIOD", "OBS_VALUE"])
        #expect(rows.count == 252)
        #expect(rows.contains { $0[2] == "1.576969565217391" })
        // Every value as the file writes it, compared with libxml2's reading of the same file via XPath.
        let raw = try String(contentsOfFile: path, encoding: .utf8)
        let written = raw.components(separatedBy: "<generic:ObsValue value=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(rows.map { $0[2] } == written.map(String.init))
    }

    @Test(.needsSharedFixtures) func readsRealEurostatAndIMFResponses() throws {
        #expect(try rows(sharedFixture("sdmx-test-data/ESTAT/NAMA_10_GDP-ss.xml"), columns: ["TIME_PERIOD", "OBS_VALUE"]).count == 4)
        #expect(try rows(sharedFixture("sdmx-test-data/IMF/PCPS.xml"), columns: ["TIME_PERIOD", "OBS_VALUE"]).count == 1)
    }

    @Test(.needsSharedFixtures) func aFooterOnlyMessageIsAClearNoDataError() throws {
        let error = failure { try rows(sharedFixture("sdmx-test-data/ESTAT/footer.xml")) }
        guard case let PipelineFailure.malformedSource(_, problem, _)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(problem.hasPrefix("no data: the message has only a footer"))
        #expect(problem.contains("no URL in it is fetched"))
    }

    @Test(.needsSharedFixtures) func matchesNamespacesByURINotByPrefix() throws {
        let original = try String(contentsOfFile: sharedFixture("sdmx-test-data/ECB_EXR/ng-ts.xml"), encoding: .utf8)
        let renamed = original.replacingOccurrences(of: "generic:", with: "g:").replacingOccurrences(of: "xmlns:generic", with: "xmlns:g")
            .replacingOccurrences(of: "message:", with: "msg:").replacingOccurrences(of: "xmlns:message", with: "xmlns:msg")
        let directory = try TemporaryDirectory()
        let path = try directory.write(renamed, to: "renamed.xml")
        #expect(try rows(path).sorted { $0.lexicographicallyPrecedes($1) } == Self.expected())
        // The generic prefix bound to another URI is not SDMX's generic namespace: no observations.
        let wrong = original.replacingOccurrences(
            of: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic", with: "urn:example:not-sdmx")
        let wrongPath = try directory.write(wrong, to: "wrong.xml")
        #expect("\(String(describing: failure { try rows(wrongPath) }))".contains("no data"))
    }

    @Test func keepsCodesAsTextWithLeadingZeros() throws {
        let xml = """
            <?xml version="1.0"?>
            <m:StructureSpecificData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
              <m:DataSet UNIT_MULT="3"><Series REF_AREA="01" FREQ="A"><Obs TIME_PERIOD="2018" OBS_VALUE="7520.7" OBS_STATUS="P"/></Series></m:DataSet>
            </m:StructureSpecificData>
            """
        let directory = try TemporaryDirectory()
        let path = try directory.write(xml, to: "vn.xml")
        let rows = try rows(path, columns: ["REF_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT"])
        #expect(rows == [["01", "2018", "7520.7", "P", "3"]])
    }

    @Test(arguments: [
        ("<?xml version=\"1.0\"?>\n<!DOCTYPE m [<!ENTITY a \"aaaa\">]>\n<m/>", "DOCTYPE"),
        (
            "<?xml version=\"1.0\"?>\n<m:GenericData xmlns:m=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\">\n<m:DataSet></m:GenericData>",
            "line 3"
        ),
        ("<?xml version=\"1.0\"?>\n<root/>", "expected an SDMX-ML 2.1 message"),
    ])
    func refusesHostileMalformedAndForeignDocuments(xml: String, expected: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(xml, to: "bad.xml")
        let error = failure { try rows(path) }
        #expect("\(String(describing: error))".contains(expected), "\(String(describing: error))")
    }

    /// The comment check runs on the stream as libxml2 reads it: a `--` in a comment far into a
    /// message still fails the extraction with the file, line and column, after the observations
    /// before it were read.
    @Test func aCommentErrorDeepInAMessageNamesItsLineAndColumn() throws {
        let observations = (0..<5_000).map { index in
            "<g:Obs><g:ObsDimension value=\"\(1_000 + index)\"/><g:ObsValue value=\"\(index).5\"/></g:Obs>\n"
        }
        let xml = """
            <?xml version="1.0"?>
            <m:GenericData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:g="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">
            <m:DataSet><g:Series><g:SeriesKey><g:Value id="REF_AREA" value="01"/></g:SeriesKey>

            """ + observations.joined() + "  <!-- revised -- see note --></g:Series></m:DataSet></m:GenericData>\n"
        let directory = try TemporaryDirectory()
        let path = try directory.write(xml, to: "deep.xml")
        var read = 0
        let error = failure {
            try SDMXExtractor(path: path, displayPath: "deep.xml", fields: Self.fields(["REF_AREA", "TIME_PERIOD", "OBS_VALUE"]))
                .extract { batch in read += batch.rowCount }
        }
        #expect(
            error as? PipelineFailure
                == .malformedSource(
                    SourceLocation(file: "deep.xml", line: 5_004, column: 16),
                    problem: "malformed XML: '--' inside a comment (XML 1.0 forbids it; a comment ends at the first '-->')",
                    code: .malformedXML))
        #expect(read == Batch.preferredRowCount)
    }

    /// A generic message of `count` observations (TIME_PERIOD 1000 + index, OBS_VALUE from `value`),
    /// observation `index` on line 4 + index, and `tail` before the closing tags.
    private static func message(count: Int, value: (Int) -> String = { "\($0).5" }, tail: String = "") -> String {
        let observations = (0..<count).map { index in
            "<g:Obs><g:ObsDimension value=\"\(1_000 + index)\"/><g:ObsValue value=\"\(value(index))\"/></g:Obs>\n"
        }
        return """
            <?xml version="1.0"?>
            <m:GenericData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:g="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">
            <m:DataSet><g:Series><g:SeriesKey><g:Value id="REF_AREA" value="01"/></g:SeriesKey>

            """ + observations.joined() + tail + "</g:Series></m:DataSet></m:GenericData>\n"
    }

    /// The message is parsed on a thread of its own and decoded on the caller's: rows still come
    /// out whole and in order across many hand-overs.
    @Test func rowsOfManyBatchesComeOutInOrder() throws {
        let directory = try TemporaryDirectory()
        let count = 3 * Batch.preferredRowCount + 17
        let path = try directory.write(Self.message(count: count), to: "many.xml")
        let rows = try rows(path, columns: ["REF_AREA", "TIME_PERIOD", "OBS_VALUE"])
        #expect(rows.count == count)
        #expect(rows == (0..<count).map { ["01", "\(1_000 + $0)", "\($0).5"] })
    }

    /// A bad value read before a malformed part of the file is the error, as a single thread
    /// meets them: the rows parsed before the XML error are decoded before it is thrown.
    @Test func aBadValueBeforeAnXMLErrorIsTheErrorThrown() throws {
        let bad = Batch.preferredRowCount + 100
        let xml = Self.message(count: Batch.preferredRowCount + 200, value: { $0 == bad ? "n/a" : "\($0).5" }, tail: "<!-- a -- b -->")
        let (location, value) = try badValue(in: xml, named: "both.xml")
        #expect(location == SourceLocation(file: "both.xml", line: 4 + bad, field: "OBS_VALUE"))
        #expect(value == "n/a")
    }

    /// Where the extractor says the bad value in `xml` is, and the value.
    private func badValue(in xml: String, named name: String) throws -> (OpenDataPipeline.SourceLocation?, String?) {
        let directory = try TemporaryDirectory()
        let path = try directory.write(xml, to: name)
        let error = failure {
            try SDMXExtractor(path: path, displayPath: name, fields: Self.fields(["REF_AREA", "TIME_PERIOD", "OBS_VALUE"]))
                .extract { _ in }
        }
        guard case let .badValue(location, value, _, _)? = error as? PipelineFailure else {
            Issue.record("expected a bad value, got \(String(describing: error))")
            return (nil, nil)
        }
        return (location, value)
    }

    /// A bad value past line 65,535 (the most a libxml2 tree node holds) is named at its own line.
    @Test func aBadValueFarIntoAMessageNamesItsOwnLine() throws {
        let bad = 70_000
        let xml = Self.message(count: bad + 10, value: { $0 == bad ? "n/a" : "\($0).5" })
        let (location, value) = try badValue(in: xml, named: "long.xml")
        #expect(location == SourceLocation(file: "long.xml", line: 4 + bad, field: "OBS_VALUE"))
        #expect(value == "n/a")
    }

    /// An element written with an end tag but nothing (or only whitespace) inside is read as the
    /// same element written `<a/>`: one observation each, a series that ends.
    @Test func elementsWithEmptyContentAreReadAsEmptyElements() throws {
        let directory = try TemporaryDirectory()
        let generic = """
            <?xml version="1.0"?>
            <m:GenericData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:g="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">
            <m:DataSet><g:Series><g:SeriesKey><g:Value id="REF_AREA" value="01"></g:Value></g:SeriesKey>
            <g:Obs><g:ObsDimension value="2017"></g:ObsDimension><g:ObsValue value="1.5">
            </g:ObsValue></g:Obs>
            <g:Obs><g:ObsDimension value="2018"/><g:ObsValue value="2.5"/></g:Obs>
            </g:Series></m:DataSet></m:GenericData>
            """
        let specific = """
            <?xml version="1.0"?>
            <m:StructureSpecificData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
            <m:DataSet><Series REF_AREA="01">
            <Obs TIME_PERIOD="2017" OBS_VALUE="1.5"></Obs>
            <Obs TIME_PERIOD="2018" OBS_VALUE="2.5">  </Obs>
            </Series><Series REF_AREA="48"></Series>
            <Series REF_AREA="79"><Obs TIME_PERIOD="2019" OBS_VALUE="3.5"/></Series></m:DataSet></m:StructureSpecificData>
            """
        let columns = ["REF_AREA", "TIME_PERIOD", "OBS_VALUE"]
        #expect(try rows(try directory.write(generic, to: "generic.xml"), columns: columns) == [["01", "2017", "1.5"], ["01", "2018", "2.5"]])
        #expect(
            try rows(try directory.write(specific, to: "specific.xml"), columns: columns)
                == [["01", "2017", "1.5"], ["01", "2018", "2.5"], ["79", "2019", "3.5"]])
    }

    /// An empty `<g:Obs/>` (schema-invalid) is an observation like any other: a row, with the
    /// series' components and none of its own, so a required field reports it at its line.
    @Test func anEmptyObservationIsARowWhoseMissingValuesAreReported() throws {
        let directory = try TemporaryDirectory()
        let xml = Self.message(count: 2, tail: "<g:Obs/>\n<g:Obs><g:ObsDimension value=\"2020\"/><g:ObsValue value=\"9.5\"/></g:Obs>\n")
        let path = try directory.write(xml, to: "empty.xml")
        let fields = ["REF_AREA", "TIME_PERIOD", "OBS_VALUE"].map { name in
            var field = Field(name: name, type: name == "OBS_VALUE" ? .number : .string)
            field.constraints.required = name == "TIME_PERIOD"
            return SourceField(field: field, numberFormat: .plain)
        }
        let collector = ValidationCollector()
        var rows: [[String]] = []
        try SDMXExtractor(path: path, displayPath: "empty.xml", fields: fields).extract(collecting: collector) { batch in
            for row in 0..<batch.rowCount { rows.append(batch.row(row).map { $0.text ?? "" }) }
        }
        // The rows that decoded: the empty one is reported, not published.
        #expect(rows == [["01", "1000", "0.5"], ["01", "1001", "1.5"], ["01", "2020", "9.5"]])
        let issues = collector.report.issues
        #expect(issues.count == 1)
        #expect(issues.first?.location == SourceLocation(file: "empty.xml", line: 6, field: "TIME_PERIOD"))
        #expect(issues.first?.type == .constraintError)
    }

    /// A consumer that fails on the first batch stops the parsing thread: its error is thrown,
    /// and nothing more is passed on.
    @Test func aFailingConsumerStopsTheParser() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Self.message(count: 6 * Batch.preferredRowCount), to: "stop.xml")
        let stop = PipelineFailure.cannotPublish(path: "out.csv", reason: "disk full")
        var batches = 0
        let error = failure {
            try SDMXExtractor(path: path, displayPath: "stop.xml", fields: Self.fields(["REF_AREA", "TIME_PERIOD", "OBS_VALUE"]))
                .extract { _ throws(PipelineFailure) in
                    batches += 1
                    throw stop
                }
        }
        #expect(error as? PipelineFailure == stop)
        #expect(batches == 1)
    }
}
