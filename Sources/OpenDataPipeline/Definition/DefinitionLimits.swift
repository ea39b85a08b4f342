/// Limits that keep a hostile pipeline file from exhausting the machine.
public struct DefinitionLimits: Sendable {
    /// Largest pipeline file read (bytes). Real pipeline files are a few KB.
    public var maximumFileBytes = 1 << 20
    /// Most YAML nodes (scalars, sequences, mappings) in one file.
    public var maximumNodes = 100_000
    /// Deepest nesting of mappings and sequences.
    public var maximumDepth = 32

    public init() {}
}
