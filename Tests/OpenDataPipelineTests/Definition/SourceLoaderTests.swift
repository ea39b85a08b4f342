import Foundation
@testable import OpenDataPipeline
import Testing

/// The `source:` mapping of a dataset: each type's keys, their defaults and their errors.
@Suite("Source declarations")
struct SourceLoaderTests {
    /// A pipeline whose one dataset has `source` (a YAML flow mapping) and one string field `ten`.
    static func pipeline(source: String, fields: String = "[{name: ten, type: string}]") -> String {
        """
        \(testPipelineHeader)
          - id: counts
            title: {vi: Số liệu, en: Counts}
            description: {vi: Mô tả, en: Description}
            source: \(source)
            fields: \(fields)
            publish: [csv, json]

        """
    }

    static func load(_ yaml: String) throws -> Pipeline {
        let directory = try TemporaryDirectory()
        let path = try directory.write(yaml, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    /// The problem and line of the definition error `yaml` gives.
    static func definitionError(_ yaml: String) -> (line: Int?, field: String?, problem: String, code: PipelineFailure.Code)? {
        guard case let PipelineFailure.invalidDefinition(location, problem, code)? = failure(of: { try load(yaml) }) else {
            return nil
        }
        return (location.line, location.field, problem, code)
    }

    @Test func readsEveryCSVDialectAndLayoutKey() throws {
        let pipeline = try Self.load(
            Self.pipeline(
                source: """
                    {type: csv, path: d.csv, delimiter: "|", quote: "'", encoding: TCVN3, headerLine: 4, footerRows: 2, commentPrefix: "#"}
                    """))
        let extractor = try #require(pipeline.datasets.first?.extractor as? CSVExtractor)
        #expect(extractor.dialect == CSVDialect(delimiter: UInt8(ascii: "|"), quote: UInt8(ascii: "'"), encoding: .tcvn3))
        #expect(extractor.layout == CSVLayout(headerLine: 4, footerRows: 2, commentPrefix: "#"))
    }

    @Test func buildsTheExtractorOfEverySourceType() throws {
        let sources: [(String, any Extractor.Type)] = [
            ("{type: json, path: d.json, records: /data}", JSONExtractor.self),
            ("{type: tsv, path: d.tsv}", CSVExtractor.self),
            ("{type: ndjson, path: d.ndjson}", NDJSONExtractor.self),
            ("{type: json-stat, path: d.json, dataset: 1}", JSONStatExtractor.self),
            ("{type: sdmx, path: d.xml}", SDMXExtractor.self),
            ("{type: html, path: p.html, table: {caption: Dân số}, headerRows: 2}", HTMLTableExtractor.self),
            ("{type: sqlite, path: d.sqlite, query: SELECT 1 AS ten}", SQLiteExtractor.self),
            ("{type: xlsx, path: b.xlsx, sheet: Dân số, range: A3:F9, headerRows: 2}", XLSXExtractor.self),
            ("{type: xml, path: d.xml, rows: /a/b, stream: true}", StreamingXMLExtractor.self),
            ("{type: postgresql, query: SELECT 1 AS ten}", PostgresExtractor.self),
        ]
        for (source, type) in sources {
            let pipeline = try Self.load(Self.pipeline(source: source))
            let extractor = try #require(pipeline.datasets.first?.extractor)
            #expect(Swift.type(of: extractor) == type, "\(source)")
        }
    }

    @Test func defaultsToCommaDoubleQuoteUTF8AndTheFirstLine() throws {
        let pipeline = try Self.load(Self.pipeline(source: "{type: csv, path: d.csv}"))
        let extractor = try #require(pipeline.datasets.first?.extractor as? CSVExtractor)
        #expect(extractor.dialect == CSVDialect())
        #expect(extractor.layout == CSVLayout())
    }

    @Test(arguments: [
        ("{type: csv, path: d.csv, encoding: latin-1}", PipelineFailure.Code.invalidValue, "source.encoding"),
        ("{type: csv, path: d.csv, quote: \";\", delimiter: \";\"}", .invalidValue, "source"),
        ("{type: csv, path: d.csv, delimiter: \"ab\"}", .invalidValue, "source.delimiter"),
        ("{type: csv, path: d.csv, headerLine: 0}", .invalidValue, "source.headerLine"),
        ("{type: csv, path: d.csv, footerRows: 100000}", .invalidValue, "source.footerRows"),
        ("{type: csv, path: d.csv, rows: /a}", .unknownKey, "source.rows"),
        ("{type: tsv, path: d.tsv, encoding: latin-1}", .invalidValue, "source.encoding"),
        ("{type: parquet, path: d.parquet}", .unknownName, "source.type"),
        ("{type: sqlite, path: d.sqlite}", .missingKey, "source"),
        ("{type: html, path: p.html, table: {id: a, caption: b}}", .invalidValue, "source.table"),
        ("{type: html, path: p.html, table: {xpath: \"//table[\"}}", .invalidValue, "source.table.xpath"),
        ("{type: xlsx, path: b.xlsx, range: A0:B2}", .invalidValue, "source.range"),
        ("{type: json, path: d.json, records: data}", .invalidValue, "source.records"),
        ("{type: json-stat, path: d.json, maximumCells: 0}", .invalidValue, "source.maximumCells"),
        ("{type: xml, path: d.xml, rows: //a, stream: true}", .invalidValue, "source.rows"),
    ])
    func refusesABadSourceKeyWithItsLine(source: String, code: PipelineFailure.Code, field: String) throws {
        let error = try #require(Self.definitionError(Self.pipeline(source: source)))
        #expect(error.line == 12)
        #expect(error.code == code, Comment(rawValue: error.problem))
        #expect(error.field == "datasets[0].\(field)")
    }
}
