"""Words whose trade the goods' use decides (indexer/senses.py). New examples, written for these
tests (not taken from the issue, the probes or the benchmark sets)."""

import pytest
from test_profile_reading import wanted
from test_reading_heads import weight


@pytest.mark.parametrize(
    ("title", "sense", "alone"),
    [
        ("Nút bấm đồng thau mạ niken cho áo khoác jean", "garment_accessories", "switches_relays"),
        ("Nut bam kim loai cho quan jean nu", "garment_accessories", "switches_relays"),
        ("Khóa kim loại mạ vàng cho túi xách da", "garment_accessories", None),
        ("Bộ khóa cài nhựa POM cho ba lô du lịch", "garment_accessories", None),
        ("Đế cao su lưu hóa dùng cho giày bảo hộ", "shoe_soles", None),
    ],
)
def test_a_head_word_is_read_by_what_the_goods_are_for(title, sense, alone):
    found = wanted(title)
    assert weight(found, sense) >= 0.9 and found[sense]["role"] == "item", found
    assert " for " in found[sense]["inferred"], found[sense]
    if alone:
        assert weight(found, alone) < 0.5, found


@pytest.mark.parametrize(
    ("title", "alone", "not_this"),
    [
        # the same words for a machine or a cabinet keep their own trade
        ("Nút bấm chống nước cho tủ điện, phi 22", "switches_relays", "garment_accessories"),
        ("Khóa cửa tủ điện bằng hợp kim kẽm", "die_casting", "garment_accessories"),
        ("Đế cao su chống rung cho máy nén khí", "rubber_moulding", "shoe_soles"),
    ],
)
def test_the_same_words_used_elsewhere_keep_their_own_trade(title, alone, not_this):
    found = wanted(title)
    assert weight(found, alone) >= 0.5 and weight(found, not_this) < 0.5, found
