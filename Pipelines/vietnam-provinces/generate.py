#!/usr/bin/env python3
"""Writes the source files of the vietnam-provinces example: the same five
provinces and their population in each kind of export a statistics office
meets (a TCVN3 CSV with a title and a note, an .xlsx sheet with merged
headers, an intranet HTML table, an SDMX-ML 2.1 message, a JSON-stat dataset,
JSON and NDJSON). The population figures are those of the 2019 Population and
Housing Census; the files themselves are illustrative exports. Deterministic:

    python3 Pipelines/vietnam-provinces/generate.py
"""
import json
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
# (code, name, population at the 2019 census, census date)
PROVINCES = [
    ("01", "Hà Nội", 8053663),
    ("31", "Hải Phòng", 2028514),
    ("48", "Đà Nẵng", 1134310),
    ("79", "Thành phố Hồ Chí Minh", 8993082),
    ("92", "Cần Thơ", 1235171),
]
CENSUS_DATE_SERIAL = 43556  # 2019-04-01 in the 1900 date system


def vi_number(value):
    return f"{value:,}".replace(",", ".")


def write(name, data, mode="w"):
    with open(os.path.join(HERE, name), mode + ("b" if isinstance(data, bytes) else ""), **({} if isinstance(data, bytes) else {"encoding": "utf-8", "newline": ""})) as out:
        out.write(data)


# TCVN3 (ABC): the letters these names need, by the TCVN 5712:1993 VN3 chart.
TCVN3 = {"à": 0xB5, "ả": 0xB6, "ộ": 0xE9, "Đ": 0xA7, "ẵ": 0xBD, "ơ": 0xAC, "ồ": 0xE5, "í": 0xDD, "ầ": 0xC7,
         "ố": 0xE8, "ò": 0xDF, "ả": 0xB6, "ì": 0xD7, "Â": 0xA2, "ư": 0xAD, "ớ": 0xED, "ệ": 0xD6, "ê": 0xAA, "ế": 0xD5,
         "â": 0xA9, "đ": 0xAE, "ỉ": 0xD8, "ở": 0xEB, "ổ": 0xE6, "ề": 0xD2}


def tcvn3(text):
    out = bytearray()
    for character in text:
        out += bytes([TCVN3[character]]) if character in TCVN3 else character.encode("ascii")
    return bytes(out)


lines = ["TONG CUC THONG KE - TONG DIEU TRA DAN SO 2019;;", ";;", "ma;tên tỉnh;dân số"]
lines += [f"{code};{name};{vi_number(population)}" for code, name, population in PROVINCES]
lines += ["Nguồn: Tổng điều tra dân số và nhà ở 2019;;"]
write("dan-so-tcvn3.csv", b"".join(tcvn3(line) + b"\r\n" for line in lines))

# .xlsx: a title row, a two-row header (A3:A4 "Mã", B3:B4 "Tỉnh", C3:D3 "Tổng điều tra 2019" over
# "Dân số" and "Ngày"), shared strings, a date cell.
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
strings = ["DÂN SỐ THEO TỈNH", "Mã", "Tỉnh", "Tổng điều tra 2019", "Dân số", "Ngày"] + [p[0] for p in PROVINCES] + [p[1] for p in PROVINCES]
index = {text: position for position, text in enumerate(strings)}


def s(ref, text):
    return f'<c r="{ref}" t="s"><v>{index[text]}</v></c>'


rows = [f'<row r="1">{s("A1", "DÂN SỐ THEO TỈNH")}</row>',
        f'<row r="3">{s("A3", "Mã")}{s("B3", "Tỉnh")}{s("C3", "Tổng điều tra 2019")}</row>',
        f'<row r="4">{s("C4", "Dân số")}{s("D4", "Ngày")}</row>']
for number, (code, name, population) in enumerate(PROVINCES, start=5):
    rows.append(f'<row r="{number}">{s(f"A{number}", code)}{s(f"B{number}", name)}'
                f'<c r="C{number}"><v>{population}</v></c><c r="D{number}" s="1"><v>{CENSUS_DATE_SERIAL}</v></c></row>')
