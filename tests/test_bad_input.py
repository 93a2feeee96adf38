"""Bad input gets the contract's answer: a named reason, exit 2 or 4xx, nothing half-written.

Files in other encodings are read (or refused by name), absurd nesting and short rows are
row errors, ids keep their exact characters, formulas are named, exports never carry a
formula, and huge fields are refused before they can stall indexing.
"""

import gc
import json
import subprocess
import sys
import time
import unicodedata

import pytest
from openpyxl import Workbook
from test_api import server  # noqa: F401  (fixture)

from indexer.ingest import parse_file
from indexer.taxonomy import default_taxonomy
from matchmaker.spreadsheets import safe_row
from models.fields import MAX_TEXT
from models.supplier import SupplierIn

VIETNAMESE = "id,name,province\nS1,Công ty Đúc nhôm Hà Nội,Bắc Giang\n"


def cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese spreadsheets write it: base letters precomposed where the
    code page has them (â, ơ, đ), tone marks as combining characters."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            rest = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
            out += (rest + "".join(tones)).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-16-le"),
        cp1258,
        lambda t: t.encode("utf-8-sig"),
    ],
    ids=["utf-16 BOM", "utf-16-le no BOM", "windows-1258", "utf-8 BOM"],
)
def test_files_in_other_encodings_are_read_as_written(tmp_path, encode):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(encode(VIETNAMESE))
    parsed = parse_file(path, SupplierIn)
    assert not parsed.errors
    row = parsed.rows[0][1]
    assert row.name == "Công ty Đúc nhôm Hà Nội" and row.province == "Bắc Giang"


