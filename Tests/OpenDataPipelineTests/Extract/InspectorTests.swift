import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("Inspector")
struct InspectorTests {
    /// A government export in TCVN3: a title, a blank line, the header on line 3, a note below.
    static let tcvn3Export: [UInt8] =
        Array("TONG CUC THONG KE;\r\n\r\nma;ten tinh;dan so;ty le;nam\r\n01;H".utf8) + [0xB5] + Array(" N".utf8) + [0xE9]
        + Array("i;8.435,7;29,5;2018\r\n048;".utf8) + [0xA7, 0xB5] + Array(" N".utf8) + [0xBD]
        + Array("ng;1.220,2;3,1;2018\r\nNgu".utf8) + [0xE5] + Array("n: NGTK;\r\n".utf8)

    @Test func suggestsEncodingDialectHeaderFooterAndTypesThatReadTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Data(Self.tcvn3Export), to: "data/dan-so.csv")
        let report = try Inspector().inspect(path: path, relativePath: "data/dan-so.csv")
        #expect(report.type == "csv")
        #expect(report.snippet.contains("encoding: tcvn3"))
        #expect(report.snippet.contains("delimiter: \";\""))
        #expect(report.snippet.contains("headerLine: 3"))
        #expect(report.snippet.contains("footerRows: 1"))
        #expect(report.snippet.contains("{name: ma, type: string"))
        #expect(report.snippet.contains("{name: dan_so, type: number, from: dan so, required: true, numberFormat: vi}"))
        #expect(report.snippet.contains("{name: nam, type: year"))

        // The snippet, pasted into a pipeline, reads the file.
        let indented = report.snippet.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let yaml = """
            \(testPipelineHeader)
              - id: counts
                title: {vi: Số liệu, en: Counts}
                description: {vi: Mô tả, en: Description}
                publish: [csv, json]
            \(indented)

            """
        let pipelinePath = try directory.write(yaml, to: "p.yml")
        let pipeline = try PipelineLoader().load(path: pipelinePath, displayPath: "p.yml")
        var names: [String] = []
        try pipeline.datasets[0].extractor.extract { batch in
            for row in 0..<batch.rowCount { names.append(batch[row, 1].text ?? "") }
        }
        #expect(names == ["Hà Nội", "Đà Nẵng"])
    }

    @Test func tellsTheVietnameseEncodingsApart() throws {
        // "Hà Nội, Đà Nẵng, Thừa Thiên Huế" in each encoding.
        let samples: [(TextEncoding, [UInt8])] = [
            (.windows1258, [0x48, 0xE0, 0x20, 0x4E, 0xF4, 0xF2, 0x69, 0x2C, 0x20, 0xD0, 0xE0, 0x20, 0x4E, 0xE3, 0xDE, 0x6E, 0x67]),
            (.tcvn3, [0x48, 0xB5, 0x20, 0x4E, 0xE9, 0x69, 0x2C, 0x20, 0xA7, 0xB5, 0x20, 0x4E, 0xBD, 0x6E, 0x67]),
            (.vni, [0x48, 0x61, 0xF8, 0x20, 0x4E, 0x6F, 0xE4, 0x69, 0x2C, 0x20, 0xD1, 0x61, 0xF8, 0x20, 0x4E, 0x61, 0xFC, 0x6E, 0x67]),
            (.utf8, Array("Hà Nội, Đà Nẵng".utf8)),
        ]
        for (encoding, bytes) in samples {
            let guess = Inspector.guessEncoding(bytes)
            #expect(guess.encoding == encoding, "\(encoding): \(guess.note)")
            #expect(guess.text == "Hà Nội, Đà Nẵng", "\(encoding)")
        }
    }

    @Test func keepsCodesWithLeadingZerosAsText() {
        #expect(Inspector.guessType(["01", "48", "79"]).0 == .string)
        #expect(Inspector.guessType(["1.883", "2.013"]) == (.integer, .vi))
        #expect(Inspector.guessType(["7,5", "12,25"]) == (.number, .vi))
        #expect(Inspector.guessType(["7.5", "12.25"]) == (.number, nil))
        #expect(Inspector.guessType(["2018-09-18"]).0 == .date)
    }

    @Test(.needsSharedFixtures) func recognisesOtherSourceTypes() throws {
        let sdmx = try Inspector().inspect(path: sharedFixture("sdmx-test-data/ECB_EXR/ng-ts.xml"), relativePath: "ng-ts.xml")
        #expect(sdmx.type == "sdmx")
        let jsonStat = try Inspector().inspect(path: sharedFixture("json-stat.org-samples/canada.json"), relativePath: "canada.json")
        #expect(jsonStat.type == "json-stat")
        let catalogue = repositoryRoot.appendingPathComponent("Pipelines/vietnam-digital-government/administrative-procedures.sqlite")
        #expect(try Inspector().inspect(path: catalogue.path, relativePath: "c.sqlite").type == "sqlite")
    }
}
