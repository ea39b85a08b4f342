/// One entry of a feed: one publication of one dataset.
public struct FeedItem: Sendable, Hashable {
    public var title: String
    public var link: String
    /// Plain text that states the figures in words.
    public var description: String
    /// Permanent and unique: a `tag:` URI naming the pipeline, the dataset and the release.
    public var guid: String
    /// RFC 822, in the pipeline's time zone.
    public var pubDate: String
    public var enclosure: Enclosure?

    public struct Enclosure: Sendable, Hashable {
        public var url: String
        public var length: Int
        public var type: String
    }
}
