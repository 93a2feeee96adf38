"""Import: three formats, every bad row reported, nothing half-written, upsert, extras kept."""

import csv
import json
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from matchmaker.records.importing import import_file
from models import Requirement, Supplier

ROWS = [
    {
        "id": "0100000001",
        "name": "Công ty TNHH Cơ khí A",
        "products": ["bu lông", "đai ốc"],
        "certifications": ["ISO9001:2015"],
        "province": "Bắc Giang",
        "employees": 120,
        "fax": "024 1234",
    },
    {
        "id": "0100000002",
        "name": "Cong ty Duc B",
        "processes": ["duc ap luc"],
        "ownership": "liên doanh",
        "certifications": [{"standard": "IATF16949", "valid_until": "2030-01-01"}],
    },
]
LIST_FIELDS = ("products", "processes", "certifications")


def write(path: Path, rows: list[dict]) -> Path:
    """The same rows as JSONL, CSV or XLSX (lists joined by ';', objects as JSON)."""
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
        return path
    header = sorted({k for r in rows for k in r})

    def cell(value):
        if isinstance(value, list):
            if any(isinstance(v, dict) for v in value):
                return json.dumps(value, ensure_ascii=False)
            return "; ".join(value)
        return value

    table = [[cell(r.get(h)) for h in header] for r in rows]
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *table])
    else:
        book = Workbook()
        book.active.append(header)
        for row in table:
            book.active.append(row)
        book.save(path)
    return path


def supplier_rows(ws) -> dict[str, Supplier]:
    with ws.sessions() as session:
        return {s.id: s for s in session.scalars(select(Supplier))}


def test_three_formats_import_the_same_records(workspace, tmp_path):
    results = []
    for suffix in (".jsonl", ".csv", ".xlsx"):
        path = write(tmp_path / f"suppliers{suffix}", ROWS)
        with workspace.sessions() as session:
            report = import_file(db_session=session, kind="suppliers", path=path)
        assert report.ok, report.errors
        records = supplier_rows(workspace)
        results.append(
            {
                sid: (
                    s.name,
                    s.products,
                    s.processes,
                    s.province_canonical,
                    s.ownership,
                    [c["standard"] for c in s.certifications],
                    s.employees,
                    s.extra,
                )
                for sid, s in records.items()
            }
        )
    assert results[0] == results[1] == results[2]
    first = results[0]["0100000001"]
    assert first[3] == "Bắc Ninh"  # old province normalised
    assert first[5] == ["ISO 9001"]
    assert first[7] == {"fax": "024 1234"}  # unknown fields kept
    assert results[0]["0100000002"][4] == "joint_venture"


def test_a_file_with_bad_rows_imports_nothing_and_names_each_error(workspace, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"id": "S1", "name": "OK firm"})
        + "\n"
        + json.dumps({"id": "S2"})
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "S3", "name": "X", "employees": "many", "ownership": "alien"})
        + "\n"
        + json.dumps({"id": "S1", "name": "dup"})
        + "\n",
        "utf-8",
    )
    with workspace.sessions() as session:
        report = import_file(db_session=session, kind="suppliers", path=path)
    lines = [str(e) for e in report.errors]
    assert f"{path}:2: name: Field required" in lines
    assert any(line.startswith(f"{path}:3: line: invalid JSON") for line in lines)
    assert any(line.startswith(f"{path}:4: employees:") for line in lines)
    assert any(
        line.startswith(f"{path}:4: ownership: must be domestic, fdi or joint_venture") for line in lines
    )
    assert any(line.startswith(f"{path}:5: id: duplicate id 'S1'") for line in lines)
    assert supplier_rows(workspace) == {}


def test_csv_and_xlsx_errors_name_the_spreadsheet_line(workspace, tmp_path):
    rows = [{"id": "A1", "name": "Good"}, {"id": "A2", "name": "Bad", "year_established": "1700"}]
    for suffix in (".csv", ".xlsx"):
        path = write(tmp_path / f"s{suffix}", rows)
        with workspace.sessions() as session:
            report = import_file(db_session=session, kind="suppliers", path=path)
        assert [f"{e.line}:{e.field}" for e in report.errors] == ["3:year_established"]
    assert supplier_rows(workspace) == {}


