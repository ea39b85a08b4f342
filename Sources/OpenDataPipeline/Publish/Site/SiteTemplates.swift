import Foundation
import Mustache

/// The Mustache templates of the site's pages and its stylesheet.
///
/// The defaults below are replaced, one by one, by files in a `templates/`
/// folder beside the pipeline files: `index.mustache`, `pipeline.mustache`,
/// `dataset.mustache`, `developers.mustache`, `calendar.mustache`, the partials `header.mustache`
/// and `footer.mustache`, and `style.css`. `{{name}}` escapes for HTML;
/// `{{{name}}}` is used only for the SVG chart and the JSON-LD, which the tool
/// escapes itself.
struct SiteTemplates {
    let library: MustacheLibrary
    let stylesheet: String
    /// SHA-256 over every template's text and the stylesheet: pages rendered with other templates differ.
    var digest = ""
    /// Whether the pages that list every dataset (`index`, `developers`) are the built-in ones, which show
    /// of a dataset only its title, headline, links, fields and downloads (``PipelinePage/datasets(language:listing:)``).
    var listsBuiltIn = true

    static let names = ["header", "footer", "index", "pipeline", "dataset", "developers", "calendar"]

    /// The most a template or the stylesheet may hold.
    static let maximumFileBytes = 1 << 20

    /// The defaults, each replaced by `<folder>/<name>.mustache` when that file exists.
    /// Each override must resolve (symbolic links followed) inside `folder`'s parent,
    /// the folder of the pipeline files, as sources must; it is refused otherwise
    /// without being read.
    static func load(overridesIn folder: URL?) throws(PipelineFailure) -> SiteTemplates {
        var library = MustacheLibrary()
        var texts: [String] = []
        var listsBuiltIn = true
        for name in names {
            var text = defaults[name] ?? ""
            let file = folder?.appendingPathComponent("\(name).mustache")
            if let file, let override = try override(file) {
                text = override
                if name == "index" || name == "developers" { listsBuiltIn = false }
            }
            texts.append(text)
            do {
                try library.register(text, named: name)
            } catch {
                throw PipelineFailure.invalidDefinition(
                    SourceLocation(file: file?.path ?? "built-in template \(name)"), problem: "not a valid Mustache template: \(error)")
            }
        }
        var stylesheet = defaultStylesheet
        if let file = folder?.appendingPathComponent("style.css"), let override = try override(file) {
            stylesheet = override
        }
        let digest = Digest.sha256(Array((texts + [stylesheet]).joined(separator: "\u{0}").utf8))
        return SiteTemplates(library: library, stylesheet: stylesheet, digest: digest, listsBuiltIn: listsBuiltIn)
    }

    /// The text of an override file, nil when there is none; a file that resolves
    /// outside the pipelines folder, is not a regular file or is too large is refused.
    private static func override(_ file: URL) throws(PipelineFailure) -> String? {
        // `attributesOfItem` does not follow a symbolic link: a link whose target is missing is refused below, not ignored.
        guard (try? FileManager.default.attributesOfItem(atPath: file.path)) != nil else { return nil }
        let pipelinesFolder = SourcePath.realPath(file.deletingLastPathComponent().deletingLastPathComponent().path)
        let resolved = SourcePath.realPath(file.path)
        let location = SourceLocation(file: file.path)
        guard SourcePath.path(resolved, isInside: pipelinesFolder) else {
            throw PipelineFailure.invalidDefinition(
                location,
                problem: "the template resolves to '\(resolved)', outside the pipelines folder \(pipelinesFolder): "
                    + "expected a file inside it")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw PipelineFailure.invalidDefinition(location, problem: "expected a regular file")
        }
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumFileBytes else {
            throw PipelineFailure.invalidDefinition(
                location, problem: "the file has \(size) bytes: expected at most \(maximumFileBytes)")
        }
        guard let data = LocalFile.contents(atPath: resolved) else {
            throw PipelineFailure.invalidDefinition(location, problem: "the file cannot be read")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw PipelineFailure.invalidDefinition(location, problem: "expected UTF-8 text")
        }
        return text
    }

