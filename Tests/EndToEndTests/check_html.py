"""Parses published pages with html5lib (the WHATWG HTML parsing algorithm) and prints,
as JSON, every parse error it reports for each file: {"FILE": ["LINE:COLUMN CODE {DETAILS}", ...]}.

  check_html.py FILE...

Exits 3, printing nothing, when html5lib is not installed.
"""
import json
import sys

try:
    import html5lib
except ImportError:
    sys.exit(3)


def errors(path):
    with open(path, "rb") as handle:
        data = handle.read()
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(data, transport_encoding="utf-8")
    return [f"{line}:{column} {code} {json.dumps(details, sort_keys=True)}" for (line, column), code, details in parser.errors]


print(json.dumps({path: errors(path) for path in sys.argv[1:]}, indent=1))
