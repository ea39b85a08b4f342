import Foundation
@testable import OpenDataPipeline
import Testing

/// Vietnamese place names in the encodings older government files use. The
/// bytes are written out by hand from each encoding's code chart, so the
/// decoder is checked against the charts, not against itself.
@Suite("CSV encodings")
struct CSVEncodingTests {
    private static let fields = [
        SourceField(field: Field(name: "ma", type: .string), numberFormat: .vi),
        SourceField(field: Field(name: "ten", type: .string), numberFormat: .vi),
        SourceField(field: Field(name: "dan_so", type: .integer), numberFormat: .vi),
    ]

    /// The place names every file below holds, in NFC.
    private static let names = ["Hà Nội", "Đà Nẵng", "Thừa Thiên Huế", "Cần Thơ"]

    private func rows(_ bytes: [UInt8], encoding: TextEncoding, chunkSize: Int? = nil) throws -> [[Value]] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Data(bytes), to: "in.csv")
        let extractor = CSVExtractor(
            path: path, displayPath: "in.csv", dialect: CSVDialect(delimiter: UInt8(ascii: ";"), encoding: encoding),
            fields: Self.fields)
        var rows: [[Value]] = []
        try extractor.extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        return rows
    }

    private func names(of rows: [[Value]]) -> [String] {
        rows.map { $0[1].text ?? "" }
    }

    /// `ma;ten;dan_so` and one line per place: code, the name's bytes, a population.
    private static func file(_ encodedNames: [[UInt8]]) -> [UInt8] {
        var bytes = Array("ma;ten;dan_so\r\n".utf8)
        for (index, name) in encodedNames.enumerated() {
            bytes += Array("0\(index + 1);".utf8) + name + Array(";1.234.56\(index)\r\n".utf8)
        }
        return bytes
    }

    @Test func readsWindows1258WithCombiningToneMarksAsNFC() throws {
        // Windows-1258 has à, â, ê, ô, ơ, ư, Đ, ă as letters and the tone marks
        // as combining bytes: 0xCC grave, 0xEC acute, 0xD2 hook, 0xDE tilde, 0xF2 dot below.
        let file = Self.file([
            [0x48, 0xE0, 0x20, 0x4E, 0xF4, 0xF2, 0x69],  // H à ␠ N ô+dot i
            [0xD0, 0xE0, 0x20, 0x4E, 0xE3, 0xDE, 0x6E, 0x67],  // Đ à ␠ N ă+tilde n g
            [0x54, 0x68, 0xFD, 0xCC, 0x61, 0x20, 0x54, 0x68, 0x69, 0xEA, 0x6E, 0x20, 0x48, 0x75, 0xEA, 0xEC],  // Th ư+grave a …
            [0x43, 0xE2, 0xCC, 0x6E, 0x20, 0x54, 0x68, 0xF5],  // C â+grave n ␠ Th ơ
        ])
        let rows = try rows(file, encoding: .windows1258)
        #expect(names(of: rows) == Self.names)
        #expect(names(of: rows).allSatisfy { $0.unicodeScalars.allSatisfy { !(0x300...0x36F).contains($0.value) } })
        #expect(rows[0][0] == .string("01"))
        #expect(rows[0][2] == .integer(1_234_560))
    }

    @Test func readsTCVN3PlaceNames() throws {
        // TCVN3 (ABC): one byte per toned lower-case letter.
        let file = Self.file([
            [0x48, 0xB5, 0x20, 0x4E, 0xE9, 0x69],  // H µ ␠ N é i  (à, ộ)
            [0xA7, 0xB5, 0x20, 0x4E, 0xBD, 0x6E, 0x67],  // § µ ␠ N ½ n g  (Đ, à, ẵ)
            [0x54, 0x68, 0xF5, 0x61, 0x20, 0x54, 0x68, 0x69, 0xAA, 0x6E, 0x20, 0x48, 0x75, 0xD5],  // ừ, ê, ế
            [0x43, 0xC7, 0x6E, 0x20, 0x54, 0x68, 0xAC],  // ầ, ơ
        ])
        #expect(names(of: try rows(file, encoding: .tcvn3)) == Self.names)
    }

    @Test func readsVNIPlaceNamesWhoseMarksFollowTheLetter() throws {
        // VNI: "aø" is à, "oä" is ộ, "ñ"/"Ñ" is đ/Đ, "ö" is ư, "ô" is ơ.
        let file = Self.file([
            [0x48, 0x61, 0xF8, 0x20, 0x4E, 0x6F, 0xE4, 0x69],  // Ha ø N o ä i
            [0xD1, 0x61, 0xF8, 0x20, 0x4E, 0x61, 0xFC, 0x6E, 0x67],  // Ñ a ø N a ü n g
            [0x54, 0x68, 0xF6, 0xF8, 0x61, 0x20, 0x54, 0x68, 0x69, 0x65, 0xE2, 0x6E, 0x20, 0x48, 0x75, 0x65, 0xE1],
            [0x43, 0x61, 0xE0, 0x6E, 0x20, 0x54, 0x68, 0xF4],  // C a à n Th ô
        ])
        #expect(names(of: try rows(file, encoding: .vni)) == Self.names)
    }

    @Test func readsUTF16LittleAndBigEndianWithByteOrderMark() throws {
        let text = "ma;ten;dan_so\r\n" + Self.names.enumerated().map { "0\($0 + 1);\($1);1.000\r\n" }.joined()
        var little: [UInt8] = [0xFF, 0xFE]
        var big: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 {
            little += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            big += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        #expect(names(of: try rows(little, encoding: .utf16)) == Self.names)
        #expect(names(of: try rows(big, encoding: .utf16)) == Self.names)
    }

    @Test func refusesUTF16WithoutAByteOrderMarkOrWithAnOddByteCount() throws {
        let units = Array("ma;ten;dan_so\n01;Huế;1\n".utf16)
        let noMark = units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let error = failure { try rows(noMark, encoding: .utf16) }
        guard case let PipelineFailure.malformedSource(location, problem, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(code == .encodingError)
        #expect(location.line == 1)
        // A message a user reads: what the file lacks.
        #expect(problem.contains("byte order mark"))
        let odd = [0xFF, 0xFE] + noMark + [0x41]
        guard case let PipelineFailure.malformedSource(_, oddProblem, oddCode)? = failure(of: { try rows(odd, encoding: .utf16) }) else {
            Issue.record("expected a malformed source")
            return
        }
        #expect(oddCode == .encodingError)
        #expect(oddProblem.hasPrefix("byte offset \(odd.count - 1)"))
    }

    @Test func treatsDecomposedAndComposedUTF8AsTheSameValue() throws {
        let composed = "ma;ten;dan_so\n01;Hà Nội;1\n"
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let fromComposed = try rows(Array(composed.utf8), encoding: .utf8)
        let fromDecomposed = try rows(Array(decomposed.utf8), encoding: .utf8)
        #expect(fromComposed == fromDecomposed)
        #expect(Array((fromDecomposed[0][1].text ?? "").utf8) == Array("Hà Nội".utf8))
    }

    @Test(arguments: [TextEncoding.windows1258, .tcvn3, .vni])
    func refusesAByteTheEncodingDoesNotDefineWithItsOffsetAndLine(encoding: TextEncoding) throws {
        // 0x81 is undefined in Windows-1258, TCVN3 and VNI alike.
        let file = Array("ma;ten;dan_so\n01;Hue;1\n02;X".utf8) + [0x81] + Array(";2\n".utf8)
        let error = failure { try rows(file, encoding: encoding) }
        guard case let PipelineFailure.malformedSource(location, problem, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(code == .encodingError)
        #expect(location.line == 3)
        #expect(problem.hasPrefix("byte offset 27"))
        #expect(problem.contains("0x81"))
    }

    @Test func pointsAUTF16FileDeclaredAsUTF8AtItsEncoding() throws {
        let error = failure { try rows([0xFF, 0xFE, 0x61, 0x00], encoding: .utf8) }
        #expect((error as? PipelineFailure)?.code == .encodingError)
        #expect("\(String(describing: error))".contains("byte offset 0"))
    }

    /// Characters split across every possible chunk boundary decode the same.
    @Test(arguments: [1, 2, 3, 5, 64])
    func decodesCharactersSplitAcrossChunks(chunkSize: Int) throws {
        let text = "\u{FEFF}ma,ten\n01,Thừa Thiên Huế\n02,\"Đà\nNẵng\"\n"
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in text.dropFirst().utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        for (bytes, encoding) in [(Array(text.utf8), TextEncoding.utf8), (utf16, .utf16)] {
            let directory = try TemporaryDirectory()
            let path = try directory.write(Data(bytes), to: "t.csv")
            let reader = try CSVReader(path: path, dialect: CSVDialect(encoding: encoding), chunkSize: chunkSize)
            var records: [[String]] = []
            while try reader.nextRecord() { records.append((0..<reader.fieldCount).map { reader.fieldText($0) }) }
            #expect(records == [["ma", "ten"], ["01", "Thừa Thiên Huế"], ["02", "Đà\nNẵng"]], "\(encoding)")
        }
    }

    @Test func refusesInvalidUTF8SplitAcrossChunksAtItsOffset() throws {
        let bytes = Array("ma,ten\n01,Hu".utf8) + [0xE1, 0xBA] + Array(",x\n".utf8)  // a cut-off ế
        let directory = try TemporaryDirectory()
        let path = try directory.write(Data(bytes), to: "t.csv")
        let reader = try CSVReader(path: path, dialect: CSVDialect(), chunkSize: 4)
        #expect(try reader.nextRecord())
        let error = failure { try reader.nextRecord() }
        guard case let PipelineFailure.malformedSource(location, problem, code)? = error else {
            Issue.record("expected a malformed source, got \(String(describing: error))")
            return
        }
        #expect(code == .encodingError)
        #expect(location.line == 2)
        #expect(problem.hasPrefix("byte offset 12"))
    }
}
