"""The bundled sample data: what the generator makes, valid, and as varied as promised."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from indexer.ingest import parse_file
from models.requirement import RequirementIn
from models.supplier import SupplierIn
from models.vocabulary.text import has_cjk, has_vietnamese_marks

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "matchmaker" / "sample_data"


def test_generator_reproduces_the_bundled_files(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sample_data.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for relative in (
        "matchmaker/sample_data/suppliers.jsonl",
        "matchmaker/sample_data/requirements.jsonl",
        "benchmarks/data/judgments.jsonl",
        "benchmarks/data/supplier_truth.jsonl",
    ):
        assert (tmp_path / relative).read_bytes() == (ROOT / relative).read_bytes(), relative


def test_sample_data_is_valid_and_varied():
    suppliers = parse_file(SAMPLE / "suppliers.jsonl", SupplierIn)
    requirements = parse_file(SAMPLE / "requirements.jsonl", RequirementIn)
    assert not suppliers.errors and not requirements.errors
    assert len(suppliers.rows) >= 300 and len(requirements.rows) >= 40
    rows = [json.loads(line) for line in (SAMPLE / "suppliers.jsonl").read_text("utf-8").splitlines()]
    sectors = Counter(r["sectors"][0] for r in rows if r["sectors"])
    assert len(sectors) == 8
    ownership = Counter(r["ownership"] for r in rows)
    assert ownership["fdi"] > 10 and ownership["joint_venture"] > 10
    plain = [
        r
        for r in rows
        if r["name"].startswith(("Cong ty", "Cty")) and not has_vietnamese_marks(r["description"])
    ]
    assert len(plain) / len(rows) > 0.15  # Vietnamese typed without diacritics
    titles = [r.title for _, r in requirements.rows]
    assert sum(has_cjk(t) for t in titles) >= 20


def test_firms_are_told_apart_by_their_names_not_by_a_stray_digit():
    names = [
        json.loads(line)["name"] for line in (SAMPLE / "suppliers.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(set(names)) == len(names)
    assert not [n for n in names if n.rstrip()[-1].isdigit()]
