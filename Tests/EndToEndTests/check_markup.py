"""Reads published markup with parsers this project did not write and prints
what they saw as JSON, for HostileTextTests.

  check_markup.py html FILE...   Python's html.parser: every start tag with its
                                 attribute names, the text, the <script> bodies
                                 and every link target, per file
  check_markup.py fragments      stdin: a JSON list of HTML fragments; for each,
                                 its tags and its text as a browser reads it
  check_markup.py feeds FILE...  feedparser with sanitizing off: each feed's
                                 title and subtitle and each entry's title,
                                 summary, summary type and links
"""
import json
import sys
from html.parser import HTMLParser


class Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.text = []
        self.scripts = []
        self.links = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        self.tags.append([tag, [name for name, _ in attrs]])
        for name, value in attrs:
            if name in ("href", "src", "action", "xlink:href", "formaction") or name.endswith(":href"):
                self.links.append(value or "")
        if tag == "script":
            self._script = [dict(attrs).get("type", ""), ""]

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(self._script)
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
        else:
            self.text.append(data)

    def handle_comment(self, data):
        self.tags.append(["!--", []])

    def handle_pi(self, data):
        self.tags.append(["?", []])


def read_html(text):
    reader = Reader()
    reader.feed(text)
    reader.close()
    return reader


def main():
    mode = sys.argv[1]
    if mode == "html":
        result = {}
        for path in sys.argv[2:]:
            with open(path, encoding="utf-8") as handle:
                reader = read_html(handle.read())
            result[path] = {"tags": reader.tags, "text": "".join(reader.text), "scripts": reader.scripts, "links": reader.links}
        print(json.dumps(result))
    elif mode == "fragments":
        fragments = json.load(sys.stdin)
        out = []
        for fragment in fragments:
            reader = read_html(fragment)
            out.append({"tags": reader.tags, "text": "".join(reader.text)})
        print(json.dumps(out))
    elif mode == "feeds":
        try:
            import feedparser
        except ImportError as error:
            print(json.dumps({"skipped": f"feedparser is not installed: {error}"}))
            return
        result = {}
        for path in sys.argv[2:]:
            parsed = feedparser.parse(path, sanitize_html=False)
            result[path] = {
                "bozo": bool(parsed.bozo) and not path.endswith(".json"),
                "title": parsed.feed.get("title", ""),
                "subtitle": parsed.feed.get("subtitle", ""),
                "subtitle_type": parsed.feed.get("subtitle_detail", {}).get("type", ""),
                "entries": [
                    {
                        "title": entry.get("title", ""),
                        "title_type": entry.get("title_detail", {}).get("type", ""),
                        "summary": entry.get("summary", ""),
                        "summary_type": entry.get("summary_detail", {}).get("type", ""),
                        "links": [link.get("href", "") for link in entry.get("links", [])],
                    }
                    for entry in parsed.entries
                ],
            }
        print(json.dumps(result))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
