import Foundation

/// Every path the tool writes or reads in the output folder and in a release,
/// in one place. Paths inside a release are relative to the release folder;
/// those of a pipeline's files are relative to its folder (`<pipeline>/…`).
///
/// ```
/// Output/  releases/<id>/  current → releases/<id>  .trash/  .published  .digests.json  .pages.json
/// <release>/  release.json  SHA256SUMS  .complete  catalog.json  catalog.jsonld  calendar.{json,ics,html}  feed.*  index.html …
/// <pipeline>/  datapackage.json  changes.json  history.json  calendar.json  feed.*  index.html  <dataset>.html  <pipeline>.sqlite
///              data/<dataset>.<suffix>  data/<dataset>.schema.json  feeds/<dataset>.*
/// ```
public enum ReleaseLayout {
    // MARK: The output folder

    public static let releasesFolder = "releases"
    public static let currentLink = "current"
    static let trashFolder = ".trash"
    static let publishedLog = ".published"
    static let digestCache = ".digests.json"
    /// The key of the current release's pages (``PageKey``).
    static let pageRecord = ".pages.json"
    /// A release being written: `releases/<id>.partial`, renamed to `releases/<id>` once complete.
    static let stagingSuffix = ".partial"
    /// The new `current` link, renamed over the old one.
    static let temporaryLink = ".current.tmp"
    /// Embargoed releases: `.held/<token>/<id>/` and `.held/<token>/hold.json` (mode 0700, see ``HeldReleaseStore``).
    static let heldFolder = ".held"
    static let holdRecord = "hold.json"

    /// `releases/<id>`: where a release is, below the output folder (and what `current` links to).
    public static func release(_ id: String) -> String { "\(releasesFolder)/\(id)" }

    /// The release id in a link target `releases/<id>`, nil for any other target.
    static func releaseID(linkTarget target: String) -> String? {
        let prefix = releasesFolder + "/"
        return target.hasPrefix(prefix) ? String(target.dropFirst(prefix.count)) : nil
    }

    // MARK: A release's root

    public static let manifest = "release.json"
    static let sums = "SHA256SUMS"
    static let completionMarker = ".complete"
    /// The files that describe a release rather than belong to it: not listed in its manifest.
    static let ownFiles: Set<String> = [manifest, sums, completionMarker]
    static let catalog = "catalog.json"
    static let catalogLD = "catalog.jsonld"
    /// The release calendar: `calendar.json` (also each pipeline's own, the state the next run compares with),
    /// `calendar.ics`, `calendar.schema.json`, and its pages.
    public static let calendar = "calendar.json"
    static let calendarICS = "calendar.ics"
    static let calendarSchema = "calendar.schema.json"
    static func calendarPage(_ language: Language) -> String { page("calendar", language) }

    // MARK: A pipeline's folder

    static let dataPackage = "datapackage.json"
    static let changeLog = "changes.json"
    static let history = "history.json"
    static let dataFolder = "data"
    static let feedsFolder = "feeds"
    /// The stem of a pipeline's feeds (and the site's): `feed.rss`, `feed.en.atom`, …
    static let feedStem = "feed"

    /// The pipeline's datasets as one SQLite database, `<pipeline>.sqlite`, in its folder (beside
    /// `datapackage.json`, not in `data/`, whose names are the datasets').
    static func database(_ pipeline: String) -> String { "\(pipeline)\(databaseSuffix)" }
    /// The database's suffix and media type (IANA `application/vnd.sqlite3`), for the pages, packages and servers.
    public static let databaseSuffix = ".sqlite"
    public static let databaseMediaType = "application/vnd.sqlite3"

    /// `<pipeline>/<file>`, relative to the release.
    static func inPipeline(_ pipeline: String, _ file: String) -> String { "\(pipeline)/\(file)" }

    /// `data/<dataset><suffix>`, relative to the pipeline's folder.
    static func dataFile(_ dataset: String, suffix: String) -> String { "\(dataFolder)/\(dataset)\(suffix)" }

    /// A dataset's vintages: `data/<dataset>.vintages.csv` and `.vintages.json`.
    static func vintagesCSV(_ dataset: String) -> String { dataFile(dataset, suffix: ".vintages.csv") }
    static func vintagesJSON(_ dataset: String) -> String { dataFile(dataset, suffix: ".vintages.json") }

    /// The stem of a dataset's feeds: `feeds/<dataset>` (`.rss`, `.en.atom`, … follow).
    static func feedStem(_ dataset: String) -> String { "\(feedsFolder)/\(dataset)" }

    /// A dataset's page in a language: `<dataset>.html`, `<dataset>.en.html`.
    static func page(_ dataset: String, _ language: Language) -> String { "\(dataset)\(pageSuffix(language)).html" }

    /// A pipeline's (or the site's) index page in a language.
    static func index(_ language: Language) -> String { page("index", language) }

    static func pageSuffix(_ language: Language) -> String { language == .vi ? "" : ".\(language.rawValue)" }

    /// The dataset of a data file path `data/<dataset>.<suffix>`; nil for a path outside `data/`.
    static func dataset(ofDataFile path: String) -> String? {
        let prefix = dataFolder + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count).prefix { $0 != "." })
    }

    /// Whether `path` is one of the data files of `dataset` (`data/<dataset>.…`).
    static func isDataFile(_ path: String, of dataset: String) -> Bool { path.hasPrefix("\(dataFolder)/\(dataset).") }
}
