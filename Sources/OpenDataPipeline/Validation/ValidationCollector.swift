import Synchronization

/// Gathers the issues of a validation or a run as the rows stream past.
///
/// Keeps the first ``maximumIssues`` issues and counts every issue by type
/// and severity, so that a file with a million bad rows gives a readable
/// report with true totals. One collector serves a whole run; the engine
/// tells it which pipeline and dataset it is reading.
public final class ValidationCollector: Sendable {
    /// How many issues a report lists unless told otherwise.
    public static let defaultMaximumIssues = 1000

    public let maximumIssues: Int

    private struct State {
        var issues: [ValidationIssue] = []
        var counts: [ValidationIssue.Kind: Int] = [:]
        var errors = 0
        var warnings = 0
        var omitted = 0
        var pipeline = ""
        var dataset = ""
        var datasetErrors: [String: Int] = [:]
        /// Errors in a dataset's rows (not its tests), including those first reported by another dataset.
        var rowErrors: [String: Int] = [:]
        var datasets: [ValidationReport.DatasetSummary] = []
        /// Issues already seen, so that a cell read by two datasets is reported once.
        var seen = Set<String>()
    }

    private let state = Mutex(State())

    public init(maximumIssues: Int = defaultMaximumIssues) {
        self.maximumIssues = max(0, maximumIssues)
    }

    /// Names the dataset whose issues follow.
    func begin(pipeline: String, dataset: String) {
        state.withLock {
            $0.pipeline = pipeline
            $0.dataset = dataset
        }
    }

    /// Records the end of a dataset and how many rows reached its outputs.
    func finish(rows: Int) {
        state.withLock { state in
            let key = "\(state.pipeline)/\(state.dataset)"
            state.datasets.append(
                .init(pipeline: state.pipeline, dataset: state.dataset, rows: rows, errors: state.datasetErrors[key] ?? 0))
        }
    }

    /// Adds an issue, stamped with the current pipeline and dataset.
    public func add(_ issue: ValidationIssue) {
        state.withLock { state in
            var issue = issue
            if issue.pipeline.isEmpty { issue.pipeline = state.pipeline }
            if issue.dataset.isEmpty { issue.dataset = state.dataset }
            // Two datasets of one pipeline may read the same file: its bad cell is one issue.
            // The dataset still counts it, so that its data tests (on partial rows) are not run.
            if issue.type != .testError {
                let key = "\(issue.pipeline)\u{0}\(issue.description)"
                if state.seen.count < 10 * maximumIssues + 100, !state.seen.insert(key).inserted {
                    if issue.severity == .error {
                        // Listed and counted in the totals once, but this dataset is not valid either.
                        state.rowErrors["\(issue.pipeline)/\(issue.dataset)", default: 0] += 1
                        state.datasetErrors["\(issue.pipeline)/\(issue.dataset)", default: 0] += 1
                    }
                    return
                }
            }
            state.counts[issue.type, default: 0] += 1
            switch issue.severity {
            case .error:
                state.errors += 1
                state.datasetErrors["\(issue.pipeline)/\(issue.dataset)", default: 0] += 1
                if issue.type != .testError { state.rowErrors["\(issue.pipeline)/\(issue.dataset)", default: 0] += 1 }
            case .warning: state.warnings += 1
            }
            if state.issues.count < maximumIssues {
                state.issues.append(issue)
            } else {
                state.omitted += 1
            }
        }
    }

    /// The errors (not warnings) found in the current dataset's rows so far.
    var errorsInCurrentDataset: Int {
        state.withLock { $0.rowErrors["\($0.pipeline)/\($0.dataset)"] ?? 0 }
    }

    /// Whether a dataset of the current pipeline had errors (including those reported first by another dataset).
    func hasErrors(dataset: String) -> Bool {
        state.withLock { ($0.rowErrors["\($0.pipeline)/\(dataset)"] ?? 0) > 0 }
    }

    public var errorCount: Int { state.withLock { $0.errors } }

    /// What has been found so far.
    public var report: ValidationReport {
        state.withLock { state in
            ValidationReport(
                issues: state.issues, counts: state.counts, errors: state.errors, warnings: state.warnings,
                omitted: state.omitted, maximumIssues: maximumIssues, datasets: state.datasets)
        }
    }
}
