"""Checks a published release with parsers this project did not write.

Usage: python check_published.py RELEASE_FOLDER PIPELINE_ID

- Frictionless validates the pipeline's datapackage.json and every resource it
  names (types, constraints, dialect, encoding).
- Python's csv module reads every CSV resource: the header must be the schema's
  field names and every row as wide as the header.
- jsonschema validates each dataset's JSON file against its published JSON Schema.
- feedparser reads every RSS 2.0 and Atom 1.0 feed of the site, the pipeline and
  its datasets, and must find it well-formed, with a title, link, id, summary
  and date on every entry; JSON Feed 1.1 files (which feedparser 6.0 does not
  read) are checked against the spec's required members with Python's json.
- rdflib parses the DCAT-AP catalogue (catalog.jsonld) and finds every table
  as a dcat:Dataset with distributions.

Prints one line per check and exits non-zero if any fails.
"""
import csv
import datetime
import glob
import json
import os
import sys

import feedparser
import jsonschema
import rdflib
from frictionless import Package

release = sys.argv[1]
folder = os.path.join(release, sys.argv[2])
failures = 0


def check(ok, message):
    global failures
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures += 1


report = Package(os.path.join(folder, "datapackage.json")).validate()
check(report.valid, "frictionless: datapackage.json and its resources are valid")
if not report.valid:
    print(json.dumps(report.flatten(["type", "note", "rowNumber", "fieldName"]), ensure_ascii=False)[:4000])

with open(os.path.join(folder, "datapackage.json"), encoding="utf-8") as handle:
    package = json.load(handle)
for resource in package["resources"]:
    if resource.get("format") != "csv":
        continue
    with open(os.path.join(folder, resource["path"]), encoding=resource["encoding"], newline="") as handle:
        rows = list(csv.reader(handle))
    names = [field["name"] for field in resource["schema"]["fields"]]
    check(rows[0] == names, f"csv: {resource['path']} header is {names}")
    check(all(len(row) == len(names) for row in rows), f"csv: {resource['path']} rows are {len(names)} wide")

# A TSV holds exactly the values of the CSV of its dataset, read without quoting.
for resource in package["resources"]:
    if resource.get("format") != "tsv":
        continue
    with open(os.path.join(folder, resource["path"]), encoding="utf-8", newline="") as handle:
        tsv_rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    with open(os.path.join(folder, resource["path"][: -len(".tsv")] + ".csv"), encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.reader(handle))
    check(tsv_rows == csv_rows and len(tsv_rows) > 1, f"csv: {resource['path']} read without quoting holds the CSV's {len(csv_rows) - 1} rows")
    check(resource.get("mediatype") == "text/tab-separated-values", f"datapackage: {resource['path']} is text/tab-separated-values")

for resource in package["resources"]:
    if resource["path"].endswith(".schema.json"):
        with open(os.path.join(folder, resource["path"]), encoding="utf-8") as handle:
            schema = json.load(handle)
        document_path = resource["path"].replace(".schema.json", ".json")
        with open(os.path.join(folder, document_path), encoding="utf-8") as handle:
            document = json.load(handle)
        try:
            jsonschema.validate(document, schema)
            check(True, f"jsonschema: {document_path} matches its schema")
        except jsonschema.ValidationError as error:
            check(False, f"jsonschema: {document_path}: {error.message}")

feeds = sorted(
    glob.glob(os.path.join(release, "feed*.*")) + glob.glob(os.path.join(folder, "feed*.*"))
    + glob.glob(os.path.join(folder, "feeds", "*.*")))
check(len(feeds) >= 12, f"{len(feeds)} feeds exist")
versions = {".rss": "rss20", ".atom": "atom10"}


def must_have_entries(path):
    """Site, pipeline and dataset feeds always have entries: every dataset has feed items."""
    return True

for path in feeds:
    name = os.path.relpath(path, release)
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as handle:
            feed = json.load(handle)
        check(feed.get("version") == "https://jsonfeed.org/version/1.1", f"json feed: {name} is version 1.1")
        check(bool(feed.get("title")) and bool(feed.get("feed_url")), f"json feed: {name} has a title and a feed_url")
        ids = [item.get("id") for item in feed.get("items", [])]
        check(len(set(ids)) == len(ids) and (len(ids) > 0 or not must_have_entries(path)), f"json feed: {name} has items with unique ids")
        for item in feed.get("items", []):
            good = (isinstance(item.get("id"), str) and (item.get("content_text") or item.get("content_html"))
                    and datetime.datetime.fromisoformat(item["date_published"]).tzinfo is not None
                    and all(a.get("url") and a.get("mime_type") for a in item.get("attachments", [])))
            check(bool(good), f"json feed: {name} item {item.get('id')} has id, content, a dated time and valid attachments")
        continue
    feed = feedparser.parse(path)
    check(not feed.bozo, f"feedparser: {name} is well-formed ({feed.get('bozo_exception', '')})")
    check(feed.version == versions[os.path.splitext(path)[1]], f"feedparser: {name} is {feed.version}")
    check(bool(feed.feed.get("title")) and bool(feed.feed.get("link")), f"feedparser: {name} has a title and a link")
    check(len(feed.entries) > 0 or not must_have_entries(path), f"feedparser: {name} has entries")
    for entry in feed.entries:
        complete = all(entry.get(key) for key in ("title", "link", "id", "summary")) and entry.get("published_parsed")
        check(bool(complete), f"feedparser: {name} entry {entry.get('id')} has title, link, id, summary and a date")

graph = rdflib.Graph()
graph.parse(os.path.join(release, "catalog.jsonld"), format="json-ld")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
datasets = list(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
tables = []
for path in glob.glob(os.path.join(release, "*", "datapackage.json")):  # every pipeline of the site
    with open(path, encoding="utf-8") as handle:
        # The main table of each dataset: the resource named by its id, its CSV.
        tables += [r for r in json.load(handle)["resources"] if r.get("type") == "table" and r["path"] == f"data/{r['name']}.csv"]
check(len(datasets) == len(tables), f"rdflib: catalog.jsonld has {len(datasets)} dcat:Dataset for {len(tables)} tables of the site")
for dataset in datasets:
    check(len(list(graph.objects(dataset, DCAT.distribution))) > 0, f"rdflib: {dataset} has distributions")

sys.exit(1 if failures else 0)
