@testable import OpenDataPipeline
import Testing

/// The writers' fast paths (word-at-a-time scans, digits written in one copy) against the
/// byte-at-a-time code they replaced.
@Suite("Writers' fast paths")
struct WriterFastPathTests {
    /// Cells with every byte that matters at every position of words and tails, Vietnamese text and empty ones.
    static let cells: [[UInt8]] = {
        var cells: [[UInt8]] = [
            [], Array("Hà Nội".utf8), Array("Thành phố Hồ Chí Minh".utf8), Array("Dân số trung bình, \"ước tính\"".utf8),
            Array("0012".utf8), Array("1.234,5".utf8), Array("hai\r\ndòng".utf8), Array("\"".utf8), Array("\"\"".utf8),
            Array("tab\there".utf8), Array("back\\slash".utf8), Array("Quảng Ninh, Khánh Hòa và Cần Thơ (tỉnh)".utf8),
        ]
        let specials: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x0E, 0x1F, 0x20, 0x22, 0x2C, 0x5C, 0x7F, 0x80, 0xC3, 0xFF]
        for length in 1...19 {
            for position in 0..<length {
                for special in specials {
                    var cell = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    cell[position] = special
                    cells.append(cell)
                }
            }
        }
        return cells
    }()

    static func oldCSVCell(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            return bytes
        }
        var line: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { line.append(byte) }
            line.append(byte)
        }
        return line + [UInt8(ascii: "\"")]
    }

    static func oldJSONString(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "\"")]
        let hex = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): output += [0x5C, 0x22]
            case UInt8(ascii: "\\"): output += [0x5C, 0x5C]
            case 0x0A: output += [0x5C, UInt8(ascii: "n")]
            case 0x0D: output += [0x5C, UInt8(ascii: "r")]
            case 0x09: output += [0x5C, UInt8(ascii: "t")]
            case 0x00..<0x20, 0x7F: output += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: output.append(byte)
            }
        }
        return output + [UInt8(ascii: "\"")]
    }

    @Test func csvCellsAreQuotedExactlyAsByteByByte() {
        for cell in Self.cells {
            var line: [UInt8] = []
            cell.withUnsafeBufferPointer { CSVWriter.appendCell(bytes: $0, to: &line) }
            #expect(line == Self.oldCSVCell(cell), "cell \(cell)")
        }
        var line: [UInt8] = []
        CSVWriter.appendCell("Dân số, \"ước tính\"", to: &line)
        #expect(String(decoding: line, as: UTF8.self) == "\"Dân số, \"\"ước tính\"\"\"")
    }

    @Test func jsonStringsAreEscapedExactlyAsByteByByte() {
        for cell in Self.cells {
            var output: [UInt8] = []
            cell.withUnsafeBufferPointer { JSONText.appendString(bytes: $0, to: &output) }
            #expect(output == Self.oldJSONString(cell), "cell \(cell)")
        }
    }

    @Test func aPlainCellHasNothingEitherFormatQuotesOrEscapes() {
        for cell in Self.cells {
            let expected = !cell.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x5C }
            #expect(cell.withUnsafeBufferPointer(ByteScan.isPlain) == expected, "cell \(cell)")
            // A plain cell is written as it is, by the CSV writer and inside the JSON quotes.
            if expected {
                #expect(Self.oldCSVCell(cell) == cell && Self.oldJSONString(cell) == [0x22] + cell + [0x22], "cell \(cell)")
            }
        }
    }

    @Test func controlScanFindsTheFirstControlButTabLineFeedAndReturn() {
        for cell in Self.cells {
            let expected = cell.firstIndex { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            #expect(cell.withUnsafeBufferPointer(ByteScan.firstControl) == expected, "cell \(cell)")
        }
    }

    @Test func digitsAreWrittenAsStringWritesThem() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 1883, -29, Int64.max, Int64.min + 1, 1_000_000_007]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            values.append(Int64(bitPattern: state) >> (state % 64))
        }
        for value in values {
            var output: [UInt8] = []
            Value.appendDigits(value, to: &output)
            #expect(String(decoding: output, as: UTF8.self) == String(value))
        }
        for (value, digits, expected) in [(7, 3, "007"), (-7, 3, "-007"), (1234, 2, "1234"), (0, 18, String(repeating: "0", count: 18))] {
            var output: [UInt8] = []
            Value.appendDigits(Int64(value), to: &output, minimumDigits: digits)
            #expect(String(decoding: output, as: UTF8.self) == expected)
        }
        var output: [UInt8] = []
        DecimalNumber(units: -5, scale: 1).appendText(to: &output)
        DecimalNumber(units: 1790, scale: 2).appendText(to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "-0.517.90")
    }

    @Test func decimalsAreWrittenAsTheirDescription() {
        var numbers: [DecimalNumber] = [
            .init(units: 0, scale: 1), .init(units: -1, scale: 18), .init(units: Int64.max, scale: 18), .init(units: Int64.min, scale: 7),
            .init(units: Int64.min, scale: 0), .init(units: 100, scale: 2), .init(units: -100, scale: 3),
        ]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<5000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            numbers.append(DecimalNumber(units: Int64(bitPattern: state) >> (state % 64), scale: Int(state >> 58) % 19))
        }
        var wrong: [String] = []
        for number in numbers {
            var output: [UInt8] = []
            number.appendText(to: &output)
            if String(decoding: output, as: UTF8.self) != number.description { wrong.append(number.description) }
        }
        #expect(wrong == [])
    }
}
