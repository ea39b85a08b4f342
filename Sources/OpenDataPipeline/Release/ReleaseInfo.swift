public import Foundation

/// The release being written: its id and time.
public struct ReleaseInfo: Sendable {
    public var id: String
    public var date: Date

    public init(id: String, date: Date) {
        self.id = id
        self.date = date
    }
}
