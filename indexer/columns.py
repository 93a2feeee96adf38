"""What a spreadsheet's column headings mean: the schema's fields as people head them.

A programme officer's sheet is headed "Mã số thuế | Tên doanh nghiệp | Tỉnh/thành | Sản phẩm",
an exporter's "ID | Company name | Year established", often below a title row ("DANH SÁCH NHÀ
CUNG CẤP 2026"). Headings are compared folded (case, diacritics, spacing and punctuation
aside, a trailing note in brackets dropped: "Sản phẩm (cách nhau bằng ;)"), so the web form's
own labels (web/messages.toml) work as headings too. Only input fields are reachable: no
heading maps to a derived or officer-only field (verification, canonical province).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from models.vocabulary.text import fold, nfc

# Folded heading → the fields it may mean (the first a schema has wins): "Ngành" is a
# requirement's sector and a supplier's sectors.
ALIASES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("ma", "ma_doanh_nghiep", "ma_nha_cung_cap", "ma_ncc", "ma_yeu_cau"), ("id",)),
    **dict.fromkeys(("supplier_id", "requirement_id"), ("id",)),
    **dict.fromkeys(("ten", "ten_doanh_nghiep", "ten_cong_ty", "ten_nha_cung_cap", "ten_ncc"), ("name",)),
    **dict.fromkeys(("company", "company_name", "supplier_name", "supplier"), ("name",)),
    **dict.fromkeys(("ma_so_thue", "mst", "tax_code", "tax_id"), ("tax_code",)),
    **dict.fromkeys(("mo_ta", "gioi_thieu", "mo_ta_nang_luc"), ("description",)),
    **dict.fromkeys(("san_pham", "san_pham_chinh", "main_products"), ("products",)),
    **dict.fromkeys(("cong_nghe_quy_trinh", "cong_nghe", "quy_trinh", "quy_trinh_san_xuat"), ("processes",)),
    **dict.fromkeys(("vat_lieu", "nguyen_vat_lieu", "nguyen_lieu"), ("materials",)),
    **dict.fromkeys(("chung_nhan", "chung_chi", "certificates"), ("certifications",)),
    **dict.fromkeys(("tinh_thanh", "tinh", "tinh_thanh_pho", "province_city"), ("province",)),
    **dict.fromkeys(("loai_hinh_so_huu", "so_huu", "loai_hinh_doanh_nghiep"), ("ownership",)),
    **dict.fromkeys(("so_lao_dong", "lao_dong", "so_nhan_vien", "headcount"), ("employees",)),
    **dict.fromkeys(("number_of_employees", "staff"), ("employees",)),
    **dict.fromkeys(("nam_thanh_lap", "year_founded", "founded"), ("year_established",)),
    **dict.fromkeys(("nganh", "linh_vuc", "nganh_nghe", "industry"), ("sector", "sectors")),
    **dict.fromkeys(("khach_hang", "khach_hang_chinh", "main_customers"), ("customers",)),
    **dict.fromkeys(("thi_truong_xuat_khau", "markets"), ("export_markets",)),
    **dict.fromkeys(("doanh_nghiep_dan_dat", "doanh_nghiep_mua", "ben_mua", "buyer"), ("lead_firm",)),
    **dict.fromkeys(("tieu_de", "yeu_cau", "ten_yeu_cau", "ten_hang", "hang_can_mua"), ("title",)),
    **dict.fromkeys(
        ("chung_nhan_bat_buoc", "chung_chi_bat_buoc", "chung_nhan_yeu_cau"), ("required_certifications",)
    ),
    **dict.fromkeys(("tinh_uu_tien", "dia_ban_uu_tien"), ("preferred_provinces",)),
    **dict.fromkeys(("san_luong_nam", "san_luong", "volume"), ("annual_volume",)),
}

# Spreadsheets often carry a title, a date or blank rows above the header ("DANH SÁCH NHÀ CUNG
# CẤP", "Cập nhật: 01/12/2026"): the header is the first of this many rows that names a field.
HEADER_SEARCH = 10


def column_key(heading: Any) -> str:
    """A heading folded for comparison: "Năm thành lập" → "nam_thanh_lap"."""
    text = re.sub(r"\([^)]*\)\s*$", "", fold(nfc(str(heading))).lower())
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def field_of(heading: Any, fields: Iterable[str]) -> str | None:
    """The field a heading names among `fields`, or None."""
    fields = set(fields)
    key = column_key(heading)
    by_key = {column_key(f): f for f in fields}
    if key in by_key:
        return by_key[key]
    return next((f for f in ALIASES.get(key, ()) if f in fields), None)


def header_index(rows: list[list[str]], fields: Iterable[str]) -> int | None:
    """Which of a sheet's first rows is its header: the first naming a field (None: none does)."""
    fields = list(fields)
    return next((i for i, cells in enumerate(rows) if any(c and field_of(c, fields) for c in cells)), None)


def named_as_fields(raw: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """A row under its fields' own names when its headings name them otherwise ("ID", "Year
    established", "Tên doanh nghiệp"); a column named exactly as a field wins, and columns that
    name no field (or one already taken) stay extras under their own headings."""
    fields = set(fields)
    out = {k: v for k, v in raw.items() if k in fields}
    for heading, value in raw.items():
        if heading in fields:
            continue
        name = field_of(heading, fields)
        out[name if name and name not in out else heading] = value
    return out
