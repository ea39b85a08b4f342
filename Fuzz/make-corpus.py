#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target: make-corpus.py OUTDIR -> OUTDIR/<target>/seed-NN.

Small, valid-ish inputs in the shapes the targets declare (see Sources/OpenDataFuzz/FuzzTarget.swift:
fields a..g of types string, number, integer, date, year, boolean, datetime), plus inputs that once
crashed or hung, so every run replays them first. Deterministic: the same files on every machine.
"""
import io
import os
import sys
import zipfile

HEADER = "a,b,c,d,e,f,g"
ROW = "Hà Nội,1.5,42,2024-01-31,2024,true,2024-01-31T08:30:00"


def csv_seeds(encoding):
    text = [
        HEADER + "\r\n" + ROW + "\r\n",
        HEADER + "\n\"Hải Phòng, \"\"cảng\"\"\",-0.25,-7,2023-12-31,1999,0,2023-12-31T23:59:59\n\n,,,,,,\n",
        "Tiêu đề\n" + HEADER.replace(",", ";") + "\n# ghi chú\n" + ROW.replace(",", ";") + "\nNguồn: GSO\n",
        HEADER + "\n\"a\nb\",1,2,2020-02-29,2020,false,2020-02-29T00:00:00,,\n",
        "a\n\"\"\n",
    ]
    if encoding == "utf-8":
        return [t.encode() for t in text] + [b"\xef\xbb\xbf" + text[0].encode()]
    if encoding == "utf-16":
        return [t.encode("utf-16") for t in text] + [b"\xfe\xff" + text[0].encode("utf-16-be")]
    if encoding == "windows-1258":
        # Python's cp1258 codec writes tone marks as combining bytes, as Windows does.
        import unicodedata
        return [unicodedata.normalize("NFD", t).encode("cp1258", errors="replace") for t in text] + [
            "b\n7,5 trie\u0323\u0302u\n".encode("utf-8").decode("utf-8").encode("cp1258", errors="replace")]
    # tcvn3 and vni: ASCII tables plus a few high bytes of each table.
    return [t.encode("ascii", errors="replace") for t in text] + [bytes(range(0x80, 0x100)) + b"\n" + bytes(range(0x80, 0x100))]


NUMBERS = {
    "plain": ["1883", "-7.5", "0.000000000000000001", "9223372036854775807", "-9223372036854775808", "1e5", " 12 "],
    "vi": ["1.883", "7,5", "-1.234.567,89", "55%", "7,5 triệu", "7,5 trie\u0323\u0302u", "52 nghìn", "3 tỷ", "2 tỉ", "1 ngàn",
           "\u00a01.000\u00a0"],
    "en": ["1,883", "7.5", "-1,234,567.89", "55%", "7.5 million", "52 thousand", "3 billion"],
}

JSON = [
    '{"records":[{"a":"Hà Nội","b":1.5,"c":42,"d":"2024-01-31","e":2024,"f":true,"g":"2024-01-31T08:30:00"}]}',
    '[{"a":"x","b":1.5e3,"c":-1E2,"d":null,"e":"2024","f":false,"g":null},{"a":"\\u00e0\\ud83d\\ude00","b":"7,5"}]',
    '{"records":[{"b":1e-40,"c":12345678901234567890},{"b":-0.0}]}',
    '{"v":1e-9223372036854775808}', '[{"b":1e-9223372036854775808}]', '[{"b":1e9223372036854775807}]',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
]

NDJSON = [
    '{"a":"Hà Nội","b":1.5,"c":42,"d":"2024-01-31","e":2024,"f":true,"g":"2024-01-31T08:30:00"}\n{"a":"y","b":2}\n',
    '{"a":"x"}\r\n\r\n{"b":1e-9223372036854775808}\n', '{"c":9223372036854775807}\n{"c":-9223372036854775808}\n',
]

JSONSTAT = [
    '{"version":"2.0","class":"dataset","id":["geo","time","concept"],"size":[2,1,1],'
    '"dimension":{"geo":{"category":{"index":["01","79"],"label":{"01":"Hà Nội","79":"TP HCM"}}},'
    '"time":{"category":{"index":{"2024":0}}},'
    '"concept":{"category":{"index":["pop"],"unit":{"pop":{"label":"người","decimals":0,"multiplier":3}}}}},'
    '"value":[8435.7,9456.7],"status":{"1":"p"}}',
    '{"version":"2.0","class":"collection","link":{"item":[{"class":"dataset","href":"https://example.org/x"},'
    '{"class":"dataset","version":"2.0","id":["geo"],"size":[1],"dimension":{"geo":{"category":{"index":["01"]}}},'
    '"value":{"0":1e-9223372036854775808}}]}}',
    '{"version":"2.0","class":"dataset","id":["geo","time"],"size":[1,1],"dimension":{"geo":{"category":{"index":["a"]}},'
    '"time":{"category":{"label":{"2020":"2020"}}}},"value":[null],"status":"e"}',
]

XML_ROW = '<r a="Hà Nội" b="1,5"><c>42</c><d>2024-01-31</d><e>2024</e><f>true</f><g>2024-01-31T08:30:00</g></r>'
XML = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<t xmlns="urn:fuzz">' + XML_ROW + XML_ROW + '</t>',
    '<?xml version="1.0" encoding="ISO-8859-1"?><d:t xmlns:d="urn:fuzz"><d:r a="x" b="-1.000,5"><![CDATA[<c>]]><!-- n --><?pi x?></d:r></d:t>',
    '<t xmlns="urn:fuzz"><r b="7,5 triệu"><c>&#x31;&amp;</c></r></t>',
    '<!DOCTYPE t [<!ENTITY x "y">]><t xmlns="urn:fuzz"><r>&x;</r></t>',
    '<t xmlns="urn:fuzz"><!--' + '--' * 64 + '--></t>',
]

SDMX_GENERIC = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
    'xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">'
    '<message:Header><message:ID>X</message:ID></message:Header>'
    '<message:DataSet structureRef="S"><generic:Attributes><generic:Value id="UNIT_MULT" value="3"/></generic:Attributes>'
    '<generic:Series><generic:SeriesKey><generic:Value id="FREQ" value="A"/><generic:Value id="REF_AREA" value="VN"/></generic:SeriesKey>'
    '<generic:Obs><generic:ObsDimension value="2024"/><generic:ObsValue value="1.5"/>'
    '<generic:Attributes><generic:Value id="OBS_STATUS" value="A"/></generic:Attributes></generic:Obs>'
    '</generic:Series></message:DataSet></message:GenericData>'
)
SDMX_SPECIFIC = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
    'xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">'
    '<message:Header><message:ID>X</message:ID><message:Structure structureID="S" dimensionAtObservation="AllDimensions"/></message:Header>'
    '<message:DataSet ss:structureRef="S" UNIT_MULT="0"><Obs FREQ="A" REF_AREA="VN" TIME_PERIOD="2024" OBS_VALUE="NaN"/>'
    '<Series FREQ="Q" REF_AREA="HN"><Obs TIME_PERIOD="2024-Q1" OBS_VALUE="-1e3" OBS_STATUS="E"/></Series>'
    '<Group FREQ="A"/></message:DataSet></message:StructureSpecificData>'
)
SDMX = [SDMX_GENERIC, SDMX_SPECIFIC, SDMX_SPECIFIC.replace("<Group", "<!--" + "--" * 64 + "--><Group")]

HTML = [
    '<!doctype html><html><body><table id="t"><tr><th>a<th>b<th>c<th>d<th>e<th>f<th>g'
    '<tr><td>Hà Nội<td>1,5<td>42<td>2024-01-31<td>2024<td>true<td>2024-01-31T08:30:00</table></body></html>',
    '<table><caption>Dân số</caption><thead><tr><th colspan="7">Bảng</th></tr><tr><th>a</th><th>b</th><th>c</th><th>d</th>'
    '<th>e</th><th>f</th><th>g</th></tr></thead><tbody><tr><td rowspan="2">x</td><td>1.000</td><td>-3</td><td></td><td>2000</td>'
    '<td>0</td><td></td></tr><tr><td colspan="999999">y</td></tr></tbody></table>',
    '<table id=t><tr><td>a<td>b<tr><td>&amp;&#x1F600;<!-- x --><td><script>1</script>2</table>',
]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = ('<workbook xmlns="%s" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<workbookPr date1904="0"/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>' % MAIN)
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>')
STYLES = ('<styleSheet xmlns="%s"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>' % MAIN)
STRINGS = '<sst xmlns="%s"><si><t>a</t></si><si><t>b</t></si><si><r><t>c</t></r></si><si><t xml:space="preserve">Hà Nội</t></si></sst>' % MAIN


def sheet(rows):
    return '<worksheet xmlns="%s"><sheetData>%s</sheetData><mergeCells count="1"><mergeCell ref="A3:A4"/></mergeCells></worksheet>' % (
        MAIN, rows)


HEAD_ROW = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
            + "".join('<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col, col.lower()) for col in "DEFG") + '</row>')
SHEETS = [
    sheet(HEAD_ROW + '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>1.5e3</v></c><c r="C2"><v>42</v></c>'
          '<c r="D2" s="1"><v>45322</v></c><c r="E2"><v>2024</v></c><c r="F2" t="b"><v>1</v></c><c r="G2" s="2"><v>45322.354166666664</v></c></row>'
          '<row r="3"><c r="A3" t="str"><v>x</v></c><c r="B3"><v>-0.5</v></c></row><row r="4"><c r="B4"><v>1e-9223372036854775808</v></c></row>'),
    sheet(HEAD_ROW + '<row><c><v>1</v></c><c t="e"><v>#DIV/0!</v></c></row><row r="9223372036854775807"/><row/>'),
    sheet(HEAD_ROW + '<row r="2"><c r="XFD2" t="d"><v>2024-01-31T08:30:00</v></c><c r="A2" t="s"><v>99</v></c></row>'),
]


def workbook(sheet_xml, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, text in [("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", RELS),
                           ("xl/styles.xml", STYLES), ("xl/sharedStrings.xml", STRINGS), ("xl/worksheets/sheet1.xml", sheet_xml)]:
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, text)
    return out.getvalue()


EXPRESSIONS = [
    "a + 1", "-a", "-b", "abs(a)", "abs(b)", "round(b, 2)", "b / 3", "a * a", "if(e, a, b)", "coalesce(d, t)",
    "c || 'x'", "upper(c) = 'HÀ NỘI'", "length(trim(c)) > 0 and not e", "year(d) + month(t) + day(t)",
    "a >= -9223372036854775808 or b <> 0.000000000000000001", "isnull(a)", "lower(c)", "round(b, -9223372036854775807)",
]

PIPELINE = """id: fuzz
title: {vi: Thử, en: Fuzz}
description: {vi: Thử, en: Fuzz}
publisher: {name: {vi: Sở, en: Office}, email: a@example.org}
license: {id: CC-BY-4.0}
baseURL: https://opendata.example.gov.vn
timeZone: Asia/Ho_Chi_Minh
datasets:
  - id: d
    title: {vi: D, en: D}
    description: {vi: D, en: D}
    source:
      type: csv
      path: d.csv
      numberFormat: vi
    fields:
      - {name: a, type: string, required: true}
      - {name: b, type: number, minimum: 0}
    steps:
      - derive: {name: c, expression: "b * 2"}
      - filter: "b > 0"
