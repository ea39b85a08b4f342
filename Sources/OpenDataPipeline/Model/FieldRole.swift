/// A field's part in a statistical table.
public enum FieldRole: String, Sendable, Hashable, CaseIterable {
    /// The observation status of the row's figures (SDMX `OBS_STATUS`): one of
    /// ``FieldRole/observationStatusCodes`` unless the field declares its own `enum`.
    case observationStatus
}

extension FieldRole {
    /// The codes an observation-status field accepts by default.
    public static let observationStatusCodes = ["final", "estimate", "provisional", "missing"]
}
