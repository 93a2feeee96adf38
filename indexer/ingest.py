"""Read supplier/requirement files (JSONL, CSV, XLSX) and validate every row before any write.

Each error names the file, the line (the spreadsheet row for XLSX), the field and the reason,
in the `PATH:LINE: field: message` form of CONTRACT.md.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from indexer.columns import HEADER_SEARCH, header_index, named_as_fields

SUPPORTED = (".jsonl", ".ndjson", ".json", ".csv", ".xlsx")


@dataclass(frozen=True)
class RowError:
    """One reason a row cannot be imported."""

    path: str
    line: int
    field: str
    message: str
    kind: str = "value_error"  # pydantic's error type, for translated messages

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class ParsedFile:
    """Valid rows (with their line numbers) and every error found."""

    rows: list[tuple[int, BaseModel]]
    errors: list[RowError]


# Deeper than any real row (a certificate object inside a list is depth 3); a line nested
# 10,000 deep would otherwise exhaust the parser's stack.
MAX_DEPTH = 20
# Signs that bytes are Windows-1258 (Vietnamese), not Windows-1252: tone marks as combining
# characters, or đ and ư, which Windows-1252 reads as the Icelandic ð and ý ("Công ty Đúc").
_VIETNAMESE_SIGNS = re.compile("[\u0300\u0301\u0303\u0309\u0323đĐưƯ]")


class UnreadableFile(ValueError):
    """A file whose bytes are no text encoding we can read."""


def read_text(path: Path) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16/32 with a BOM or by their NUL
    pattern, else Windows-1258 (Vietnamese, tone marks as combining characters, made NFC
    later) or Windows-1252, as old spreadsheets save CSV."""
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return raw.decode("utf-32"), "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = raw[:4000]
    if sample and sample.count(0) > len(sample) / 4:  # UTF-16 without a BOM
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    try:
        text = raw.decode("cp1258")
        if _VIETNAMESE_SIGNS.search(text):
            return text, "windows-1258"
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"encoding: not UTF-8, UTF-16 or Windows-1258/1252 (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); save the file as UTF-8"
        ) from exc