def test_columns_headed_in_another_case_or_spacing_are_the_fields(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text("ID,Name,Year established,Products,Notes\nS1,Cty A,2004,đúc nhôm,gọi trước\n", "utf-8")
    parsed = parse_file(path, SupplierIn)
    assert not parsed.errors, parsed.errors
    row = parsed.rows[0][1]
    assert (row.id, row.name, row.year_established, row.products) == ("S1", "Cty A", 2004, ["đúc nhôm"])
    assert row.model_extra == {"Notes": "gọi trước"}  # an unknown column stays an extra attribute


def test_a_firm_founded_in_a_future_year_is_a_row_error(tmp_path):
    from datetime import date

    path = tmp_path / "suppliers.csv"
    path.write_text(f"id,name,year_established\nS1,Cty A,{date.today().year + 3}\nS2,Cty B,1998\n", "utf-8")
    parsed = parse_file(path, SupplierIn)
    assert [(e.line, e.field) for e in parsed.errors] == [(2, "year_established")]
    assert "after this year" in str(parsed.errors[0])


def test_a_column_named_exactly_as_a_field_wins_over_one_in_another_case(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text("id,ID,name\nS1,S2,Cty A\n", "utf-8")
    row = parse_file(path, SupplierIn).rows[0][1]
    assert row.id == "S1" and row.model_extra == {"ID": "S2"}


@pytest.mark.parametrize(
    ("code_page", "name"),
    [
        # no combining tone mark at all: đ and ư alone say Windows-1258 (Windows-1252 reads ð, ý)
        ("cp1258", "Công ty Đúc Sư Đoàn"),
        ("cp1252", "Société Générale Café"),
    ],
)
def test_windows_csv_is_read_in_its_code_page(tmp_path, code_page, name):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(f"id,name\nS1,{name}\n".encode(code_page))
    assert parse_file(path, SupplierIn).rows[0][1].name == name


def test_deep_nesting_short_rows_and_control_characters_are_row_errors(tmp_path):
    deep = tmp_path / "deep.jsonl"
    deep.write_text(
        json.dumps({"id": "S1", "name": "ok"})
        + "\n"
        + '{"id": "S2", "x": '
        + "[" * 10000
        + "]" * 10000
        + "}\n"
    )
    errors = [str(e) for e in parse_file(deep, SupplierIn).errors]
    assert errors == [f"{deep}:2: line: invalid JSON (nested more than 20 levels deep)"]
    short = tmp_path / "short.csv"
    short.write_text("id,name,province\nS1,Full,Hà Nội\nS2,Short\n", encoding="utf-8")
    assert [str(e) for e in parse_file(short, SupplierIn).errors] == [
        f"{short}:3: line: 2 cells, but the header has 3 columns"
    ]
    nul = tmp_path / "nul.jsonl"
    nul.write_text(json.dumps({"id": "S\u00001", "name": "x"}) + "\n", encoding="utf-8")
    assert "control characters" in str(parse_file(nul, SupplierIn).errors[0])


def test_an_xlsx_formula_is_named_not_dropped(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "employees"])
    sheet.append(["S1", "Cơ khí An Phát", "=10*12"])
    path = tmp_path / "suppliers.xlsx"
    book.save(path)
    errors = [str(e) for e in parse_file(path, SupplierIn).errors]
    assert errors == [f"{path}:2: employees: is a formula (=10*12); paste it as a value"]


def test_the_cli_refuses_a_bad_file_with_exit_2_and_imports_nothing(tmp_path, cli_env):
    path = tmp_path / "suppliers.csv"
    path.write_text("id,name,province\nS1,Full,Hà Nội\nS2,Short\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "matchmaker", "import", "suppliers", str(path)],
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert f"{path}:3: line:" in run.stdout + run.stderr


def test_huge_fields_are_refused_and_concept_matching_is_linear():
    with pytest.raises(ValueError, match="too long"):
        SupplierIn(id="S", name="x", description="đúc nhôm " * (MAX_TEXT // 5))
    taxonomy = default_taxonomy()
    unit = "Chuyên đúc áp lực nhôm, gia công CNC, khuôn ép nhựa, đế giày cao su, bu lông. "
    timings = []
    for size in (MAX_TEXT // 4, MAX_TEXT):
        text = (unit * (size // len(unit) + 1))[:size]
        timings.append(min(_cpu_seconds(taxonomy.find, text) for _ in range(3)))
    # Four times the text may cost at most ~8 times the CPU (quadratic would be 16 times).
    assert timings[1] < 8 * timings[0] + 0.1


def _cpu_seconds(work, *args) -> float:
    """This process's CPU time for one call: other load does not inflate it, and neither does
    a full garbage collection of the test run's heap (once 0.2 s, landing in one timing)."""
    gc.disable()
    try:
        started = time.process_time()
        work(*args)
        return time.process_time() - started
    finally:
        gc.enable()


def test_exports_never_carry_a_formula():
    row = safe_row(['=HYPERLINK("http://x")', "+84 912", "-1", "@SUM(A1)", "Cơ khí", 12, -3])
    assert row == ['\'=HYPERLINK("http://x")', "'+84 912", "'-1", "'@SUM(A1)", "Cơ khí", 12, -3]


def test_malformed_search_filters_answer_422(server):  # noqa: F811
    for filters in ({"ownership": [{}]}, {"ownership": [[1]]}, {"sector": [{}]}, {"nope": 1}):
        response = server.post("/api/v1/search", json={"text": "đúc nhôm", "filters": filters})
        assert response.status_code == 422, (filters, response.text)


@pytest.mark.parametrize("unit", ["0", "for ", "dùng cho ", "用", "모터용 ", "A1-", "nsx "])
def test_reading_a_long_adversarial_text_stays_linear(unit):
    """A search text may be 5,000 characters; no pattern may backtrack over it (a run of 5,000
    digits took 8 s before numbers were bounded)."""
    from indexer.documents import requirement_document

    def seconds(size):
        text = (unit * size)[:size]
        return _cpu_seconds(requirement_document, {"id": "R", "title": text})

    small, large = seconds(500), seconds(5000)
    assert large < 20 * small + 0.5  # ten times the text; quadratic would be ~100 times
