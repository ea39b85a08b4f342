"""Reads what readers see of the published figures, with parsers this project did not write,
and prints it as JSON:

  read_figures.py feeds FILE...   {"FILE": [{"id", "title", "summary"}]}: RSS and Atom through
                                  feedparser (sanitizing off), JSON Feed through json (content_text)
  read_figures.py pages FILE...   {"FILE": "TEXT"}: each page's text through html5lib, white space collapsed

Exits 3, printing nothing, when feedparser or html5lib is not installed.
"""
import json
import re
import sys

try:
    import feedparser
    import html5lib
except ImportError:
    sys.exit(3)


def feed(path):
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as handle:
            items = json.load(handle)["items"]
        return [{"id": item["id"], "title": item["title"], "summary": item["content_text"]} for item in items]
    parsed = feedparser.parse(path, sanitize_html=False)
    if parsed.bozo:
        raise SystemExit(f"{path}: not well-formed: {parsed.bozo_exception}")
    return [{"id": entry.id, "title": entry.title, "summary": entry.summary} for entry in parsed.entries]


def page(path):
    with open(path, "rb") as handle:
        document = html5lib.parse(handle.read(), transport_encoding="utf-8", namespaceHTMLElements=False)
    for script in document.iter("script"):
        script.text = ""
    return re.sub(r"\s+", " ", "".join(document.itertext())).strip()


mode, paths = sys.argv[1], sys.argv[2:]
reader = {"feeds": feed, "pages": page}[mode]
print(json.dumps({path: reader(path) for path in paths}, ensure_ascii=False))