    static let defaults: [String: String] = [
        "header": """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{pageTitle}}</title>
        <link rel="stylesheet" href="{{root}}style.css">
        {{#feeds}}<link rel="alternate" type="{{type}}" title="{{label}}" href="{{href}}">
        {{/feeds}}<link rel="alternate" hreflang="{{otherLang}}" href="{{otherPage}}">
        </head>
        <body>
        <header class="site">
        <a class="home" href="{{root}}index{{suffix}}.html">{{#vi}}Dữ liệu mở{{/vi}}{{#en}}Open data{{/en}}</a>
        <nav aria-label="{{#vi}}Ngôn ngữ{{/vi}}{{#en}}Language{{/en}}"><a href="{{otherPage}}" hreflang="{{otherLang}}" lang="{{otherLang}}">{{otherLanguage}}</a>
        · <a href="{{root}}developers{{suffix}}.html">{{#vi}}Dành cho lập trình viên{{/vi}}{{#en}}For developers{{/en}}</a>
        · <a href="{{root}}calendar{{suffix}}.html">{{#vi}}Lịch công bố{{/vi}}{{#en}}Release calendar{{/en}}</a></nav>
        </header>
        <main>

        """,
        "footer": """
        </main>
        <footer><p>{{#vi}}Bản phát hành{{/vi}}{{#en}}Release{{/en}} {{release}} · {{generator}}</p></footer>
        </body>
        </html>

        """,
        "index": """
        {{> header}}
        <h1>{{#vi}}Dữ liệu mở{{/vi}}{{#en}}Open data{{/en}}</h1>
        <ul class="cards">
        {{#pipelines}}
        <li><h2><a href="{{href}}">{{title}}</a></h2><p>{{description}}</p>
        <ul>{{#datasets}}<li><a href="{{siteHref}}">{{title}}</a>{{#headline}}: {{headline}}{{/headline}}</li>{{/datasets}}</ul>
        </li>
        {{/pipelines}}
        </ul>
        {{#hasChanges}}<h2>{{#vi}}Thay đổi gần đây{{/vi}}{{#en}}Recent changes{{/en}}</h2>{{/hasChanges}}
        <ul class="changes">{{#changes}}<li><a href="{{href}}">{{title}}</a> ({{date}}): {{summary}}</li>{{/changes}}</ul>
        <p class="feeds">{{#vi}}Theo dõi{{/vi}}{{#en}}Follow{{/en}}: {{#feeds}}<a href="{{href}}" type="{{type}}">{{label}}</a> {{/feeds}}· <a href="catalog.json">catalog.json</a> · <a href="catalog.jsonld">DCAT</a></p>
        {{> footer}}
        """,
        "pipeline": """
        {{> header}}
        {{#pipeline}}
        <h1>{{title}}</h1>
        <p>{{description}}</p>
        <dl class="facts">
        <dt>{{#vi}}Đơn vị công bố{{/vi}}{{#en}}Publisher{{/en}}</dt><dd>{{publisher}}</dd>
        <dt>{{#vi}}Giấy phép{{/vi}}{{#en}}Licence{{/en}}</dt><dd>{{#license}}<a href="{{href}}">{{title}}</a>{{/license}}</dd>
        <dt>{{#vi}}Nguồn{{/vi}}{{#en}}Sources{{/en}}</dt><dd>{{#sources}}{{title}} {{/sources}}</dd>
        </dl>
        <h2>{{#vi}}Bộ dữ liệu{{/vi}}{{#en}}Datasets{{/en}}</h2>
        <ul class="cards">{{#datasets}}<li><h3><a href="{{href}}">{{title}}</a></h3><p>{{headline}}</p>
        <p class="meta">{{#vi}}Dữ liệu thay đổi lần cuối{{/vi}}{{#en}}Data last changed{{/en}}: {{dataModified}}</p></li>{{/datasets}}</ul>
        {{#hasChanges}}<h2>{{#vi}}Thay đổi gần đây{{/vi}}{{#en}}Recent changes{{/en}}</h2>{{/hasChanges}}
        <ul class="changes">{{#changes}}<li><a href="{{href}}">{{title}}</a> ({{date}}): {{summary}}</li>{{/changes}}</ul>
        <p><a href="{{datapackage}}">datapackage.json</a></p>
        {{/pipeline}}
        <p class="feeds">{{#vi}}Theo dõi{{/vi}}{{#en}}Follow{{/en}}: {{#feeds}}<a href="{{href}}" type="{{type}}">{{label}}</a> {{/feeds}}</p>
        {{> footer}}
        """,
        "dataset": """
        {{> header}}
        {{#dataset}}
        <p class="crumbs"><a href="index{{suffix}}.html">{{pipeline.title}}</a></p>
        <h1>{{title}}</h1>
        <p>{{description}}</p>
        {{#headline}}<p class="headline">{{headline}}</p>{{/headline}}
        {{#illustrative}}<p class="note"><strong>{{#vi}}Lưu ý{{/vi}}{{#en}}Note{{/en}}:</strong> {{illustrative}}</p>{{/illustrative}}
        <dl class="facts">
        <dt>{{#vi}}Dữ liệu thay đổi lần cuối{{/vi}}{{#en}}Data last changed{{/en}}</dt><dd>{{dataModified}}</dd>
        <dt>{{#vi}}Siêu dữ liệu thay đổi lần cuối{{/vi}}{{#en}}Metadata last changed{{/en}}</dt><dd>{{metadataModified}}</dd>
        <dt>{{#vi}}Nguồn{{/vi}}{{#en}}Sources{{/en}}</dt><dd>{{#sources}}{{title}} {{/sources}}</dd>
        <dt>{{#vi}}Giấy phép{{/vi}}{{#en}}Licence{{/en}}</dt><dd>{{#pipeline.license}}<a href="{{href}}">{{title}}</a>{{/pipeline.license}}</dd>
        <dt>{{#vi}}Trích dẫn phiên bản này{{/vi}}{{#en}}Cite this version{{/en}}</dt><dd><a href="{{citeURL}}">{{citeURL}}</a></dd>
        </dl>
        {{#chart}}<figure>{{{chart}}}<figcaption>{{#chartIllustrative}}{{chartIllustrative}} {{/chartIllustrative}}<a href="#table-{{id}}">{{#vi}}Số liệu của biểu đồ ở bảng dưới đây{{/vi}}{{#en}}The chart's figures are in the table below{{/en}}</a></figcaption></figure>{{/chart}}
        <div class="table-wrap"><table id="table-{{id}}">
        <caption>{{title}}: {{#vi}}{{shownCount}} dòng đầu trong {{rowCount}}{{/vi}}{{#en}}first {{shownCount}} of {{rowCount}} rows{{/en}}</caption>
        <thead><tr>{{#columns}}<th scope="col"{{#numeric}} class="number"{{/numeric}}>{{title}}{{#unit}} ({{unit}}){{/unit}}</th>{{/columns}}</tr></thead>
        <tbody>{{#rows}}<tr>{{#cells}}<td{{#numeric}} class="number"{{/numeric}}>{{text}}</td>{{/cells}}</tr>
        {{/rows}}</tbody>
        </table></div>
        <h2>{{#vi}}Tải về{{/vi}}{{#en}}Downloads{{/en}}</h2>
        <ul class="downloads">{{#downloads}}<li><a href="{{href}}" type="{{type}}">{{label}}</a> ({{size}})</li>{{/downloads}}</ul>
        {{#hasChanges}}<h2>{{#vi}}Thay đổi gần đây{{/vi}}{{#en}}Recent changes{{/en}}</h2>{{/hasChanges}}
        <ul class="changes">{{#changes}}<li>{{date}}: {{summary}}</li>{{/changes}}</ul>
        {{#hasRevisions}}<h2>{{#vi}}Lịch sử điều chỉnh số liệu{{/vi}}{{#en}}Revision history{{/en}}</h2>
        <ul class="revisions">{{#revisions}}<li>{{date}}: {{key}}{{field}}: {{old}} → {{new}}{{#note}} ({{note}}){{/note}}</li>{{/revisions}}</ul>{{/hasRevisions}}
        {{#vintagesCSV}}<p class="vintages">{{#vi}}Mọi giá trị đã công bố và thời gian công bố{{/vi}}{{#en}}Every published value and when it was published{{/en}}: <a href="{{vintagesCSV}}" type="text/csv">CSV</a>, <a href="{{vintagesJSON}}" type="application/json">JSON</a></p>{{/vintagesCSV}}
        <script type="application/ld+json">{{{jsonLD}}}</script>
        {{/dataset}}
        {{#hasFeeds}}<p class="feeds">{{#vi}}Theo dõi{{/vi}}{{#en}}Follow{{/en}}: {{#feeds}}<a href="{{href}}" type="{{type}}">{{label}}</a> {{/feeds}}</p>{{/hasFeeds}}
        {{> footer}}
        """,
        "calendar": """
        {{> header}}
        <h1>{{#vi}}Lịch công bố số liệu{{/vi}}{{#en}}Release calendar{{/en}}</h1>
        {{^hasEntries}}<p>{{#vi}}Chưa có lần công bố nào được thông báo.{{/vi}}{{#en}}No release is announced.{{/en}}</p>{{/hasEntries}}
        {{#hasEntries}}<div class="table-wrap"><table>
        <thead><tr><th scope="col">{{#vi}}Thời gian{{/vi}}{{#en}}Time{{/en}}</th><th scope="col">{{#vi}}Nội dung{{/vi}}{{#en}}Release{{/en}}</th><th scope="col">{{#vi}}Trạng thái{{/vi}}{{#en}}Status{{/en}}</th></tr></thead>
        <tbody>{{#entries}}<tr id="{{anchor}}"><td>{{due}}</td><td>{{title}}<br>{{#datasets}}<a href="{{href}}">{{title}}</a> {{/datasets}}</td><td>{{status}}{{#postponedFrom}}<br>{{#vi}}Hoãn từ{{/vi}}{{#en}}Postponed from{{/en}} {{postponedFrom}}{{/postponedFrom}}{{#reason}}<br>{{#vi}}Lý do{{/vi}}{{#en}}Reason{{/en}}: {{reason}}{{/reason}}{{#released}}<br><a href="{{href}}">{{#vi}}Đã công bố{{/vi}}{{#en}}Released{{/en}} {{time}}</a>{{/released}}</td></tr>
        {{/entries}}</tbody>
        </table></div>{{/hasEntries}}
        <p class="feeds">{{#vi}}Theo dõi{{/vi}}{{#en}}Follow{{/en}}: <a href="calendar.ics" type="text/calendar">iCalendar (.ics)</a> · <a href="calendar.json" type="application/json">calendar.json</a></p>
        {{> footer}}
        """,
        "developers": """
        {{> header}}
        <h1>{{#vi}}Dành cho lập trình viên{{/vi}}{{#en}}For developers{{/en}}</h1>
        <p>{{#vi}}Mọi tệp có địa chỉ cố định:{{/vi}}{{#en}}Every file has a stable URL:{{/en}}
        <code>{{site}}/&lt;pipeline&gt;/data/&lt;dataset&gt;.csv</code>, <code>.json</code>, <code>.ndjson</code>, <code>.schema.json</code>, <code>.jsonstat.json</code>, <code>.excel.csv</code>, <code>.xlsx</code>;
        <code>{{site}}/&lt;pipeline&gt;/datapackage.json</code>; <code>{{site}}/&lt;pipeline&gt;/&lt;pipeline&gt;.sqlite</code> ({{#vi}}mọi bộ dữ liệu trong một cơ sở dữ liệu SQLite, mở bằng Datasette{{/vi}}{{#en}}every dataset in one SQLite database, for Datasette{{/en}}); <code>{{site}}/catalog.json</code>; <code>{{site}}/catalog.jsonld</code>.</p>
        <p>{{#vi}}Tệp JSON của một bộ dữ liệu là một đối tượng: <code>records</code> (mỗi dòng một đối tượng, số là số JSON, giá trị thiếu là <code>null</code>), rồi siêu dữ liệu: <code>id</code>, <code>title</code>, <code>fields</code>, <code>primaryKey</code>, <code>dataModified</code>, <code>metadataModified</code>… Lược đồ JSON Schema mô tả đầy đủ.{{/vi}}{{#en}}A dataset's JSON file is one object: <code>records</code> (one object a row, numbers as JSON numbers, missing values as <code>null</code>), then its metadata: <code>id</code>, <code>title</code>, <code>fields</code>, <code>primaryKey</code>, <code>dataModified</code>, <code>metadataModified</code>… Its JSON Schema describes it fully.{{/en}}</p>
        <p>{{#vi}}Vì vậy <code>pd.read_json(url)</code> không đọc được tệp JSON thành bảng: dùng NDJSON (<code>lines=True</code>), CSV, hoặc <code>pd.json_normalize(document["records"])</code> như các công thức dưới đây. Mỗi công thức có đánh dấu kiểm thử được chạy trong CI với dữ liệu đã công bố; tệp có ETag, nên <code>If-None-Match</code> trả về 304 khi tệp không đổi.{{/vi}}{{#en}}So <code>pd.read_json(url)</code> cannot read the JSON file as a table: use the NDJSON (<code>lines=True</code>), the CSV, or <code>pd.json_normalize(document["records"])</code> as in the recipes below. Every recipe not marked untested is run in CI against the published data; files have an ETag, so <code>If-None-Match</code> gets 304 when a file is unchanged.{{/en}}</p>
        {{#pipelines}}
        <h2>{{title}}</h2>
        <p><a href="{{datapackage}}">datapackage.json</a></p>
        {{#datasets}}
        <h3>{{title}} (<code>{{id}}</code>)</h3>
        <p>{{#vi}}Trường{{/vi}}{{#en}}Fields{{/en}}: <code>{{fields}}</code></p>
        <ul>{{#csv}}<li><a href="{{csv}}">{{csv}}</a></li>{{/csv}}{{#json}}<li><a href="{{json}}">{{json}}</a>{{#schema}} (<a href="{{schema}}">JSON Schema</a>){{/schema}}</li>{{/json}}{{#ndjson}}<li><a href="{{ndjson}}">{{ndjson}}</a></li>{{/ndjson}}</ul>
        {{#recipes}}<p class="recipe-label">{{label}}{{^tested}} ({{#vi}}chưa được kiểm thử{{/vi}}{{#en}}untested{{/en}}){{/tested}}</p>
        <pre class="recipe" data-recipe="{{id}}" data-dataset="{{dataset}}"{{^tested}} data-tested="false"{{/tested}}><code>{{code}}</code></pre>
        {{/recipes}}
        {{/datasets}}
        {{/pipelines}}
        {{> footer}}
        """,
    ]

