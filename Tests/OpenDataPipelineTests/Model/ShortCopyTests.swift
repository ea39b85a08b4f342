@testable import OpenDataPipeline
import Testing

/// ``ShortCopy`` covers each length with overlapping words: every length from 0 to past the
/// `memcpy` threshold must copy exactly its bytes, and write nothing before or after them.
@Suite("Short copies")
struct ShortCopyTests {
    @Test(arguments: [0, 1, 3, 7])
    func everyLengthCopiesExactlyItsBytes(offset: Int) {
        let source = (0..<80).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var wrong: [String] = []
        for count in 0...48 {
            var target = [UInt8](repeating: 0xEE, count: 96)
            source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    ShortCopy.copy(from.baseAddress! + offset, to: to.baseAddress! + offset + 5, count: count)
                }
            }
            let expected =
                [UInt8](repeating: 0xEE, count: offset + 5) + source[offset..<offset + count]
                + [UInt8](repeating: 0xEE, count: 96 - offset - 5 - count)
            if target != expected { wrong.append("length \(count) at offset \(offset)") }
        }
        #expect(wrong == [])
    }
}
