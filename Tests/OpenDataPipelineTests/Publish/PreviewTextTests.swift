@testable import OpenDataPipeline
import Testing

@Suite("PreviewText")
struct PreviewTextTests {
    @Test func keepsShortTextAndCutsLongTextAtACharacterBoundaryWithinTheBytes() {
        #expect(PreviewText.bounded("Hà Nội", maximumBytes: 9) == "Hà Nội")
        // "Hà" is 3 bytes and "…" 3: a 6-byte budget keeps "Hà", 8 keeps "Hà N", never half of "ộ".
        #expect(PreviewText.bounded("Hà Nội", maximumBytes: 6) == "Hà…")
        #expect(PreviewText.bounded("Hà Nội", maximumBytes: 8) == "Hà N…")
        let long = String(repeating: "ệ", count: 1_000)  // 3 bytes each
        let cut = PreviewText.bounded(long)
        #expect(cut == String(repeating: "ệ", count: 99) + "…")
        #expect(cut.utf8.count <= PreviewText.maximumValueBytes)
    }
}
