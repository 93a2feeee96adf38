"""The lexicon checked against the nomenclature's own names for goods (scripts/vocabulary_gaps.py)."""

import csv
from pathlib import Path

COLUMNS = ["level", "hs_code", "heading", "chapter", "desc_vn", "desc_en", "path_vn", "path_en"]


def _gaps(script, tmp_path: Path, rows: list[dict]) -> list[tuple]:
    with (tmp_path / "hs-nomenclature-2022-vi-en.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in COLUMNS} for row in rows)
    return list(script("vocabulary_gaps").gaps(tmp_path))


def test_a_heading_named_in_words_the_lexicon_lacks_is_a_gap(script, tmp_path):
    rows = [
        {"level": "0", "hs_code": "", "heading": "8466", "chapter": "84", "desc_vn": "Mâm cặp và cán dao"},
        {
            "level": "1",
            "hs_code": "846620",
            "heading": "8466",
            "chapter": "84",
            "desc_vn": "Bộ phận giữ phôi",
        },
        {"level": "0", "hs_code": "", "heading": "7318", "chapter": "73", "desc_vn": "Vít, bu lông, đai ốc"},
        {"level": "0", "hs_code": "", "heading": "0101", "chapter": "01", "desc_vn": "Ngựa, lừa, la sống"},
    ]
    found = _gaps(script, tmp_path, rows)
    assert [(code, name) for code, _, name, _ in found] == [("846620", "Bộ phận giữ phôi")]
    assert found[0][1] == ["jigs_fixtures"]  # what the heading needs, for whoever adds the words
