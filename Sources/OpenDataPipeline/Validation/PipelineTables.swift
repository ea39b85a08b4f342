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
    private let tables = Mutex<[String: Table]>([:])

    public init(wanted: Set<String>, previousRelease: URL? = nil) {
        self.wanted = wanted
        self.previousRelease = previousRelease
    }

    func store(_ table: Table, for dataset: String) {
        tables.withLock { $0[dataset] = table }
    }

    public func table(_ dataset: String) -> Table? {
        tables.withLock { $0[dataset] }
    }
}