def test_upsert_updates_given_fields_and_keeps_the_rest(workspace, tmp_path):
    with workspace.sessions() as session:
        import_file(db_session=session, kind="suppliers", path=write(tmp_path / "a.jsonl", ROWS))
    update = [
        {"id": "0100000001", "name": "Công ty TNHH Cơ khí A (mới)", "employees": 150, "email": "a@x.vn"}
    ]
    with workspace.sessions() as session:
        report = import_file(db_session=session, kind="suppliers", path=write(tmp_path / "b.jsonl", update))
    assert (report.created, report.updated) == (0, 1)
    record = supplier_rows(workspace)["0100000001"]
    assert record.name == "Công ty TNHH Cơ khí A (mới)" and record.employees == 150
    assert record.products == ["bu lông", "đai ốc"]  # not in the update: kept
    assert record.extra == {"fax": "024 1234", "email": "a@x.vn"}


def test_dry_run_writes_nothing(workspace, tmp_path):
    with workspace.sessions() as session:
        report = import_file(
            db_session=session, kind="suppliers", path=write(tmp_path / "a.jsonl", ROWS), dry_run=True
        )
    assert report.ok and report.created == 2
    assert supplier_rows(workspace) == {}


def test_requirements_import_with_lead_firms_and_canonical_certifications(workspace, tmp_path):
    rows = [
        {
            "id": "R1",
            "lead_firm": "Honda Vietnam",
            "title": "Die-cast covers",
            "required_certifications": "IATF16949; iso 9001",
            "include_foreign_owned": "yes",
        },
        {"id": "R2", "lead_firm": "Honda Vietnam", "title": "Bolts"},
    ]
    with workspace.sessions() as session:
        report = import_file(db_session=session, kind="requirements", path=write(tmp_path / "r.csv", rows))
        assert report.ok, report.errors
        r1 = session.get(Requirement, "R1")
        assert r1.required_certifications == ["IATF 16949", "ISO 9001"]
        assert r1.include_foreign_owned is True and r1.lead_firm.name == "Honda Vietnam"
        assert session.scalar(select(func.count()).select_from(Requirement)) == 2
        assert session.get(Requirement, "R2").lead_firm_id == r1.lead_firm_id


def test_text_is_stored_as_nfc(workspace, tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Công ty Đúc Việt")
    path = write(tmp_path / "n.jsonl", [{"id": "N1", "name": decomposed}])
    with workspace.sessions() as session:
        import_file(db_session=session, kind="suppliers", path=path)
    assert supplier_rows(workspace)["N1"].name == unicodedata.normalize("NFC", decomposed)


def test_files_as_spreadsheets_and_people_write_them(workspace, tmp_path):
    semicolon = tmp_path / "vi-locale.csv"
    semicolon.write_text(
        "id;name;products;employees;ownership;year_established\n"
        'S1;Công ty Cơ khí;"bu lông; đai ốc";1.200;Doanh nghiệp trong nước;2005\n'
        "S2;Nakamura Vietnam;ốc vít;80;100% vốn nước ngoài;2010\n",
        encoding="utf-8",
    )
    array = tmp_path / "more.json"
    array.write_text(json.dumps([{"id": "S3", "name": "Liên doanh A", "ownership": "Liên doanh"}]), "utf-8")
    for path in (semicolon, array):
        with workspace.sessions() as session:
            report = import_file(db_session=session, kind="suppliers", path=path)
        assert report.ok, report.errors
    records = supplier_rows(workspace)
    assert records["S1"].products == ["bu lông", "đai ốc"] and records["S1"].employees == 1200
    assert [records[s].ownership for s in ("S1", "S2", "S3")] == ["domestic", "fdi", "joint_venture"]


def test_a_second_import_of_the_same_file_is_quiet(workspace, tmp_path):
    from models.provenance import RecordVersion

    path = tmp_path / "suppliers.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in (
                {
                    "id": "S1",
                    "name": "Cơ khí An Phát",
                    "certifications": ["ISO 9001:2015"],
                    "province": "Bắc Giang",
                },
                {"id": "S2", "name": "Nhựa Hòa Bình", "products": ["vỏ nhựa"], "dien_thoai": "0912"},
            )
        )
        + "\n",
        encoding="utf-8",
    )

    def run():
        with workspace.sessions() as session:
            report = import_file(db_session=session, kind="suppliers", path=path)
            versions = session.scalar(select(func.count()).select_from(RecordVersion))
        return report, versions

    first, versions = run()
    second, versions_after = run()
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert versions_after == versions


