"""Checks a published pipeline folder with parsers this project did not write.

Usage: python check_published.py FOLDER

- Frictionless validates datapackage.json and every resource it names (types,
  constraints, dialect, encoding).
- feedparser reads every feed (RSS 2.0) and must find it well-formed, with a
  title, link, id and date on every entry.
- Python's csv module reads every CSV resource: the header must be the schema's
  field names and every row as wide as the header.

Prints one line per check and exits non-zero if any fails.
"""
import csv
import glob
import json
import os
import sys

import feedparser
from frictionless import Package

folder = sys.argv[1]
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
    with open(os.path.join(folder, resource["path"]), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    names = [field["name"] for field in resource["schema"]["fields"]]
    check(rows[0] == names, f"csv: {resource['path']} header is {names}")
    check(all(len(row) == len(names) for row in rows), f"csv: {resource['path']} rows are {len(names)} wide")

feeds = sorted(glob.glob(os.path.join(folder, "*.rss")))
check(len(feeds) > 0, "feeds exist")
for path in feeds:
    feed = feedparser.parse(path)
    check(not feed.bozo, f"feedparser: {os.path.basename(path)} is well-formed ({feed.get('bozo_exception', '')})")
    check(feed.version == "rss20", f"feedparser: {os.path.basename(path)} is RSS 2.0")
    check(bool(feed.feed.get("title")) and bool(feed.feed.get("link")), f"feedparser: {os.path.basename(path)} channel has title and link")
    check(len(feed.entries) > 0, f"feedparser: {os.path.basename(path)} has entries")
    for entry in feed.entries:
        complete = all(entry.get(key) for key in ("title", "link", "id", "summary")) and entry.get("published_parsed")
        check(bool(complete), f"feedparser: entry {entry.get('id')} has title, link, id, summary and a date")

sys.exit(1 if failures else 0)
