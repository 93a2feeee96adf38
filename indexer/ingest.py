"""Read supplier/requirement files (JSONL, CSV, XLSX) and validate every row before any write.

Each error names the file, the line (the spreadsheet row for XLSX), the field and the reason,
in the `PATH:LINE: field: message` form of CONTRACT.md.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

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


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """(line, raw row) pairs; a row that cannot even be parsed comes back as a RowError."""
    suffix = path.suffix.lower()
    if suffix == ".json" and path.read_text(encoding="utf-8-sig").lstrip().startswith("["):
        yield from _json_array_rows(path)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        yield from _jsonl_rows(path)
    elif suffix == ".csv":
        yield from _csv_rows(path)
    elif suffix == ".xlsx":
        yield from _xlsx_rows(path)
    else:
        yield 0, RowError(str(path), 0, "file", f"unsupported format {suffix!r}; use {', '.join(SUPPORTED)}")


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield (
                    number,
                    RowError(str(path), number, "line", f"invalid JSON ({exc.msg} at column {exc.colno})"),
                )
                continue
            if not isinstance(row, dict):
                yield number, RowError(str(path), number, "line", "must be a JSON object")
                continue
            yield number, row


def _json_array_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """A JSON array of objects; "line" is then the item's position (1-based)."""
    try:
        items = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        yield exc.lineno, RowError(str(path), exc.lineno, "file", f"invalid JSON ({exc.msg})")
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
                return json.loads(text)
            except json.JSONDecodeError:
                return text
        return text
    return value


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
        handle.seek(0)
        # Spreadsheets set to Vietnamese locale export ";"-separated CSV; lists inside a cell
        # use ";" too, so the header line decides.
        delimiter = "\t" if "\t" in header else (";" if ";" in header and "," not in header else ",")
        reader = csv.DictReader(handle, delimiter=delimiter)
        if not reader.fieldnames:
            return
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if None in row:
                yield line, RowError(str(path), line, "line", "more cells than header columns")
                continue
            values = {k.strip(): _cell(v) for k, v in row.items() if k and _cell(v) is not None}
            if values:
                yield line, values


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a broken file
        yield 0, RowError(str(path), 0, "file", f"cannot read XLSX: {exc}")
        return
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return
    names = [str(h).strip() if h is not None else "" for h in header]
    for number, cells in enumerate(rows, start=2):
        values = {}
        for name, value in zip(names, cells, strict=False):
            if name and _cell(value) is not None:
                values[name] = _cell(value)
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
    for line, raw in read_rows(path):
        if progress:
            progress(line)
        if isinstance(raw, RowError):
            errors.append(raw)
            continue
        try:
            record = schema.model_validate(raw)
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
