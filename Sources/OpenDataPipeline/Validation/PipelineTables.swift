public import Foundation
import Synchronization

/// The published rows of a pipeline's datasets, kept while the pipeline runs
/// for the steps and checks that read another dataset: lookups, foreign keys
/// and data tests. Only datasets something refers to are kept; a dataset can
/// refer only to datasets declared before it, so they are always complete.
public final class PipelineTables: Sendable {
    public struct Table: Sendable {
        public var schema: TableSchema
        public var rows: [[Value]]
        public var lines: [Int?]
        /// The file rows came from, for messages.
        public var file: String
    }

    /// The ids of the datasets to keep.
    public let wanted: Set<String>
    /// The folder of this pipeline in the current release (`Output/current/<pipeline>`), if any,
    /// for tests that compare with the previously published figures.
    public let previousRelease: URL?
    /// The day of the run (of the release, when publishing) in the pipeline's zone, for `notInFuture` tests.
    public let today: CalendarDate?
    private let tables = Mutex<[String: Table]>([:])

    public init(wanted: Set<String>, previousRelease: URL? = nil, today: CalendarDate? = nil) {
        self.wanted = wanted
        self.previousRelease = previousRelease
        self.today = today
    }

    /// The calendar day of `date` in `zone`.
    public static func day(of date: Date, in zone: TimeZone) -> CalendarDate? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    func store(_ table: Table, for dataset: String) {
        tables.withLock { $0[dataset] = table }
    }

    public func table(_ dataset: String) -> Table? {
        tables.withLock { $0[dataset] }
    }
}