def _depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of decoded JSON, stopping early past `limit`."""
    stack, deepest = [(value, 1)], 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _loads(text: str) -> Any:
    """json.loads that refuses absurd nesting with a ValueError instead of a RecursionError."""
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep") from exc
    if _depth(value) > MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    return value


def read_rows(path: Path, fields: Iterable[str] = ()) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """(line, raw row) pairs; a row that cannot even be parsed comes back as a RowError.
    `fields` (the schema's) find a CSV or XLSX header below title rows."""
    fields = list(fields)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield 0, RowError(str(path), 0, "file", f"unsupported format {suffix!r}; use {', '.join(SUPPORTED)}")
        return
    if suffix == ".xlsx":
        yield from _xlsx_rows(path, fields)
        return
    try:
        text, _encoding = read_text(path)
    except UnreadableFile as exc:
        yield 0, RowError(str(path), 0, "file", str(exc))
        return
    if suffix == ".json" and text.lstrip().startswith("["):
        yield from _json_array_rows(path, text)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        yield from _jsonl_rows(path, text)
    else:
        yield from _csv_rows(path, text, fields)


def _jsonl_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = _loads(line)
        except json.JSONDecodeError as exc:
            yield (
                number,
                RowError(str(path), number, "line", f"invalid JSON ({exc.msg} at column {exc.colno})"),
            )
            continue
        except ValueError as exc:
            yield number, RowError(str(path), number, "line", f"invalid JSON ({exc})")
            continue
        if not isinstance(row, dict):
            yield number, RowError(str(path), number, "line", "must be a JSON object")
            continue
        yield number, row


def _json_array_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """A JSON array of objects; "line" is then the item's position (1-based)."""
    try:
        items = _loads(text)
    except json.JSONDecodeError as exc:
        yield exc.lineno, RowError(str(path), exc.lineno, "file", f"invalid JSON ({exc.msg})")
        return
    except ValueError as exc:
        yield 0, RowError(str(path), 0, "file", f"invalid JSON ({exc})")
        return
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield number, item
        else:
            yield number, RowError(str(path), number, "item", "must be a JSON object")


def _cell(value: Any) -> Any:
    """A CSV/XLSX cell: blank is absent; a JSON list/object (e.g. certificates) is decoded;
    a whole number that a spreadsheet stored as float (2005.0) is an int again."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text[0] in "[{" and text[-1] in "]}":
            try:
                return _loads(text)
            except ValueError:  # JSONDecodeError too: then it is just text
                return text
        return text
    return value


def _delimiter(line: str) -> str:
    # Spreadsheets set to Vietnamese locale export ";"-separated CSV; lists inside a cell
    # use ";" too, so the header line decides.
    return "\t" if "\t" in line else (";" if ";" in line and "," not in line else ",")


def _csv_rows(path: Path, text: str, fields: list[str]) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    first = text.split("\n", HEADER_SEARCH)[:HEADER_SEARCH]
    cells = [next(csv.reader([line], delimiter=_delimiter(line)), []) for line in first]
    skip = header_index(cells, fields) or 0
    handle = io.StringIO(text, newline="")
    for _ in range(skip):
        handle.readline()
    reader = csv.reader(handle, delimiter=_delimiter(first[skip] if first else ""))
    names = next(reader, None)
    if not names:
        return
    names = [n.strip() for n in names]
    start = skip + reader.line_num + 1
    for cells in reader:
        line, start = start, skip + reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names):
            yield line, RowError(str(path), line, "line", "more cells than header columns")
            continue
        if len(cells) < len(names):
            yield (
                line,
                RowError(
                    str(path), line, "line", f"{len(cells)} cells, but the header has {len(names)} columns"
                ),
            )
            continue
        values = {k: _cell(v) for k, v in zip(names, cells, strict=True) if k and _cell(v) is not None}
        if values:
            yield line, values


def _xlsx_rows(path: Path, fields: list[str]) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises several types for a broken file
        yield 0, RowError(str(path), 0, "file", f"cannot read XLSX: {exc}")
        return
    # The first sheet whose first rows name a field (a workbook may open on its instructions).
    for sheet in [*workbook.worksheets, workbook.worksheets[0]]:
        rows = sheet.iter_rows()
        first = list(itertools.islice(rows, HEADER_SEARCH))
        texts = [[str(c.value).strip() if c.value is not None else "" for c in row] for row in first]
        skip = header_index(texts, fields)
        if skip is not None:
            break
    skip = skip or 0  # no sheet names a field: the first sheet's first row, whose errors say so
    if not texts:
        return
    names = texts[skip]
    for number, cells in enumerate(itertools.chain(first[skip + 1 :], rows), start=skip + 2):
        values = {}
        formula = None
        for name, cell in zip(names, cells, strict=False):
            if getattr(cell, "data_type", None) == "f":  # a formula is not a value we can trust
                formula = (name, cell.value)
                break
            if name and _cell(cell.value) is not None:
                values[name] = _cell(cell.value)
        if formula:
            yield (
                number,
                RowError(
                    str(path),
                    number,
                    formula[0] or "cell",
                    f"is a formula ({formula[1]}); paste it as a value",
                ),
            )
            continue
        if values:
            yield number, values
    workbook.close()


_UNION_TAGS = ("str", "constrained-str", "function-", "CertificateIn")


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if not str(p).startswith(_UNION_TAGS)]
    return ".".join(parts) or "row"


def _messages(exc: ValidationError) -> list[tuple[str, str, str]]:
    """(field, message, error type) triples; a union's "not a string" noise is dropped when
    the object branch explains the problem better."""
    errors = exc.errors(include_url=False)
    out: list[tuple[str, str, str]] = []
    for error in errors:
        loc = error["loc"]
        field = _field_name(loc)
        is_string_branch = any(str(p) in ("str", "constrained-str") for p in loc)
        if is_string_branch:
            siblings = [e for e in errors if e is not error and _field_name(e["loc"]).startswith(field)]
            if siblings:
                continue
        message = error["msg"].removeprefix("Value error, ")
        out.append((field, message, error["type"]))
    return out


def parse_file(
    path: Path,
    schema: type[BaseModel],
    progress: Callable[[int], None] | None = None,
) -> ParsedFile:
    """Validate every row of a file against a schema; duplicate ids are errors too."""
    rows: list[tuple[int, BaseModel]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    if not path.exists():
        return ParsedFile([], [RowError(str(path), 0, "file", "no such file")])
    for line, raw in read_rows(path, schema.model_fields):
        if progress:
            progress(line)
        if isinstance(raw, RowError):
            errors.append(raw)
            continue
        try:
            record = schema.model_validate(named_as_fields(raw, schema.model_fields))
        except ValidationError as exc:
            for field, message, kind in _messages(exc):
                errors.append(RowError(str(path), line, field, message, kind))
            continue
        record_id = record.id  # type: ignore[attr-defined]
        if record_id in seen:
            errors.append(
                RowError(
                    str(path), line, "id", f"duplicate id {record_id!r} (first on line {seen[record_id]})"
                )
            )
            continue
        seen[record_id] = line
        rows.append((line, record))
    return ParsedFile(rows, errors)
