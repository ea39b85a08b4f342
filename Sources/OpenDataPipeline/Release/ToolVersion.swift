/// The version of this tool. It is part of every input fingerprint, so a new
/// version republishes what its changes would change.
public enum ToolVersion {
    public static let current = "0.2.0"
}
