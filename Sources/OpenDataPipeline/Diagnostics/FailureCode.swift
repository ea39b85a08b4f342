extension PipelineFailure {
    /// A failure's or a report issue's reason, stable across wording changes: scripts and
    /// tests match it rather than the text. Listed with their meaning in
    /// docs/pipeline-format.md ("Reason codes"); a code is only ever added, never renamed.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        // The pipeline file (exit 78).
        case invalidDefinition = "invalid-definition"
        case definitionUnreadable = "definition-unreadable"
        case definitionTooLarge = "definition-too-large"
        case yamlSyntax = "yaml-syntax"
        case yamlDuplicateKey = "yaml-duplicate-key"
        case yamlAlias = "yaml-alias"
        case typeMismatch = "type-mismatch"
        case unknownKey = "unknown-key"
        case missingKey = "missing-key"
        case invalidValue = "invalid-value"
        case unknownField = "unknown-field"
        case unknownName = "unknown-name"
        case duplicateName = "duplicate-name"
        case invalidExpression = "invalid-expression"
        case sourceOutsideFolder = "source-outside-folder"
        case unknownPipeline = "unknown-pipeline"
        case unknownDataset = "unknown-dataset"
        case invalidReleaseTime = "invalid-release-time"
        case calendarStatus = "calendar-status"
        // A source (exit 65 or 66).
        case sourceUnreadable = "source-unreadable"
        case malformedSource = "malformed-source"
        case wrongFileType = "wrong-file-type"
        case encodingError = "encoding-error"
        case unclosedQuote = "unclosed-quote"
        case textAfterQuote = "text-after-quote"
        case cellTooLarge = "cell-too-large"
        case sourceTooLarge = "source-too-large"
        case rowWidth = "row-width"
        case emptySource = "empty-source"
        case noRows = "no-rows"
        case malformedXML = "malformed-xml"
        case xmlEntities = "xml-entities"
        case malformedJSON = "malformed-json"
        case invalidJSONStat = "invalid-json-stat"
        case invalidSQL = "invalid-sql"
        case cannotConnect = "cannot-connect"
        case authenticationFailed = "authentication-failed"
        case queryFailed = "query-failed"
        case queryTimeout = "query-timeout"
        case unsupportedType = "unsupported-type"
        // The report's issue types (Frictionless' vocabulary), also codes of thrown failures.
        case blankLabel = "blank-label"
        case duplicateLabel = "duplicate-label"
        case missingLabel = "missing-label"
        case missingCell = "missing-cell"
        case extraCell = "extra-cell"
        case blankRow = "blank-row"
        case typeError = "type-error"
        case constraintError = "constraint-error"
        case uniqueError = "unique-error"
        case primaryKeyError = "primary-key-error"
        case foreignKeyError = "foreign-key-error"
        case stepError = "step-error"
        case testError = "test-error"
        case sourceError = "source-error"
        // The run and the releases.
        case cannotPublish = "cannot-publish"
        case runInProgress = "run-in-progress"
        case invalidData = "invalid-data"
        case unknownRelease = "unknown-release"
        case damagedRelease = "damaged-release"
        case earlierReleaseTime = "earlier-release-time"
        case interrupted = "interrupted"
        // Embargoed releases and vintages.
        case heldReleaseExists = "held-release-exists"
        case damagedHeldRelease = "damaged-held-release"
        case staleHeldRelease = "stale-held-release"
        case unknownHeldRelease = "unknown-held-release"
        case notPublished = "not-published"

        /// The code of a report issue of `kind` that no failure gave a finer code to: the same name
        /// (every issue type is a code; `ReasonCodeTests` checks each one maps).
        public init(_ kind: ValidationIssue.Kind) {
            self = Self(rawValue: kind.rawValue)!
        }
    }
}
