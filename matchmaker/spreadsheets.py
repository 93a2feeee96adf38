"""Cells that a spreadsheet shows as text, never runs: every CSV and XLSX export goes through here.

A supplier may name itself "=HYPERLINK(…)" or "+84 …"; opened in Excel or LibreOffice such a
cell is a formula (CSV injection). Text starting with = + - @ or a tab/carriage return gets a
leading apostrophe, which spreadsheets hide and treat as "this is text". Numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]
