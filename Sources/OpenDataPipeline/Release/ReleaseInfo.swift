public import Foundation

/// The release being written: its id and time.
public struct ReleaseInfo: Sendable {
    public var id: String
    public var date: Date
    /// The publisher's note on the release (`--note`), shown on its pages and feed items.
    public var note: String?
    /// Whether the release corrects an error (`--correction`): its feed items say "Correction".
    public var correction = false

    public init(id: String, date: Date, note: String? = nil, correction: Bool = false) {
        self.id = id
        self.date = date
        self.note = note
        self.correction = correction
    }
}
