"""Reads a published release calendar with parsers this project did not write and
prints what they saw as JSON, for ReleaseCalendarTests.

  check_calendar.py ICS JSON SCHEMA   icalendar: the calendar's properties and each
                                      VEVENT's; jsonschema: the errors of JSON
                                      against SCHEMA (draft 2020-12, formats checked)
"""
import json
import sys


def main():
    ics_path, json_path, schema_path = sys.argv[1:4]
    try:
        import icalendar
        import jsonschema
    except ImportError as error:
        print(json.dumps({"skipped": f"icalendar or jsonschema is not installed: {error}"}))
        return
    with open(ics_path, "rb") as handle:
        raw = handle.read()
    lines = raw.split(b"\r\n")
    calendar = icalendar.Calendar.from_ical(raw)
    events = []
    for event in calendar.walk("VEVENT"):
        events.append({
            "uid": str(event.get("UID")),
            "sequence": int(event.get("SEQUENCE")),
            "status": str(event.get("STATUS")),
            "dtstart": event.decoded("DTSTART").isoformat(),
            "dtstamp": event.decoded("DTSTAMP").isoformat(),
            "summary": str(event.get("SUMMARY")),
            "description": str(event.get("DESCRIPTION")),
            "url": str(event.get("URL")),
        })
    with open(json_path, encoding="utf-8") as handle:
        document = json.load(handle)
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    print(json.dumps({
        "version": str(calendar.get("VERSION")),
        "prodid": str(calendar.get("PRODID")),
        "longestLine": max(len(line) for line in lines),
        "bareLineFeeds": raw.replace(b"\r\n", b"").count(b"\n"),
        "endsWithCRLF": raw.endswith(b"\r\n"),
        "events": events,
        "schemaErrors": [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(document)],
        "schemaCheck": len(list(validator.iter_errors({"entries": "nope"}))) > 0,
    }))


if __name__ == "__main__":
    main()
