"""Goods made to pack other goods are bought from a packaging maker, not a moulder. New examples,
written for these tests (not taken from the issue, the probes or the benchmark sets)."""

import pytest
from test_profile_reading import wanted
from test_ranking import IDF, VECTOR, scorer
from test_reading_heads import weight

from indexer.documents import requirement_document, supplier_document


@pytest.mark.parametrize(
    "title",
    [
        "Khay nhựa PET có nắp, dùng để đóng gói linh kiện điện tử, 120x80mm",
        "Hop nhua PP dung de dong goi tai nghe, 90x60mm",
        "PET clamshell box for packaging earphones, 90 x 60 mm",
        "Vỏ hộp nhựa trong suốt dùng trong bao gói bánh kẹo",
    ],
)
def test_plastic_goods_for_packing_are_bought_from_a_packaging_maker(title):
    found = wanted(title)
    assert weight(found, "packaging") >= 0.9, found
    assert weight(found, "packaging") > weight(found, "plastic_injection"), found


@pytest.mark.parametrize(
    "title",
    [
        # a part of the machine that packs: the packing is the machine's work, not the goods'
        "Tấm chắn bằng nhựa POM dùng cho máy đóng gói",
        # how the goods are shipped, not what they are for
        "Vỏ hộp công tắc bằng nhựa ABS, đã đóng gói 50 cái/thùng",
        "Nắp nhựa ABS cho hộp điện, đóng gói 200 cái",
        # pressed from sheet, not converted: a steel or aluminium box is a metal shop's
        "Hộp thép mạ kẽm dùng để đóng gói phụ tùng",
        # a household box names no packing
        "Hộp nhựa PP đựng thực phẩm có nắp, 1,5 lít",
    ],
)
def test_packing_said_of_the_machine_the_shipment_or_metal_goods_is_no_packaging(title):
    found = wanted(title)
    assert found.get("packaging", {}).get("inferred") != "goods for packing → packaging", found


def test_a_packaging_converter_comes_before_a_moulder_for_a_packing_box():
    prepared = scorer().prepare(
        requirement_document({"id": "R", "title": "Vỏ hộp nhựa trong dùng để đóng gói tai nghe"}).payload,
        VECTOR,
        IDF,
    )
    converter = {
        "id": "P",
        "name": "Bao bì Minh Khang",
        "description": "Hút định hình khay nhựa, túi PE cho nhà máy điện tử",
        "products": ["khay nhựa định hình", "túi PE"],
        "processes": ["hút định hình"],
    }
    moulder = {
        "id": "M",
        "name": "Nhựa kỹ thuật An Phú",
        "description": "Ép phun nhựa kỹ thuật: vỏ hộp ABS, bánh răng POM",
        "products": ["vỏ hộp nhựa ABS"],
        "processes": ["ép phun"],
    }
    packer, plastics = (
        scorer().score(prepared, supplier_document(s).payload, VECTOR) for s in (converter, moulder)
    )
    # the capability agreement; shared words ("vỏ hộp nhựa") still count in the lexical part
    concept = [m.explanation["components"]["concept"] for m in (packer, plastics)]
    assert concept[0] > concept[1], (packer.explanation, plastics.explanation)
