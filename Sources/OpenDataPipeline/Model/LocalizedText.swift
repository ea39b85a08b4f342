/// Text in Vietnamese and English. Vietnamese is the publisher's language and
/// is required; English is what most foreign readers and tools expect.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var vi: String
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    public subscript(language: Language) -> String {
        switch language {
        case .vi: vi
        case .en: en
        }
    }
}

/// The languages the tool publishes in.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case vi
    case en
}
