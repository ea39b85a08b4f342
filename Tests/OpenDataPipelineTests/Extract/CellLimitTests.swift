import Foundation
@testable import OpenDataPipeline
import Testing

/// What one cell may hold: at most `maximumCellBytes`, and no C0 control
/// character unless the dataset keeps them (as inert control pictures).
@Suite("Cell limits: size and control characters")
struct CellLimitTests {
    private func decoder(_ type: FieldType = .string, limit: Int? = nil, keep: Bool = false) -> ValueDecoder {
        var decoder = ValueDecoder(field: Field(name: "f", type: type), numberFormat: .plain)
        if let limit { decoder.maximumCellBytes = limit }
        decoder.keepsControlCharacters = keep
        return decoder
    }

    private func failure(_ text: String, with decoder: ValueDecoder) -> ValueDecoder.Failure? {
        do {
            _ = try decoder.decode(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func aControlCharacterIsATypeErrorNamingItsCodeAndByte() {
        let expected = { (code: String, byte: Int) in
            ValueDecoder.Failure(
                expected: "text without control characters: U+\(code) at byte \(byte) of the cell "
                    + "(a dataset that means to keep them declares controlCharacters: keep)")
        }
        #expect(failure("Hà\u{1B}[2J", with: decoder()) == expected("001B", 4))
        #expect(failure("\u{0}", with: decoder()) == expected("0000", 1))
        #expect(failure("a\u{7}b\u{1F}", with: decoder()) == expected("0007", 2))
        // Tab, line feed and carriage return are text; DEL and C1 are not C0.
        #expect(failure("a\tb\nc\r\nd\u{7F}", with: decoder()) == nil)
    }

    @Test func aDatasetThatKeepsControlCharactersGetsTheirPictures() throws {
        #expect(try decoder(keep: true).decode("Hà\u{1B}[2J\u{0}\tx") == .string("Hà\u{241B}[2J\u{2400}\tx"))
        #expect(try decoder(keep: true).decode("plain") == .string("plain"))
    }

    @Test func aCellLargerThanTheLimitIsRefusedWithItsSize() throws {
        #expect(ValueDecoder.defaultMaximumCellBytes == 1 << 20)
        let big = String(repeating: "x", count: (1 << 20) + 1)
        #expect(
            failure(big, with: decoder())
                == ValueDecoder.Failure(
                    expected: "a cell of at most 1048576 bytes; this one has 1048577 (a dataset can raise the limit with maximumCellBytes)"))
        #expect(try decoder().decode(String(big.dropLast())) == .string(String(big.dropLast())))
        #expect(failure("12345", with: decoder(.integer, limit: 4))?.expected.hasPrefix("a cell of at most 4 bytes; this one has 5") == true)
        #expect(try decoder(.integer, limit: 5).decode("12345") == .integer(12345))
    }

    @Test func theDatasetKeysReachEveryFieldsDecoder() throws {
        let directory = try TemporaryDirectory()
        let yaml = SourceLoaderTests.pipeline(source: "{type: json, path: d.json}")
            .replacingOccurrences(
                of: "    publish: [csv, json]", with: "    publish: [csv, json]\n    maximumCellBytes: 10\n    controlCharacters: keep")
        let path = try directory.write(yaml, to: "p.yml")
        let pipeline = try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
        let extractor = try #require(pipeline.datasets.first?.extractor as? JSONExtractor)
        #expect(extractor.fields.map(\.maximumCellBytes) == [10])
        #expect(extractor.fields.map(\.keepsControlCharacters) == [true])
        let refused = SourceLoaderTests.definitionError(
            SourceLoaderTests.pipeline(source: "{type: csv, path: d.csv}") + "    controlCharacters: strip\n")
        #expect(refused?.line == 15)
        #expect(refused?.code == .invalidValue)
        #expect(refused?.field == "datasets[0].controlCharacters")
    }
}
