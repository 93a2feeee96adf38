"""Normalisation: Unicode NFC, diacritic folding, certification codes, provinces, sectors."""

import json
import unicodedata
from datetime import date

import pytest

from matchmaker.errors import BadInput
from matchmaker.records import certificates, importing
from models.vocabulary.certifications import canonical, find, status_on
from models.vocabulary.provinces import MERGED_INTO, PROVINCES, canonical_province
from models.vocabulary.sectors import canonical_sector
from models.vocabulary.text import fold, nfc, tokens


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Đúc áp lực")
    assert decomposed != "Đúc áp lực"
    assert nfc(decomposed) == "Đúc áp lực"
    assert nfc("  gia   công \n CNC ") == "gia công CNC"


def test_fold_strips_diacritics_and_maps_d_stroke():
    assert fold("Đúc áp lực nhôm") == "duc ap luc nhom"
    assert fold("ĐẾ GIÀY") == "de giay"
    assert fold("다이캐스팅") == "다이캐스팅"  # Hangul survives the NFD round trip


def test_tokens_split_cjk_into_bigrams():
    assert tokens("压铸件") == ["压铸", "铸件"]
    assert tokens("Gia công CNC") == ["gia", "cong", "cnc"]


@pytest.mark.parametrize(
    "raw, code",
    [
        ("ISO9001:2015", "ISO 9001"),
        ("chứng chỉ ISO 9001", "ISO 9001"),
        ("iso 9001", "ISO 9001"),
        ("IATF16949", "IATF 16949"),
        ("IATF 16949:2016", "IATF 16949"),
        ("ISO 14001:2015", "ISO 14001"),
        ("iso13485", "ISO 13485"),
        ("ISO 45001", "ISO 45001"),
        ("RoHS compliant", "RoHS"),
        ("REACH", "REACH"),
        ("Oeko-Tex Standard 100", "OEKO-TEX"),
        ("OEKOTEX", "OEKO-TEX"),
    ],
)
def test_certification_codes_are_canonical(raw, code):
    assert canonical(raw) == code


def test_in_progress_claims_are_not_certificates():
    mentions = {m.standard: m.status for m in find("Đạt ISO 9001:2015, đang triển khai IATF 16949")}
    assert mentions == {"ISO 9001": "claimed", "IATF 16949": "in_progress"}
    assert find("working towards IATF 16949")[0].status == "in_progress"
    assert find("IATF 16949 導入中")[0].status == "in_progress"
    assert find("chưa có ISO 14001") == []


@pytest.mark.parametrize(
    ("text", "statuses"),
    [
        ("ISO 14001 (expired 2024), ISO 9001:2015", {"ISO 14001": "expired", "ISO 9001": "claimed"}),
        (
            "Giấy chứng nhận IATF 16949 đã hết hiệu lực; đạt ISO 9001",
            {"IATF 16949": "expired", "ISO 9001": "claimed"},
        ),
        ("ISO 13485認証は期限切れ", {"ISO 13485": "expired"}),
        # a Japanese comma ends the clause: the plan is ISO 14001's, not ISO 9001's
        ("ISO 9001認証取得済み、ISO 14001取得予定", {"ISO 9001": "claimed", "ISO 14001": "in_progress"}),
    ],
)
def test_a_certificate_the_text_says_has_lapsed_is_read_as_expired(text, statuses):
    assert {m.standard: m.status for m in find(text)} == statuses
    for mention in find(text):
        if mention.status == "expired":
            status, reason = status_on({"standard": mention.standard, "status": "expired"}, date(2026, 12, 7))
            assert status == "expired" and "expired" in reason


def test_certificate_status_on_a_day():
    today = date(2026, 11, 29)
    assert status_on({"standard": "ISO 9001", "valid_until": "2027-01-01"}, today) == ("held", None)
    status, reason = status_on({"standard": "IATF 16949", "valid_until": "2025-06-30"}, today)
    assert status == "expired" and "2025-06-30" in reason
    assert status_on({"standard": "IATF 16949", "status": "in_progress"}, today)[0] == "in_progress"
    assert status_on({"standard": "ISO 9001", "edition": "2008"}, today)[0] == "expired"


@pytest.mark.parametrize(
    "old, new",
    [
        ("Bắc Giang", "Bắc Ninh"),
        ("bac giang", "Bắc Ninh"),
        ("Tỉnh Vĩnh Phúc", "Phú Thọ"),
        ("Binh Duong", "TP Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "TP Hồ Chí Minh"),
        ("Hải Dương", "Hải Phòng"),
        ("Nam Dinh", "Ninh Bình"),
        ("TP.HCM", "TP Hồ Chí Minh"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("Ha Noi", "Hà Nội"),
        ("KCN Quế Võ, Bắc Ninh", "Bắc Ninh"),
        ("Thua Thien Hue", "Huế"),
    ],
)
def test_old_and_unaccented_province_names_map_to_today(old, new):
    assert canonical_province(old) == new


def test_every_one_of_63_old_provinces_maps_into_the_34():
    assert len(PROVINCES) == 34
    absorbed = [old for olds in MERGED_INTO.values() for old in olds]
    # Thừa Thiên Huế was renamed Huế; every other current name existed before 2025 too.
    before_2025 = set(absorbed) | (set(PROVINCES) - {"Huế"})
    assert len(before_2025) == 63
    assert {canonical_province(n) for n in before_2025} == set(PROVINCES)
    assert canonical_province("Atlantis") is None


def test_sectors_map_to_priority_sectors_or_other():
    assert canonical_sector("Ô tô, xe máy") == "automotive"
    assert canonical_sector("電子部品") == "electronics"
    assert canonical_sector("dệt may") == "textile_garment"
    assert canonical_sector("Food processing") == "other"


def test_an_officer_cannot_verify_a_certificate_the_profile_says_has_lapsed(workspace, tmp_path):
    row = {
        "id": "0109990001",
        "name": "Công ty TNHH Đúc Hòa Bình",
        "description": "Đúc áp lực nhôm.",
        "certifications": ["ISO 9001:2015", "IATF 16949 (expired 2024)"],
    }
    path = tmp_path / "lapsed.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with workspace.sessions() as session:
        assert importing.import_file(db_session=session, kind="suppliers", path=path).ok
    lapsed = certificates.standing({"standard": "IATF 16949", "status": "expired"})
    assert lapsed["standing"] == "expired" and not lapsed["counts"]
    with pytest.raises(BadInput, match="IATF 16949 is expired"):
        certificates.verify(workspace, "0109990001", "IATF 16949", by="officer-1")
    assert certificates.verify(workspace, "0109990001", "ISO 9001", by="officer-1")["standing"] == "verified"
