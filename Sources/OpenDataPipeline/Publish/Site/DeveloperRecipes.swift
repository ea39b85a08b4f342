import Foundation

/// The recipes of the developers' page for one dataset: pandas, DuckDB, jq, curl (tested in
/// CI against the published example: `Tests/EndToEndTests/check_recipes.py` runs the text of
/// the page itself) and R's jsonlite (not run by the tests, and the page says so).
///
/// The dataset JSON is one object (`records`, then the metadata), a documented shape that
/// `pd.read_json(url)` cannot read as a table; the recipes read the records where they are.
enum DeveloperRecipes {
    struct Recipe {
        /// `pandas-csv`, `pandas-ndjson`, `pandas-json`, `duckdb-csv`, `duckdb-ndjson`, `jq`, `curl-etag`, `r-jsonlite`.
        var id: String
        var label: LocalizedText
        /// The URL of the file it reads.
        var reads: String
        var code: String
        var tested = true
    }

    /// `fields`: each field's name and Table Schema type, in order. Text fields are read as text,
    /// so codes keep their leading zeros (`01` stays `01`).
    /// Only the recipes whose file the dataset publishes (`published`: its files' URLs).
    static func recipes(
        csv: String, json: String, ndjson: String, dataset: String, fields: [(name: String, type: String)], published: Set<String>
    ) -> [Recipe] {
        all(csv: csv, json: json, ndjson: ndjson, dataset: dataset, fields: fields).filter { published.contains($0.reads) }
    }

    private static func all(csv: String, json: String, ndjson: String, dataset: String, fields: [(name: String, type: String)])
        -> [Recipe]
    {
        let text = fields.filter { $0.type == "string" }.map(\.name)
        let first = fields.first?.name ?? "id"
        let figure = fields.first { $0.type == "integer" || $0.type == "number" }?.name ?? first
        let pandasTypes = text.isEmpty ? "" : ", dtype={" + text.map { "\"\($0)\": \"string\"" }.joined(separator: ", ") + "}"
        let duckTypes = text.isEmpty ? "" : ", types = {" + text.map { "'\($0)': 'VARCHAR'" }.joined(separator: ", ") + "}"
        return [
            Recipe(
                id: "pandas-csv",
                label: LocalizedText(vi: "pandas, từ CSV (trường văn bản đọc là văn bản)", en: "pandas, from the CSV (text fields read as text)"),
                reads: csv, code: "import pandas as pd\n\nframe = pd.read_csv(\"\(csv)\"\(pandasTypes))"),
            Recipe(
                id: "pandas-ndjson", label: LocalizedText(vi: "pandas, từ NDJSON", en: "pandas, from NDJSON"),
                reads: ndjson, code: "import pandas as pd\n\nframe = pd.read_json(\"\(ndjson)\", lines=True\(pandasTypes))"),
            Recipe(
                id: "pandas-json",
                label: LocalizedText(
                    vi: "pandas, từ JSON (các dòng nằm trong records; pd.read_json(url) không đọc được cả đối tượng)",
                    en: "pandas, from the JSON (the rows are under records; pd.read_json(url) cannot read the whole object)"),
                reads: json,
                code: """
                    import json
                    import urllib.request

                    import pandas as pd

                    with urllib.request.urlopen("\(json)") as response:
                        document = json.load(response)
                    frame = pd.json_normalize(document["records"])
                    """),
            Recipe(
                id: "duckdb-csv", label: LocalizedText(vi: "DuckDB, từ CSV", en: "DuckDB, from the CSV"),
                reads: csv, code: "SELECT * FROM read_csv('\(csv)'\(duckTypes));"),
            Recipe(
                id: "duckdb-ndjson", label: LocalizedText(vi: "DuckDB, từ NDJSON", en: "DuckDB, from NDJSON"),
                reads: ndjson, code: "SELECT * FROM read_json('\(ndjson)', format = 'newline_delimited');"),
            Recipe(
                id: "jq", label: LocalizedText(vi: "curl và jq", en: "curl and jq"),
                reads: json, code: "curl -s \(json) | jq -c '.records[] | {\(first), \(figure)}'"),
            Recipe(
                id: "curl-etag",
                label: LocalizedText(
                    vi: "curl: chỉ tải lại khi tệp đã thay đổi (ETag, If-None-Match; 304 khi không đổi)",
                    en: "curl: download again only when the file changed (ETag, If-None-Match; 304 when unchanged)"),
                reads: csv,
                code: """
                    curl -s -o \(dataset).csv --etag-save \(dataset).etag \(csv)
                    curl -s -o \(dataset).csv --etag-compare \(dataset).etag --etag-save \(dataset).etag -w '%{http_code}\\n' \(csv)
                    """),
            Recipe(
                id: "r-jsonlite", label: LocalizedText(vi: "R, jsonlite", en: "R, jsonlite"),
                reads: json,
                code: """
                    library(jsonlite)
                    frame <- fromJSON("\(json)")$records
                    """,
                tested: false),
        ]
    }
}
