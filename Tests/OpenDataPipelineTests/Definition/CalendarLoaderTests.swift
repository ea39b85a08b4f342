import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("Release calendar definition")
struct CalendarLoaderTests {
    /// Two datasets, then `calendar` (entries from line 24 on).
    static func yaml(_ calendar: String, timeZone: String = "Asia/Ho_Chi_Minh") -> String {
        testPipelineHeader.replacingOccurrences(of: "Asia/Ho_Chi_Minh", with: timeZone) + """

              - id: counts
                title: {vi: Số liệu, en: Counts}
                description: {vi: Mô tả, en: Description}
                source: {type: csv, path: data/counts.csv}
                fields:
                  - {name: level, type: integer}
                publish: [csv]
              - id: totals
                title: {vi: Tổng, en: Totals}
                description: {vi: Mô tả, en: Description}
                source: {type: csv, path: data/counts.csv}
                fields:
                  - {name: level, type: integer}
                publish: [csv]
            calendar:
            \(calendar)
            """
    }

    private func load(_ yaml: String) throws -> Pipeline {
        let directory = try TemporaryDirectory()
        let path = try directory.write(yaml, to: "p.yml")
        return try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml")
    }

    private func definitionError(_ yaml: String) throws -> (location: OpenDataPipeline.SourceLocation, problem: String, code: PipelineFailure.Code) {
        let error = failure(of: { try load(yaml) })
        guard case let PipelineFailure.invalidDefinition(location, problem, code)? = error else {
            Issue.record("expected a definition error, found \(error.map { "\($0)" } ?? "none")")
            throw CancellationError()
        }
        return (location, problem, code)
    }

    @Test func readsEveryStatusWithItsLocalTimeAndDefaultTitle() throws {
        let pipeline = try load(
            Self.yaml(
                """
                  - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: provisional}
                  - {id: q2, date: "2019-04-10 09:30:15", datasets: [counts, totals], status: confirmed, title: {vi: Quý 2, en: Q2}}
                  - id: q3
                    date: 2019-07-10T09:00
                    newDate: 2019-07-17T14:00
                    datasets: [totals]
                    status: postponed
                    reason: {vi: Chờ số liệu, en: Awaiting data}
                  - {id: q4, date: 2019-10-10T09:00, datasets: [totals], status: cancelled, reason: {vi: Gộp, en: Merged}}
                """))
        let entries = pipeline.calendar
        #expect(entries.map(\.id) == ["q1", "q2", "q3", "q4"])
        #expect(entries.map(\.status) == [.provisional, .confirmed, .postponed, .cancelled])
        // 09:00 in Hanoi (UTC+7) is 02:00 UTC.
        #expect(FeedDate.rfc3339(entries[0].date, in: TimeZone(identifier: "UTC")!) == "2019-01-10T02:00:00+00:00")
        #expect(FeedDate.rfc3339(entries[1].date, in: pipeline.timeZone) == "2019-04-10T09:30:15+07:00")
        #expect(entries[0].title == LocalizedText(vi: "Số liệu", en: "Counts"))
        #expect(entries[1].title == LocalizedText(vi: "Quý 2", en: "Q2"))
        #expect(entries[1].datasets == ["counts", "totals"])
        #expect(FeedDate.rfc3339(entries[2].due, in: pipeline.timeZone) == "2019-07-17T14:00:00+07:00")
        #expect(entries[2].reason == LocalizedText(vi: "Chờ số liệu", en: "Awaiting data"))
        #expect(entries[3].due == entries[3].date)
    }

    @Test(arguments: [
        // (calendar, line, column, field, code, problem contains)
        (
            "  - {id: q1, date: 2019-01-10T09:00, datasets: [count], status: confirmed}", 24, 49, "calendar[0].datasets[0]",
            PipelineFailure.Code.unknownDataset, "unknown dataset 'count'; expected one of: counts, totals"
        ),
        (
            "  - {id: q1, date: 2019-01-10T09:00+07:00, datasets: [counts], status: confirmed}", 24, 20, "calendar[0].date",
            .invalidReleaseTime, "found '2019-01-10T09:00+07:00'"
        ),
        (
            "  - {id: q1, date: 2019-02-30T09:00, datasets: [counts], status: confirmed}", 24, 20, "calendar[0].date",
            .invalidReleaseTime, "expected a date and time in the pipeline's zone Asia/Ho_Chi_Minh such as 2018-12-20T09:00"
        ),
        (
            "  - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: late}", 24, 66, "calendar[0].status",
            .unknownName, "unknown status 'late'; expected one of: provisional, confirmed, postponed, cancelled"
        ),
        (
            "  - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: postponed, reason: {vi: a, en: b}}", 24, 66,
            "calendar[0].status", .calendarStatus, "a postponed release needs 'newDate' and 'reason'"
        ),
        (
            "  - {id: q1, date: 2019-01-10T09:00, newDate: 2019-01-09T09:00, datasets: [counts], status: postponed, reason: {vi: a, en: b}}",
            24, 47, "calendar[0].newDate", .calendarStatus, "expected a new date after the announced date"
        ),
        (
            "  - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: cancelled}", 24, 66, "calendar[0].status",
            .calendarStatus, "a cancelled release needs a 'reason'"
        ),
        (
            "  - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: confirmed, reason: {vi: a, en: b}}", 24, 85,
            "calendar[0].reason", .calendarStatus, "'reason' is only for a postponed or cancelled release; the status is confirmed"
        ),
        (
            "  - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: confirmed}\n  - {id: q1, date: 2019-02-10T09:00, datasets: [counts], status: confirmed}",
            25, 10, "calendar[1].id", .duplicateName, "a calendar entry with id 'q1' is already declared"
        ),
        (
            "  - {id: q1, date: 2019-01-10T09:00, datasets: [counts], status: confirmed, when: soon}", 24, 77, "calendar[0].when",
            .unknownKey, "unknown key 'when'; expected one of: id, title, date, datasets, status, newDate, reason"
        ),
    ])
    func refusesAnEntryAtItsPositionWithItsCode(
        calendar: String, line: Int, column: Int, field: String, code: PipelineFailure.Code, problem: String
    ) throws {
        let error = try definitionError(Self.yaml(calendar))
        #expect(error.location.file == "Pipelines/p.yml")
        #expect(error.location.line == line)
        #expect(error.location.column == column)
        #expect(error.location.field == field)
        #expect(error.code == code)
        #expect(error.problem.contains(problem), "\(error.problem)")
    }

    @Test func refusesATimeThatTheZoneSkips() throws {
        // Berlin's clocks went from 02:00 to 03:00 on 31 March 2019: 02:30 did not exist there.
        let error = try definitionError(
            Self.yaml("  - {id: q1, date: 2019-03-31T02:30, datasets: [counts], status: confirmed}", timeZone: "Europe/Berlin"))
        #expect(error.code == .invalidReleaseTime)
        #expect(error.location.line == 24)
        #expect(error.problem.contains("Europe/Berlin") && error.problem.contains("found '2019-03-31T02:30'"))
        let fine = try load(Self.yaml("  - {id: q1, date: 2019-03-31T03:30, datasets: [counts], status: confirmed}", timeZone: "Europe/Berlin"))
        #expect(FeedDate.rfc3339(fine.calendar[0].date, in: TimeZone(identifier: "UTC")!) == "2019-03-31T01:30:00+00:00")
    }
}