sheet = (f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData><mergeCells count="3">'
         '<mergeCell ref="A3:A4"/><mergeCell ref="B3:B4"/><mergeCell ref="C3:D3"/></mergeCells></worksheet>')
shared = f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">' + "".join(
    f"<si><t>{text}</t></si>" for text in strings) + "</sst>"
parts = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Dân số" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/sharedStrings.xml": shared,
    "xl/worksheets/sheet1.xml": sheet,
}
path = os.path.join(HERE, "dan-so.xlsx")
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
    for name, text in parts.items():
        info = zipfile.ZipInfo(name, date_time=(2019, 12, 19, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, text.encode("utf-8"))

# An intranet page: the region spans its provinces' rows.
regions = {"01": "Đồng bằng sông Hồng", "31": "Đồng bằng sông Hồng", "48": "Bắc Trung Bộ và Duyên hải miền Trung",
           "79": "Đông Nam Bộ", "92": "Đồng bằng sông Cửu Long"}
body = []
previous = None
for code, name, population in PROVINCES:
    region = regions[code]
    cell = ""
    if region != previous:
        span = sum(1 for c, _, _ in PROVINCES if regions[c] == region)
        cell = f'<td rowspan="{span}">{region}</td>' if span > 1 else f"<td>{region}</td>"
    previous = region
    body.append(f"      <tr>{cell}<td>{code}</td><td>{name}</td><td>{vi_number(population)}</td></tr>")
write("dan-so.html", """<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Dân số theo tỉnh</title></head>
<body>
  <h1>Dân số theo tỉnh, Tổng điều tra 2019</h1>
  <table id="dan-so">
    <caption>Dân số (người)</caption>
    <thead>
      <tr><th rowspan="2">Vùng</th><th colspan="2">Tỉnh</th><th rowspan="2">Dân số</th></tr>
      <tr><th>Mã</th><th>Tên</th></tr>
    </thead>
    <tbody>
""" + "\n".join(body) + """
    </tbody>
  </table>
</body>
</html>
""")

# SDMX-ML 2.1, structure-specific, one series per province.
series = "\n".join(
    f'    <Series REF_AREA="{code}" FREQ="A" INDICATOR="POP"><Obs TIME_PERIOD="2019" OBS_VALUE="{population}" OBS_STATUS="A"/></Series>'
    for code, name, population in PROVINCES)
write("dan-so.sdmx.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
    xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <message:Header>
    <message:ID>VN-POP-2019</message:ID>
    <message:Test>false</message:Test>
    <message:Prepared>2019-12-19T00:00:00+07:00</message:Prepared>
    <message:Sender id="GSO"/>
    <message:Structure structureID="POP" dimensionAtObservation="TIME_PERIOD">
      <common:Structure><Ref agencyID="GSO" id="POP" version="1.0"/></common:Structure>
    </message:Structure>
  </message:Header>
  <message:DataSet ss:structureRef="POP" UNIT_MEASURE="PS" UNIT_MULT="0">
{series}
  </message:DataSet>
</message:StructureSpecificData>
""")

jsonstat = {
    "version": "2.0", "class": "dataset", "label": "Dân số theo tỉnh, 2019",
    "id": ["tinh", "nam"], "size": [len(PROVINCES), 1], "role": {"geo": ["tinh"], "time": ["nam"]},
    "dimension": {
        "tinh": {"label": "Tỉnh", "category": {"index": [p[0] for p in PROVINCES], "label": {p[0]: p[1] for p in PROVINCES}}},
        "nam": {"label": "Năm", "category": {"index": ["2019"]}},
    },
    "value": [p[2] for p in PROVINCES],
}
write("dan-so.jsonstat.json", json.dumps(jsonstat, ensure_ascii=False, indent=1) + "\n")
write("dan-so.json", json.dumps({"nguon": "Tổng điều tra dân số và nhà ở 2019", "du_lieu": [
    {"ma": p[0], "ten": p[1], "dan_so": p[2]} for p in PROVINCES]}, ensure_ascii=False, indent=1) + "\n")
write("dan-so.ndjson", "".join(json.dumps({"ma": p[0], "ten": p[1], "dan_so": p[2]}, ensure_ascii=False) + "\n" for p in PROVINCES))
