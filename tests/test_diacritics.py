"""Requests typed without diacritics are read with them restored (indexer/diacritics.py)."""

from __future__ import annotations

import pytest

from benchmarks.ranking import typed_plain
from indexer.diacritics import Restorer, as_marked, count, default_restorer
from indexer.documents import requirement_document
from matchmaker.matching import service as matching


def test_a_plain_syllable_is_read_by_its_neighbours():
    """The same plain syllable takes the form its neighbours make likely: "nhom" after "bang" is
    aluminium, before "hang" a group; "bang" before "tai" is a belt."""
    singles, pairs = count(["vỏ bằng nhôm"] * 3 + ["nhóm hàng này"] * 5 + ["băng tải cao su"] * 2)
    restorer = Restorer(singles, pairs)
    assert restorer.restore("vo bang nhom") == "vỏ bằng nhôm"
    assert restorer.restore("nhom hang nay") == "nhóm hàng này"
    assert restorer.restore("bang tai cao su") == "băng tải cao su"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Vo hop so bang nhom cho xe may", "Vỏ hộp số bằng nhôm cho xe máy"),
        ("Dong co dung de quay bang tai", "Động cơ dùng để quay băng tải"),
        ("Truc thep phi 32 dai 200mm", "Trục thép phi 32 dài 200mm"),  # a diameter, not "phí" (a fee)
        ("Thiet bi nhan bluetooth kem 1 jack", "Thiết bị nhận bluetooth kèm 1 jack"),
        ("Vo tu dien bang thep son tinh dien", "Vỏ tủ điện bằng thép sơn tĩnh điện"),
    ],
)
def test_plain_requests_are_read_with_their_diacritics(typed, read):
    assert as_marked(typed) == read


@pytest.mark.parametrize(
    "text",
    [
        "Aluminium die casting parts for motorcycle gearboxes",  # English
        "Pins to the PCB",  # English words that spell plain Vietnamese syllables ("tô", "thể")
        "Long shafts, can be hardened",
        "Vỏ hộp số bằng nhôm cho xe máy",  # already marked
        "SUS304 M6x20 DIN912",  # codes only
        "",
    ],
)
def test_other_text_is_left_as_typed(text):
    assert as_marked(text) == text


def test_codes_names_and_case_survive_restoring():
    restored = as_marked("KHAY NHOM model HX-200, NSX: Ningbo Co.,Ltd, hang moi 100%")
    assert restored.startswith("KHAY NHÔM model HX-200")
    assert "Ningbo Co.,Ltd" in restored  # a foreign firm's legal form, not "Có"
    assert "hàng mới 100%" in restored


TRAY = "Khay nhôm dùng để đựng bánh, kích thước 40x60cm"


def test_a_plain_request_is_read_as_the_marked_one():
    marked = requirement_document({"id": "a", "title": TRAY})
    plain = requirement_document({"id": "b", "title": typed_plain(TRAY)})
    assert plain.payload["reading"]["item"] == marked.payload["reading"]["item"] == ["Khay nhôm"]
    assert set(plain.payload["concepts"]) == set(marked.payload["concepts"])
    assert plain.payload["language"] == "vi"
    # The explanation says the text was read with diacritics restored; the record keeps what was typed.
    assert plain.payload["reading"]["diacritics_restored"] == [TRAY]
    assert plain.payload["title"] == typed_plain(TRAY)
    assert "diacritics_restored" not in marked.payload["reading"]


def test_restoring_counts_change_the_document_schema():
    from indexer.documents import document_schema

    assert default_restorer().fingerprint and document_schema().endswith(default_restorer().fingerprint)


@pytest.mark.parametrize("query", ["Trục thép phi 32 cho máy bơm", "Tấm nhôm đúc cho đế máy"])
def test_searching_typed_plain_finds_what_searching_marked_finds(loaded, query):
    """Unrestored, both plain queries put another firm first (a machine-base maker for the shaft,
    a different die caster for the aluminium plate)."""
    marked = [m.supplier_id for m in matching.search(loaded, query, top=3)]
    plain = [m.supplier_id for m in matching.search(loaded, typed_plain(query), top=3)]
    assert plain == marked


def test_the_explanation_says_the_text_was_read_restored(loaded):
    from web.i18n import match_sentence

    match = matching.search(loaded, "Truc thep phi 32 cho may bom", top=1)[0]
    reading = match.explanation["requirement_reading"]
    assert reading["item"] == ["Trục thép phi 32"] and reading["diacritics_restored"]
    assert "typed without diacritics, read with them restored" in match.explanation["summary"]
    assert "gõ không dấu, đã đọc lại có dấu" in match_sentence(match.explanation, "vi")
    marked = matching.search(loaded, "Trục thép phi 32 cho máy bơm", top=1)[0]
    assert "diacritics" not in marked.explanation["summary"]


def test_a_description_typed_plain_is_restored_and_said_so():
    found = requirement_document(
        {
            "id": "c",
            "title": "Khay nhôm",
            "description": "Khay nhom dung de dung banh, giao hang hang thang",
        }
    ).payload
    assert found["reading"]["diacritics_restored"] == ["Khay nhôm dùng để đựng bánh, giao hàng hàng tháng"]