def test_an_xlsx_tax_code_id_keeps_its_leading_zero(workspace, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "name"])
    book.active.append([109998883, "Cơ khí Đông Anh"])  # the spreadsheet dropped the 0
    book.active.append([42, "Xưởng 42"])
    path = tmp_path / "suppliers.xlsx"
    book.save(path)
    from indexer.ingest import parse_file
    from models.supplier import SupplierIn

    parsed = parse_file(path, SupplierIn)
    assert [row.id for _, row in parsed.rows] == ["0109998883", "42"]


# An officer's sheet: a merged title, a date line and a blank row above Vietnamese headings
# (the web form's own labels among them), no id column but the tax code.
OFFICER_HEADINGS = [
    "STT",
    "Mã số thuế",
    "Tên doanh nghiệp",
    "Tỉnh/thành",
    "Sản phẩm (cách nhau bằng ;)",
    "Năm thành lập",
]
OFFICER_ROWS = [
    [1, "0101234567", "Công ty TNHH Khuôn mẫu Hưng Phát", "Hải Dương", "khuôn ép nhựa; khuôn dập", 2008],
    [2, "0107654321", "Cơ khí chính xác Tân Tiến", "Hà Nội", "chi tiết CNC", 2031],
]


def officer_sheet(path: Path) -> Path:
    title = ["DANH SÁCH NHÀ CUNG CẤP CNHT 2026"] + [None] * (len(OFFICER_HEADINGS) - 1)
    lines = [title, ["Cập nhật: 01/12/2026"], [], OFFICER_HEADINGS, *OFFICER_ROWS]
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(lines)
        return path
    book = Workbook()
    for line in lines:
        book.active.append(line or [None])
    book.active.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(OFFICER_HEADINGS))
    book.save(path)
    return path


def test_an_officers_sheet_with_a_title_and_vietnamese_headings_is_read_by_its_header(tmp_path):
    from indexer.ingest import parse_file
    from models.supplier import SupplierIn

    for suffix in (".xlsx", ".csv"):
        parsed = parse_file(officer_sheet(tmp_path / f"suppliers{suffix}"), SupplierIn)
        # the rows under the headings, by their own line numbers; the second was founded in 2031
        [(line, first)] = parsed.rows
        assert line == 5, suffix
        assert (first.id, first.tax_code, first.name) == ("0101234567", "0101234567", OFFICER_ROWS[0][2])
        assert (first.province, first.products, first.year_established) == (
            "Hải Dương",
            ["khuôn ép nhựa", "khuôn dập"],
            2008,
        )
        assert set(first.model_extra) == {"STT"}, suffix  # the row number stays an extra
        reason = f"year_established: must not be after this year ({date.today().year})"
        assert [str(e) for e in parsed.errors] == [f"{tmp_path / f'suppliers{suffix}'}:6: {reason}"]


def test_headings_never_reach_an_officer_only_field_and_a_field_named_exactly_wins(tmp_path):
    from indexer.ingest import parse_file
    from models.supplier import SupplierIn

    path = tmp_path / "suppliers.csv"
    path.write_text(
        "id,Tên doanh nghiệp,name,Đã xác minh,verified,Tỉnh chuẩn\n"
        "0101234567,Tên khác,Cơ khí Hưng Phát,có,true,Hà Nội\n",
        "utf-8",
    )
    [(_, row)] = parse_file(path, SupplierIn).rows
    assert row.name == "Cơ khí Hưng Phát"
    assert row.model_extra == {
        "Tên doanh nghiệp": "Tên khác",
        "Đã xác minh": "có",
        "verified": "true",
        "Tỉnh chuẩn": "Hà Nội",
    }


def test_a_workbook_opening_on_its_instructions_is_read_from_the_sheet_with_the_header(tmp_path):
    from indexer.ingest import parse_file
    from models.supplier import SupplierIn

    book = Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền mỗi doanh nghiệp một dòng ở trang Danh sách; sản phẩm cách nhau bằng ;"])
    data = book.create_sheet("Danh sách")
    data.append(["Mã số thuế", "Tên doanh nghiệp", "Sản phẩm"])
    data.append(["0101234567", "Cơ khí Hưng Phát", "bu lông; đai ốc"])
    book.save(tmp_path / "suppliers.xlsx")
    parsed = parse_file(tmp_path / "suppliers.xlsx", SupplierIn)
    assert not parsed.errors
    assert [(line, row.id, row.products) for line, row in parsed.rows] == [
        (2, "0101234567", ["bu lông", "đai ốc"])
    ]
