extension SourceType {
    /// Every source type, one line each, in the order messages list them.
    /// Adding a type: one file declaring `static let <name> = SourceType(…)`, and one line here.
    static let registry: [SourceType] = [
        .csv,
        .tsv,
        .xml,
        .json,
        .ndjson,
        .jsonStat,
        .sdmx,
        .html,
        .sqlite,
        .xlsx,
        .postgresql,
    ]
}
