"""Runs the developers' page's recipes, as the page prints them, against the published example.

    check_recipes.py RELEASE BASE_URL OPENDATA_EXECUTABLE PAGE...

Each <pre class="recipe" data-recipe=… data-dataset=…> of each page is taken from the page (HTML
unescaped), BASE_URL replaced by a local `opendata serve` of RELEASE (DuckDB, which has no http
without an extension, gets the release folder instead), run, and its values compared with the
published CSV read by Python's csv module: pandas' frame, DuckDB's rows, jq's objects, curl's file and
its 304 on the second request. A recipe marked data-tested="false" (R) is only listed. Exit status 1
on any failure.
"""
import csv
import html.parser
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

release, base_url, executable, pages = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


class Recipes(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "pre" and attrs.get("class") == "recipe":
            self.current = {"id": attrs["data-recipe"], "dataset": attrs["data-dataset"], "tested": attrs.get("data-tested") != "false", "code": ""}

    def handle_data(self, data):
        if self.current is not None:
            self.current["code"] += data

    def handle_endtag(self, tag):
        if tag == "pre" and self.current is not None:
            self.found.append(self.current)
            self.current = None


def published(dataset):
    """The dataset's CSV rows (as text) and its fields' types, from datapackage.json."""
    for pipeline in os.listdir(release):
        path = os.path.join(release, pipeline, "datapackage.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as handle:
            package = json.load(handle)
        for resource in package["resources"]:
            if resource["path"] == f"data/{dataset}.csv":
                with open(os.path.join(release, pipeline, resource["path"]), encoding="utf-8", newline="") as handle:
                    rows = list(csv.reader(handle))
                types = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
                return rows[0], rows[1:], types
    raise SystemExit(f"no published CSV for {dataset}")


def same(value, text, kind):
    """A value read by a tool equals the CSV's text: exactly for text, as a number for numbers."""
    if text == "":
        return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("", "<NA>", "nan", "None")
    if kind in ("integer", "number"):
        try:
            return math.isclose(float(value), float(text), rel_tol=0, abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    if kind == "year":
        return str(value) == text
    if kind == "date":
        return str(value)[:10] == text
    return isinstance(value, str) and value == text


def compare(name, header, expected, got_header, got_rows, types):
    check(list(got_header) == header, f"{name}: the columns are the CSV's ({list(got_header)})")
    check(len(got_rows) == len(expected), f"{name}: {len(got_rows)} rows, as the CSV")
    wrong = [
        (index, column, row[index_column], want[index_column])
        for index, (row, want) in enumerate(zip(got_rows, expected))
        for index_column, column in enumerate(header)
        if index_column < len(row) and not same(row[index_column], want[index_column], types[column])
    ]
    check(not wrong, f"{name}: every value equals the CSV's (codes keep their leading zeros){'; first difference ' + repr(wrong[0]) if wrong else ''}")


port_socket = socket.socket()
port_socket.bind(("127.0.0.1", 0))
port = port_socket.getsockname()[1]
port_socket.close()
server = subprocess.Popen([executable, "serve", "--output", os.path.dirname(os.path.abspath(release)), "--port", str(port), "--quiet"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = f"http://127.0.0.1:{port}"
try:
    for _ in range(100):
        try:
            urllib.request.urlopen(local + "/index.html").read()
            break
        except OSError:
            time.sleep(0.1)
    import duckdb
    import pandas  # noqa: F401 (the recipes import it)

    for page in pages:
        parser = Recipes()
        with open(os.path.join(release, page), encoding="utf-8") as handle:
            parser.feed(handle.read())
        check(len(parser.found) > 0, f"{page}: {len(parser.found)} recipes")
        kinds = {recipe["id"] for recipe in parser.found}
        check({"pandas-csv", "pandas-ndjson", "pandas-json", "duckdb-csv", "duckdb-ndjson", "jq", "curl-etag", "r-jsonlite"} <= kinds, f"{page}: every kind of recipe ({sorted(kinds)})")
        for recipe in parser.found:
            name = f"{page} {recipe['dataset']} {recipe['id']}"
            if not recipe["tested"]:
                check(recipe["id"] == "r-jsonlite", f"{name}: marked untested, not run")
                continue
            header, expected, types = published(recipe["dataset"])
            code = recipe["code"]
            check(base_url in code, f"{name}: names the published URL")
            if recipe["id"].startswith("pandas"):
                scope = {}
                exec(code.replace(base_url, local), scope)
                frame = scope["frame"]
                rows = [[None if (isinstance(v, float) and math.isnan(v)) else v for v in row] for row in frame.astype(object).where(frame.notna(), None).values.tolist()]
                compare(name, header, expected, frame.columns, rows, types)
            elif recipe["id"].startswith("duckdb"):
                result = duckdb.sql(code.replace(base_url, release))
                compare(name, header, expected, result.columns, result.fetchall(), types)
            elif recipe["id"] == "jq":
                run = subprocess.run(["bash", "-c", code.replace(base_url, local)], capture_output=True, text=True)
                check(run.returncode == 0, f"{name}: runs ({run.stderr.strip()})")
                objects = [json.loads(line) for line in run.stdout.splitlines()]
                columns = list(objects[0].keys()) if objects else []
                picked = [[row[header.index(column)] for column in columns] for row in expected]
                check(len(objects) == len(expected), f"{name}: {len(objects)} records")
                check(all(same(obj[c], want[i], types[c]) for obj, want in zip(objects, picked) for i, c in enumerate(columns)), f"{name}: {columns} equal the CSV's")
            elif recipe["id"] == "curl-etag":
                with tempfile.TemporaryDirectory() as folder:
                    run = subprocess.run(["bash", "-c", code.replace(base_url, local)], capture_output=True, text=True, cwd=folder)
                    check(run.returncode == 0, f"{name}: runs ({run.stderr.strip()})")
                    check(run.stdout.strip() == "304", f"{name}: the second request answers 304 ({run.stdout.strip()!r})")
                    with open(os.path.join(folder, f"{recipe['dataset']}.csv"), encoding="utf-8", newline="") as handle:
                        rows = list(csv.reader(handle))
                    check(rows == [header] + expected, f"{name}: the downloaded file is the published CSV, kept after the 304")
            else:
                check(False, f"{name}: a tested recipe this check does not know")
finally:
    server.terminate()
    server.wait()

sys.exit(1 if failures else 0)
