"""A buyer who introduces itself ("We are a … maker", "当社は…メーカーです") names its own
industry, which is use context: the item is what it asks for after. New examples, written for
these tests, in five languages."""

import pytest

from indexer.documents import requirement_document, supplier_document


def payload(title: str) -> dict:
    return requirement_document({"id": "R", "title": title}).payload


def weight(found: dict, cid: str) -> float:
    return found.get(cid, {}).get("weight", 0.0)


@pytest.mark.parametrize(
    ("title", "wanted", "buyer_industry"),
    [
        (
            "We are a Korean e-bike assembler in Hung Yen. We need zinc die-cast brake lever brackets.",
            "die_casting",
            "We are a Korean e-bike assembler in Hung Yen",
        ),
        (
            "Chúng tôi là công ty lắp ráp tủ lạnh tại Bắc Ninh, cần nhà cung cấp gioăng cao su cho cửa tủ",
            "technical_rubber",
            "Chúng tôi là công ty lắp ráp tủ lạnh tại Bắc Ninh",
        ),
        ("弊社は農機メーカーです。ギア用の鍛造ブランクを調達したい。", "forging", "弊社は農機メーカーです"),
        (
            "당사는 전동공구 제조사로, 모터 하우징용 알루미늄 다이캐스팅 부품을 찾고 있습니다.",
            "die_casting",
            "당사는 전동공구 제조사로",
        ),
        ("我司是一家电动车整车厂，现需采购镀锌螺栓和螺母。", "fasteners", "我司是一家电动车整车厂"),
        (
            "We make electric fans and need injection-moulded ABS blades.",
            "plastic_injection",
            "We make electric fans",
        ),
    ],
)
def test_a_buyers_introduction_is_context_and_the_item_follows_it(title, wanted, buyer_industry):
    found = payload(title)
    concepts, reading = found["concepts"], found["reading"]
    assert weight(concepts, wanted) >= 0.9, concepts
    assert any(part.startswith(buyer_industry) for part in reading["context"]), reading
    assert not any(buyer_industry in part for part in reading["item"]), reading
    # The buyer's own industry weighs as context, never as what is asked for.
    for cid, entry in concepts.items():
        if entry["role"] == "context":
            assert entry["weight"] <= 0.15, (cid, entry)


def test_the_buyers_industry_no_longer_outranks_what_it_asks_for():
    """Before, the introduction was the first clause and so the item: a motor maker's request for
    winding wire read as motors."""
    concepts = payload("We are a motor manufacturer in Dong Nai and need enamelled copper wire.")["concepts"]
    assert weight(concepts, "electric_motors") <= 0.15 < weight(concepts, "cables"), concepts


@pytest.mark.parametrize(
    ("title", "goods"),
    [
        ("我们为地铁车辆采购制动闸瓦", "制动闸瓦"),  # 为 is "for" here, and the clause asks
        ("弊社はアルミダイカスト部品を探しています。", "アルミダイカスト部品"),  # it ends with the request
        ("We are looking for zinc die-cast handles.", "zinc die-cast handles"),
        ("Chúng tôi cần tìm nhà cung cấp lò xo nén.", "lò xo nén"),
        ("Zinc die-cast handles for our plant; we are a furniture maker.", "Zinc die-cast handles"),
    ],
)
def test_a_request_that_starts_with_we_is_no_introduction(title, goods):
    assert goods in " ".join(payload(title)["reading"].get("item", [])), payload(title)["reading"]


def test_a_firm_that_says_what_it_makes_is_read_as_offering_it():
    """Only requests are read this way: a profile's "We make …" is its capability."""
    document = supplier_document(
        {
            "id": "S",
            "name": "Phu An Springs",
            "description": "We make compression and torsion springs. Chúng tôi là nhà sản xuất lò xo.",
            "products": [],
        }
    )
    assert weight(document.payload["concepts"], "springs") >= 0.9, document.payload["concepts"]


@pytest.mark.parametrize(
    ("description", "offered", "served"),
    [
        (
            "Cơ sở chuyên dập chi tiết kim loại tấm cho ngành điện tử, xe máy và thiết bị y tế.",
            "stamping",
            ["motorcycles", "medical_devices"],
        ),
        (
            "We mould rubber bellows for the agricultural, marine and household appliance industries.",
            "technical_rubber",
            ["household_appliances"],
        ),
        ("本厂专业生产压缩弹簧，产品应用于汽车、家电和医疗器械行业。", "springs", ["household_appliances"]),
        (
            "我们为摩托车、家电和医疗器械厂商提供冲压件。",
            "stamping",
            ["household_appliances", "medical_devices"],
        ),
    ],
)
def test_the_industries_a_firm_serves_are_context_through_their_whole_list(description, offered, served):
    """Before, only the first industry after "cho ngành" / "for the" was context; the rest of the
    list read as products the firm makes."""
    concepts = supplier_document({"id": "S", "name": "X", "description": description}).payload["concepts"]
    assert weight(concepts, offered) >= 0.9, concepts
    for cid in served:
        assert weight(concepts, cid) <= 0.15, (cid, concepts)


@pytest.mark.parametrize(
    ("title", "wanted"),
    [
        (
            "Dear Sir/Madam, our factory in Long An assembles e-scooters. We need die-cast wheel hubs.",
            "die_casting",
        ),
        (
            "Hello, we're a drone start-up in Da Nang. Looking for injection-moulded PC propeller guards.",
            "plastic_injection",
        ),
        ("Chào chị, bên mình là xưởng may túi xách, cần mua khóa kéo kim loại số 5.", "garment_accessories"),
        (
            "お世話になっております。弊社は照明器具メーカーです。アルミダイカストのヒートシンクを探しています。",
            "die_casting",
        ),
        ("您好！我司是电梯制造商，需要采购冲压件。", "stamping"),
    ],
)
def test_a_greeting_and_then_an_introduction_leave_the_item_to_the_request(title, wanted):
    found = payload(title)
    assert max(found["concepts"], key=lambda c: weight(found["concepts"], c)) == wanted, found["concepts"]
    assert found["reading"]["item"], found["reading"]


def test_a_firm_that_names_itself_a_maker_before_a_colon_still_offers_what_follows():
    """ "Manufacturer:" names a maker only when a name follows ("Manufacturer: Foshan … Co.,
    Ltd"); after "We are a cable manufacturer:" comes what the firm makes."""
    profile = {
        "id": "S",
        "name": "X",
        "description": "We are a cable manufacturer: XLPE insulated power cables.",
    }
    assert weight(supplier_document(profile).payload["concepts"], "cables") >= 0.9
    declared = payload("Bu lông M8 mạ kẽm, Manufacturer: Foshan Jintlang Hardware Co., Ltd")
    assert any("Foshan" in part for part in declared["reading"]["noise"]), declared["reading"]