"""
PIPELINES = [PIPELINE, "a: &x [1, 2]\nb: *x\n", "id: [&a a, *a, *a, *a]\n", "%YAML 1.1\n---\nid: !!binary aGk=\n"]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    seeds = {}
    for encoding in ["utf-8", "utf-16", "windows-1258", "tcvn3", "vni"]:
        seeds["csv-" + encoding] = csv_seeds(encoding)
    for fmt, numbers in NUMBERS.items():
        seeds["number-" + fmt] = [n.encode() for n in numbers]
    seeds["json"] = [t.encode() for t in JSON]
    seeds["ndjson"] = [t.encode() for t in NDJSON]
    seeds["json-stat"] = [t.encode() for t in JSONSTAT]
    seeds["xml"] = [t.encode("iso-8859-1" if "ISO-8859-1" in t else "utf-8") for t in XML]
    seeds["sdmx"] = [t.encode() for t in SDMX]
    seeds["html"] = [t.encode() for t in HTML]
    seeds["xlsx"] = [workbook(s) for s in SHEETS] + [workbook(SHEETS[0], zipfile.ZIP_STORED)]
    seeds["xlsx-parts"] = [b"\x1e".join(p.encode() for p in [WORKBOOK, RELS, STYLES, STRINGS, s]) for s in SHEETS]
    seeds["expression"] = [t.encode() for t in EXPRESSIONS]
    seeds["pipeline"] = [t.encode() for t in PIPELINES]
    for target, files in seeds.items():
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        for number, data in enumerate(files):
            with open(os.path.join(folder, "seed-%02d" % number), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
