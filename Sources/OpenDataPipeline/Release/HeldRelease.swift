public import Foundation

/// An embargoed release: complete and verified like any other, but held in
/// `.held/<token>/<id>/` until its time. Its record (`hold.json`, beside the
/// release folder) says when it is due, what it publishes and on which
/// release it was prepared.
public struct HeldRelease: Codable, Sendable, Equatable {
    /// The release's id (its folder's name), from its release time.
    public var id: String
    /// 128 random bits in hex: the name of the folder holding it, which nobody can guess.
    public var token: String
    /// When it is due (UTC, RFC 3339): its release time, in its manifest, feeds and dates.
    public var releaseAt: String
    /// When it was prepared (UTC, RFC 3339, the wall clock).
    public var preparedAt: String
    /// The pipelines the run published; the others were carried forward from `baseRelease`.
    public var pipelines: [String]
    /// The release that was current when it was prepared (nil: none), and its sequence.
    public var baseRelease: String?
    /// The sequence it takes when published: one more than the base's.
    public var sequence: Int
    /// `--keep` of the run: applied once it is published.
    public var keep: Int?

    public var releaseDate: Date? { FeedDate.parse(releaseAt) }

    /// Whether it is due at `now`.
    public func isDue(at now: Date) -> Bool {
        releaseDate.map { $0 <= now } ?? false
    }
}
