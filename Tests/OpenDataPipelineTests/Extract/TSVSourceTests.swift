import Foundation
@testable import OpenDataPipeline
import Testing

/// `type: tsv`: tab-separated values read by the CSV reader without quoting.
@Suite("TSV sources")
struct TSVSourceTests {
    private static let fields = """
        [{name: code, type: string}, {name: name, type: string, from: ten}, {name: population, type: integer, from: dan_so}]
        """

    /// Loads a pipeline reading `data.tsv` (written with `bytes`) and returns its extractor.
    private static func extractor(_ bytes: [UInt8], options: String = "") throws -> (any Extractor, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        try directory.write(Data(bytes), to: "exports/data.tsv")
        let yaml = SourceLoaderTests.pipeline(source: "{type: tsv, path: exports/data.tsv\(options)}", fields: fields)
        let path = try directory.write(yaml, to: "p.yml")
        let pipeline = try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
        return (try #require(pipeline.datasets.first?.extractor), directory)
    }

    private static func rows(_ extractor: any Extractor) throws -> [[Value]] {
        var rows: [[Value]] = []
        try extractor.extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        return rows
    }

    @Test func readsTabSeparatedFieldsWithQuotesAndCommasAsText() throws {
        let text = "dan_so\tcode\tten\n8.053.663\t01\t\"Hà Nội\", thủ đô\n1.331.467\t31\tHải \"Phòng\n"
        let (extractor, directory) = try Self.extractor(Array(text.utf8), options: ", numberFormat: vi")
        #expect(
            try Self.rows(extractor) == [
                [.string("01"), .string("\"Hà Nội\", thủ đô"), .integer(8_053_663)],
                [.string("31"), .string("Hải \"Phòng"), .integer(1_331_467)],
            ])
        withExtendedLifetime(directory) {}
    }

    @Test func decodesTheDeclaredEncoding() throws {
        // "Hà Nội" in windows-1258: H, a + combining grave (0xCC), space, N, ô (0xF4) + combining dot below (0xF2), i.
        let bytes: [UInt8] = Array("code\tten\tdan_so\n01\t".utf8) + [0x48, 0x61, 0xCC, 0x20, 0x4E, 0xF4, 0xF2, 0x69] + Array("\t8053663\r\n".utf8)
        let (extractor, directory) = try Self.extractor(bytes, options: ", encoding: windows-1258")
        #expect(try Self.rows(extractor) == [[.string("01"), .string("Hà Nội"), .integer(8_053_663)]])
        withExtendedLifetime(directory) {}
    }

    @Test func aRecordWithTheWrongNumberOfFieldsNamesFileLineAndTheHeadersWidth() throws {
        let text = "code\tten\tdan_so\n01\tHà Nội\t8053663\n31\tHải Phòng\n"
        let (extractor, directory) = try Self.extractor(Array(text.utf8))
        #expect(
            throws: PipelineFailure.malformedSource(
                SourceLocation(file: "Pipelines/exports/data.tsv", line: 3), problem: "the row has 2 fields but the header has 3",
                code: .rowWidth)
        ) {
            try Self.rows(extractor)
        }
        withExtendedLifetime(directory) {}
    }

    @Test func anEmptyFileHasNoHeader() throws {
        let (extractor, directory) = try Self.extractor([])
        #expect(
            throws: PipelineFailure.malformedSource(
                SourceLocation(file: "Pipelines/exports/data.tsv", line: 1), problem: "the file is empty; expected a header row",
                code: .emptySource)
        ) {
            try Self.rows(extractor)
        }
        withExtendedLifetime(directory) {}
    }
}