    static let defaultStylesheet = """
        body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1a1a1a; background: #ffffff; margin: 0; }
        header.site, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
        header.site { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5rem; padding-top: 1rem; padding-bottom: .5rem; border-bottom: 1px solid #c8c8c8; }
        a { color: #0b4f9c; }
        a:focus { outline: 3px solid #f0b400; }
        .home { font-weight: 700; text-decoration: none; }
        h1 { font-size: 1.6rem; line-height: 1.25; }
        .headline { font-size: 1.15rem; font-weight: 600; }
        .note { background: #fff6db; border-left: 4px solid #a36a00; padding: .5rem .75rem; }
        .meta, footer, caption { color: #4a4a4a; }
        .cards { list-style: none; padding: 0; }
        .cards > li { border: 1px solid #c8c8c8; border-radius: 6px; padding: .5rem 1rem; margin-bottom: 1rem; }
        p, li, dd { overflow-wrap: break-word; }
        dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .25rem 1rem; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        figure { margin: 1rem 0; }
        svg.chart { display: block; width: 100%; height: auto; }
        svg.chart-wide { max-width: 40rem; }
        svg.chart-narrow { display: none; max-width: 30rem; }
        figcaption { color: #4a4a4a; }
        @media (max-width: 42rem) {
          svg.chart-wide { display: none; }
          svg.chart-narrow { display: block; }
          dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
          dl.facts dd { margin-bottom: .5rem; }
        }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; margin: 1rem 0; }
        caption { text-align: left; padding: .25rem 0; }
        th, td { border: 1px solid #c8c8c8; padding: .3rem .6rem; text-align: left; }
        th { background: #eef2f8; }
        .number { text-align: right; font-variant-numeric: tabular-nums; }
        pre { background: #f4f4f4; padding: .75rem; overflow-x: auto; }

        """
}
