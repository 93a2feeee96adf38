"""Whom a firm delivers to or names as its customers, a firm's name and how it makes its
goods are no trade: new profiles in five languages, written for these tests."""

import pytest
from test_profile_reading import offered, trade, wanted

from indexer.documents import requirement_document, supplier_document


@pytest.mark.parametrize(
    ("description", "makes", "serves"),
    [
        # whom the goods are delivered to, after the goods or after the verb that makes them
        ("精密ばねを家電メーカーへ納入しています。", "springs", "household_appliances"),
        ("압출 알루미늄 프로파일을 생산하여 태양광 업체에 공급합니다.", "extrusion", "solar_pv"),
        ("主营注塑加工，服务家电及汽车行业客户。", "plastic_injection", "household_appliances"),
        # whom a firm names as its customers, without a colon
        (
            "Chuyên đúc áp lực nhôm, khách hàng chính là các hãng xe máy và điện gia dụng.",
            "die_casting",
            "household_appliances",
        ),
        (
            "Powder coating line; our main clients are electric motor plants.",
            "painting_coating",
            "electric_motors",
        ),
    ],
)
def test_whom_a_profile_delivers_to_is_no_trade(description, makes, serves):
    concepts = offered(description)
    assert makes in trade(concepts) and serves not in trade(concepts), concepts


def test_a_buyer_looking_for_a_partner_names_the_trade_it_wants():
    # "đối tác là …" in a request is the partner sought, not a customer list
    request = wanted("Tìm đối tác là xưởng dập kim loại cho giá đỡ bằng thép")
    assert request["stamping"]["weight"] >= 0.9, request


def test_vietnam_korea_in_a_firms_name_is_no_welding():
    record = {"id": "S", "name": "Công ty TNHH Nhựa Việt Hàn", "description": "Ép phun vỏ nhựa ABS."}
    concepts = supplier_document(record).payload["concepts"]
    assert "welding" not in concepts and "plastic_injection" in trade(concepts), concepts
    assert "welding" in trade(offered("Hàn khung thép và hàn MIG chi tiết máy."))


def test_a_method_after_bang_is_no_material():
    concepts = offered("Sản xuất ống lót cao su bằng phương pháp ép khuôn nóng cho máy nông nghiệp.")
    assert "technical_rubber" in trade(concepts)
    reading = requirement_document({"id": "R", "title": "Cắt tấm inox bằng máy laser fiber"}).payload[
        "reading"
    ]
    assert reading.get("material", []) == [], reading
