#!/usr/bin/env python3
"""Writes administrative-procedures.sqlite: an illustrative catalogue of Hanoi's
1,883 administrative procedures, one record each with its online service level,
in the table thu_tuc (ma_thu_tuc, ten_thu_tuc, co_quan, muc_do, nam).

The records are sample data made for the example pipeline; only the counts
come from the ASOCIO Smart City Summit 2018 report: 1,883 procedures, of
which 386 are offered online at level 3 and 170 at level 4. The output is
deterministic (a fixed-seed shuffle), so running this again gives the same
bytes:

    python3 Pipelines/vietnam-digital-government/generate-procedures.py
"""
import os
import sqlite3
import random

TOTAL, LEVEL_3, LEVEL_4, LEVEL_1 = 1883, 386, 170, 412
LEVEL_2 = TOTAL - LEVEL_3 - LEVEL_4 - LEVEL_1

AGENCIES = [
    "Sở Tư pháp", "Sở Xây dựng", "Sở Tài nguyên và Môi trường", "Sở Kế hoạch và Đầu tư",
    "Sở Giao thông vận tải", "Sở Y tế", "Sở Giáo dục và Đào tạo",
    "Sở Lao động - Thương binh và Xã hội", "Sở Công Thương", "Sở Văn hóa và Thể thao",
    "Sở Thông tin và Truyền thông", "Sở Nội vụ",
]
KINDS = [
    "Cấp giấy phép", "Cấp lại giấy chứng nhận", "Đăng ký", "Điều chỉnh", "Gia hạn", "Thẩm định hồ sơ",
    "Công nhận", "Xác nhận",
]

levels = [1] * LEVEL_1 + [2] * LEVEL_2 + [3] * LEVEL_3 + [4] * LEVEL_4
random.Random(20180918).shuffle(levels)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "administrative-procedures.sqlite")
if os.path.exists(path):
    os.remove(path)
database = sqlite3.connect(path)
database.execute(
    "CREATE TABLE thu_tuc (ma_thu_tuc TEXT PRIMARY KEY, ten_thu_tuc TEXT NOT NULL, co_quan TEXT NOT NULL,"
    " muc_do INTEGER NOT NULL, nam INTEGER NOT NULL)"
)
for index, level in enumerate(levels, start=1):
    agency = AGENCIES[index % len(AGENCIES)]
    kind = KINDS[(index * 7) % len(KINDS)]
    name = f"{kind} (thủ tục minh họa số {index:04d})"
    if index % 97 == 0:
        # Commas and quotes inside a field, as real catalogue exports have.
        name = f'{kind}, sửa đổi, bổ sung "hồ sơ minh họa" số {index:04d}'
    database.execute("INSERT INTO thu_tuc VALUES (?, ?, ?, ?, ?)", (f"HN-{index:04d}", name, agency, level, 2018))
database.commit()
database.execute("VACUUM")
database.close()
