#!/usr/bin/env python3
"""Writes the .xlsx fixtures of the spreadsheet tests with openpyxl (an
independent writer, so the reader is not tested against itself):

    pip install openpyxl && python3 Tests/OpenDataPipelineTests/Fixtures/make-workbooks.py

- dan-so.xlsx: sheet "Ghi chú" first (notes), then sheet "Dân số" with a title
  row, a two-row header with merged cells (A3:A4 "Tỉnh", B3:C3 "Dân số"), dates,
  shared strings with leading zeros, a boolean, a formula's cached string and
  an error cell (#DIV/0!) in row 9; the 1900 date system.
- dates-1904.xlsx: the same dates in the 1904 date system.
"""
import datetime
import os

import openpyxl

here = os.path.dirname(os.path.abspath(__file__))


def population(workbook):
    notes = workbook.active
    notes.title = "Ghi chú"
    notes["A1"] = "Số liệu minh họa cho kiểm thử"
    sheet = workbook.create_sheet("Dân số")
    sheet["A1"] = "DÂN SỐ TRUNG BÌNH PHÂN THEO TỈNH"
    sheet["A3"] = "Tỉnh"
    sheet.merge_cells("A3:A4")
    sheet["B3"] = "Dân số"
    sheet.merge_cells("B3:C3")
    sheet["B4"] = "2018"
    sheet["C4"] = "2019"
    sheet["D3"] = "Mã"
    sheet.merge_cells("D3:D4")
    sheet["E3"] = "Ngày công bố"
    sheet.merge_cells("E3:E4")
    sheet["F3"] = "Chính thức"
    sheet.merge_cells("F3:F4")
    rows = [
        ("Hà Nội", 7520.7, 8093.9, "01", datetime.date(2019, 12, 19), True),
        ("Đà Nẵng", 1134.3, 1141.1, "048", datetime.date(2020, 1, 2), False),
        ("Thừa Thiên Huế", 1154.3, 1129.4, "046", datetime.date(2020, 2, 29), True),
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=5 + offset, column=column, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
    sheet["A9"] = "Cần Thơ"
    sheet["B9"] = "=1/0"
    return workbook


def dates_1904():
    workbook = openpyxl.Workbook()
    workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet["A1"] = "ngay"
    for row, day in enumerate([datetime.date(1904, 1, 2), datetime.date(2018, 9, 18)], start=2):
        sheet.cell(row=row, column=1, value=day).number_format = "yyyy-mm-dd"
    return workbook


population(openpyxl.Workbook()).save(os.path.join(here, "dan-so.xlsx"))
dates_1904().save(os.path.join(here, "dates-1904.xlsx"))
