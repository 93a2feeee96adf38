"""Field types shared by the pydantic schemas: NFC text, `;`-separated lists, flexible booleans."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

from models.vocabulary.text import nfc

# Longest free text and list item accepted: a profile's description is a few paragraphs; a
# megabyte "description" is an attack or an accident, and would stall indexing.
MAX_TEXT = 20_000
MAX_ITEM = 500
MAX_ITEMS = 300


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(f"too long: {len(value):,} characters (at most {MAX_TEXT:,})")
        value = nfc(value)
        return value or None
    return value


def _text_list(value: Any) -> Any:
    """A list of non-empty NFC strings; a CSV/XLSX cell "a; b" becomes ["a", "b"]."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"too many entries: {len(value)} (at most {MAX_ITEMS})")
        out = []
        for item in value:
            if not isinstance(item, str):
                raise ValueError("must be a list of strings")
            if len(item) > MAX_ITEM:
                raise ValueError(f"an entry is too long: {len(item):,} characters (at most {MAX_ITEM})")
            if nfc(item):
                out.append(nfc(item))
        return out
    raise ValueError("must be a list of strings (or one string separated by ';')")


def _id(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        # A spreadsheet stores the tax code 0109998883 as the number 109998883: nine digits
        # from a number cell are a tax code that lost its leading zero.
        text = str(value)
        return "0" + text if len(text) == 9 else text
    if isinstance(value, str):
        if _CONTROL.search(value):  # an id is a key: silently changing it would merge records
            raise ValueError("must not contain control characters (NUL, tab, newline …)")
        value = nfc(value)
        if not value:
            raise ValueError("must not be empty")
    return value


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$")


def _whole_number(value: Any) -> Any:
    """Counts and years as people type them: "1.200" or "1,200" employees, "2005.0"."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _GROUPED_NUMBER.match(text):
            return int(re.sub(r"[.,\s]", "", text))
        return text
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _boolean(value: Any) -> Any:
    if value is None or value == "":
        return False
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in {"true", "yes", "y", "1", "có", "co", "x"}:
            return True
        if folded in {"false", "no", "n", "0", "không", "khong"}:
            return False
        raise ValueError("must be true or false")
    return value


Text = Annotated[str | None, BeforeValidator(_text)]
TextList = Annotated[list[str], BeforeValidator(_text_list)]
Identifier = Annotated[str, BeforeValidator(_id)]
FlexibleBool = Annotated[bool, BeforeValidator(_boolean)]
WholeNumber = Annotated[int | None, BeforeValidator(_whole_number)]
