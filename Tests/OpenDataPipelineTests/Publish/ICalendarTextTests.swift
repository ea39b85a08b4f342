import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("iCalendar text")
struct ICalendarTextTests {
    @Test func escapesTextValues() {
        #expect(ICalendarText.escaped("a,b;c\\d\r\ne\rf\ng\u{07}h") == "a\\,b\\;c\\\\d\\ne\\nf\\ngh")
    }

    @Test func foldsAt75OctetsWithoutSplittingACharacter() {
        // "ệ" is three octets: a line may end before one but never inside it.
        let value = String(repeating: "ệ", count: 60)
        let folded = ICalendarText.line("SUMMARY", value)
        #expect(folded.hasSuffix("\r\n"))
        let lines = folded.dropLast().components(separatedBy: "\r\n")
        #expect(lines.count == 3)
        for line in lines { #expect(line.utf8.count <= 75, "\(line.utf8.count) octets") }
        #expect(lines[0] == "SUMMARY:" + String(repeating: "ệ", count: 22))  // 8 + 66 = 74; a 23rd would make 77
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        // Unfolding (RFC 5545: remove CRLF and the one space) gives the line back.
        #expect(lines[0] + lines.dropFirst().map { String($0.dropFirst()) }.joined() == "SUMMARY:" + value)
        #expect(ICalendarText.line("VERSION", "2.0") == "VERSION:2.0\r\n")
    }
}
