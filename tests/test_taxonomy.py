"""The capability taxonomy: cross-language matching, look-alikes, vocabulary integrity."""

import tomllib
from importlib import resources

import pytest

from indexer.taxonomy import default_taxonomy
from models.vocabulary.text import nfc


def concepts(text: str) -> set[str]:
    return {hit.concept for hit in default_taxonomy().find(text)}


@pytest.mark.parametrize(
    "text",
    [
        "đúc áp lực nhôm",
        "duc ap luc nhom",
        "aluminium die casting",
        "アルミダイカスト",
        "铝压铸件",
        "알루미늄 다이캐스팅",
    ],
)
def test_die_casting_is_found_in_every_language(text):
    assert "die_casting" in concepts(text)


def test_look_alikes_stay_apart():
    assert concepts("khuôn ép nhựa") == {"plastic_injection_mould"}
    assert concepts("khuôn đúc áp lực") == {"die_casting_die"}
    assert "shoe_soles" in concepts("đế giày cao su") and "machine_bases" not in concepts("đế giày cao su")
    assert "machine_bases" in concepts("đế máy") and "shoe_soles" not in concepts("đế máy")


def test_words_typed_without_diacritics_do_not_match_other_words():
    assert "machine_bases" not in concepts("để may áo sơ mi")  # "in order to sew", not "đế máy"
    assert "garment_sewing" not in concepts("cong ty co khi may cnc")  # "máy" typed plain
    assert "welding" not in concepts("đối tác Hàn Quốc")  # Korea, not welding
    assert "turning" not in concepts("phương tiện giao thông")


def test_old_style_tone_marks_match():
    assert "automation" in concepts("tự động hoá") and "hydraulic_pneumatic" in concepts("thuỷ lực")


def test_hits_keep_the_writers_words():
    hits = default_taxonomy().find("Chuyên ĐÚC ÁP LỰC nhôm")
    assert [h.surface for h in hits if h.concept == "die_casting"] == ["ĐÚC ÁP LỰC"]


def test_vocabulary_is_consistent():
    raw = resources.files("indexer").joinpath("vocabulary/capabilities.toml").read_text("utf-8")
    items = tomllib.loads(raw)["concept"]
    ids = [c["id"] for c in items]
    assert len(ids) == len(set(ids))
    assert all(c.get("parent") in (None, *ids) for c in items)
    owner: dict[str, str] = {}
    for c in items:
        for lang in ("en", "vi", "ko", "ja", "zh"):
            assert c.get(lang), f"{c['id']} has no {lang} terms"
            for term in c[lang]:
                key = nfc(term).lower()
                assert owner.setdefault(key, c["id"]) == c["id"], f"{term!r} in two concepts"


def test_terms_that_fold_alike_are_only_matched_with_diacritics():
    # "tụ điện" (capacitor) and "tủ điện" (switchgear) are both "tu dien" when typed plain.
    assert concepts("tụ điện") == {"passive_components"}
    assert concepts("tủ điện") == {"switchgear"}
    assert concepts("tu dien") == set()
