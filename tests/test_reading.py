"""Requirement understanding: the thing bought decides, its use and the noise do not;
part + material implies the process; the certificate order is hard. New examples, written
for these tests (not taken from the issue or the benchmark sets)."""

from datetime import date

import numpy as np
import pytest

from indexer.documents import requirement_document, supplier_document
from indexer.process_rules import default_rules
from indexer.reading import read
from indexer.reading_summary import summary
from matchmaker.matching import service as matching
from matchmaker.matching.certificate_order import in_certificate_order
from matchmaker.matching.ranking import Match, Scorer

IDF = (100, {})
VECTOR = np.ones(4, dtype=np.float32) / 2


def concepts(title: str, description: str = "") -> dict[str, dict]:
    return requirement_document({"id": "R", "title": title, "description": description}).payload["concepts"]


def weight(found: dict, cid: str) -> float:
    return found.get(cid, {}).get("weight", 0.0)


def test_a_use_inside_a_material_clause_is_context_not_material():
    """The rubber belongs to the tyres the mould makes, not to the mould."""
    reading = summary(read("Khuôn bằng thép dùng để lưu hóa lốp cao su, kích thước 800x600mm"))
    assert reading["material"] == ["thép"], reading
    assert any("cao su" in part for part in reading["context"]), reading
    found = concepts("Khuôn bằng thép dùng để lưu hóa lốp cao su, kích thước 800x600mm")
    rubber = max(weight(found, "rubber_moulding"), weight(found, "technical_rubber"))
    assert weight(found, "moulds_dies") > rubber, found


@pytest.mark.parametrize(
    "title",
    ["Máy siết bu lông hoạt động bằng khí nén", "Xe nâng tay vận hành bằng tay", "Máy mài chạy bằng pin 18V"],
)
def test_what_a_tool_runs_on_is_not_its_material(title):
    assert not summary(read(title)).get("material"), summary(read(title))


# ── 1. the thing bought vs what it is for ──────────────────────────────────────────────
@pytest.mark.parametrize(
    ("title", "item", "context"),
    [
        ("Rubber gaskets for water pumps", "technical_rubber", "pumps"),
        ("Gioăng cao su dùng cho máy bơm nước", "technical_rubber", "pumps"),
        ("ポンプ用のゴムパッキン", "technical_rubber", "pumps"),
        ("펌프용 고무 패킹", "technical_rubber", "pumps"),
        ("用于水泵的橡胶密封件", "technical_rubber", "pumps"),
        ("Zinc plating of steel bolts", "plating", "fasteners"),
        # Head-final possessives: what a finishing process or a part belongs to comes first.
        ("シャフトの高周波焼入れ", "heat_treatment", "shafts"),
        ("齿轮和轴承的热处理外协", "heat_treatment", "bearings"),
        ("电动机的漆包线，线径0.5mm", "cables", "electric_motors"),
        ("汽车座椅的冲压件", "stamping", "vehicle_interior"),
        # What a part holds or fixes: Vietnamese after it, the others in a clause before it.
        ("Giá đỡ inox giữ bình gas", "stamping", "tanks_vessels"),
        ("ホースを固定する樹脂クリップ", "plastic_injection", "pipes_fittings"),
        ("固定软管的塑料卡扣", "plastic_injection", "pipes_fittings"),
    ],
)
def test_the_item_outweighs_its_use_context(title, item, context):
    found = concepts(title)
    assert weight(found, item) > 0.4, found
    assert weight(found, context) < 0.2, found
    assert weight(found, item) > 3 * weight(found, context)


def test_whom_a_supplier_serves_is_not_what_it_makes():
    payload = supplier_document(
        {
            "id": "S",
            "name": "Công ty TNHH Lò xo Tân Tiến",
            "description": "Sản xuất lò xo nén cho các hãng lắp ráp xe máy. Khách hàng: Honda, Yamaha.",
        }
    ).payload
    scorer = Scorer(similarity_range=(0.0, 1.0), today=date(2026, 12, 1))
    wanted = requirement_document({"id": "R", "title": "Linh kiện xe máy"}).payload
    match = scorer.score(scorer.prepare(wanted, VECTOR, IDF), payload, VECTOR)
    assert not any(c["concept"] == "vehicle_parts" for c in match.explanation["matched_capabilities"])
    assert payload["concepts"]["springs"]["weight"] >= 0.9


# ── 2. material + form → process ───────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("title", "process"),
    [
        ("Vỏ hộp nhựa PC 120x80x40 mm", "plastic_injection"),
        ("Polycarbonate cover 150×90 mm", "plastic_injection"),
        ("Bản lề hợp kim kẽm cho tủ điện", "die_casting"),
        ("Kẹp thép dày 1,2 mm, kích thước 30x20 mm", "stamping"),
        ("Stainless steel brackets 2 mm", "stamping"),
        ("Ống lót inox 304 phi 8 dài 40 mm", "turning"),  # a bushing (a pin is a fastener)
        ("Khung đỡ máy lạnh bằng thép hộp 40x40, sơn tĩnh điện", "steel_structures"),  # welded
        ("Stainless steel handrail posts, 1.2 m", "steel_structures"),
        ("Khay inox 304 đựng dụng cụ y tế, 30x20x5 cm", "stamping"),  # drawn from sheet
        ("Aluminium baking trays 600x400 mm", "stamping"),
        ("Khay đựng ốc vít 12 ngăn bằng nhựa PP", "plastic_injection"),
    ],
)
def test_part_and_material_imply_the_process(title, process):
    found = concepts(title)
    assert weight(found, process) >= 0.8, found
    assert "→" in found[process]["inferred"]


def test_the_reading_is_shown_in_the_explanation():
    wanted = requirement_document(
        {
            "id": "R",
            "title": "Vỏ hộp nhựa ABS dùng cho bộ điều khiển, NSX: Ningbo Electric Co., Ltd, mới 100%",
        }
    ).payload
    supplier = supplier_document(
        {"id": "S", "name": "Nhựa Hòa Bình", "processes": ["ép phun nhựa"], "products": ["vỏ nhựa"]}
    ).payload
    scorer = Scorer(similarity_range=(0.0, 1.0), today=date(2026, 12, 1))
    match = scorer.score(scorer.prepare(wanted, VECTOR, IDF), supplier, VECTOR)
    reading = match.explanation["requirement_reading"]
    assert reading["item"] == ["Vỏ hộp nhựa ABS"]
    assert reading["context"] == ["bộ điều khiển"]
    assert any("plastic injection" in why for why in reading["inferred"])
    assert match.explanation["summary"].startswith("asked for: Vỏ hộp nhựa ABS")


# ── 4. noise in real declarations ──────────────────────────────────────────────────────
def test_manufacturer_brand_model_and_condition_decide_nothing():
    text = (
        "Bánh xe đẩy bằng nhựa PU, model: TR-550B, hiệu STAR, NSX: Foshan Textile Machinery Co., Ltd, "
        "KT: 125x32 mm, không hiệu, hàng mới 100%"
    )
    found = concepts(text)
    assert "fabric" not in found and "industrial_machinery" not in found, found
    noise = summary(read(text))["noise"]
    assert any("Foshan" in part for part in noise)
    assert any("100" in part for part in noise)
    assert summary(read(text))["item"] == ["Bánh xe đẩy"]


# ── 3. look-alikes ─────────────────────────────────────────────────────────────────────
def test_moulds_for_die_casting_are_moulds_not_die_casting():
    found = concepts("Khuôn thép dùng để đúc áp lực vỏ nhôm")
    assert weight(found, "moulds_dies") >= 0.5
    assert weight(found, "die_casting") < 0.2


# ── 5. the hard certificate order ──────────────────────────────────────────────────────
def _match(sid: str, score: float, capability: float, certified: bool) -> Match:
    return Match("R", sid, score, {"summary": ""}, capability=capability, certified=certified)


def test_capable_holders_come_before_any_capable_supplier_lacking_a_certificate():
    ordered = in_certificate_order(
        [
            _match("strong-uncertified", 0.9, 1.0, False),
            _match("weaker-certified", 0.4, 0.6, True),
            _match("certified-but-cannot-make", 0.2, 0.05, True),
        ]
    )
    assert [m.supplier_id for m in ordered] == [
        "weaker-certified",
        "strong-uncertified",
        "certified-but-cannot-make",
    ]
    assert ordered[1].order == "after certified makers"


def test_match_lists_certified_makers_first(loaded):
    for requirement_id in ("R-DC-JA", "R-DC-EN"):
        matches = matching.match_requirement(loaded, requirement_id, top=10)
        seen_after = False
        for m in matches:
            first = m.explanation["certificate_order"] == "certified maker"
            assert not (first and seen_after), [
                (x.supplier_id, x.explanation["certificate_order"]) for x in matches
            ]
            seen_after = seen_after or not first
            if m.explanation["certifications"]["missing"]:
                assert m.explanation["certificate_order"] != "certified maker"


def test_a_die_makers_shots_are_not_die_casting():
    """A die maker writes "tuổi thọ khuôn 80.000 lần đúc" (its dies last 80,000 shots): the
    general word "đúc" must not make it a die caster for a die-casting request."""
    die_maker = supplier_document(
        {
            "id": "S",
            "name": "Khuôn mẫu Tân Phong",
            "products": ["die-casting moulds for aluminium parts"],
            "description": "Chế tạo khuôn đúc áp lực; tuổi thọ khuôn trên 80.000 lần đúc.",
        }
    ).payload
    scorer = Scorer(similarity_range=(0.0, 1.0), today=date(2026, 12, 1))
    wanted = requirement_document({"id": "R", "title": "Aluminium die casting parts"}).payload
    match = scorer.score(scorer.prepare(wanted, VECTOR, IDF), die_maker, VECTOR)
    assert "die_casting" not in {c["concept"] for c in match.explanation["matched_capabilities"]}


# ── the head of a Vietnamese goods name, and a second reader ───────────────────────────
@pytest.mark.parametrize(
    ("title", "head", "modifier"),
    [
        ("Khay đựng ốc vít bằng nhựa ABS, 8 ngăn", "plastic_injection", "fasteners"),
        ("Hộp đựng bu lông bằng nhựa PP", "plastic_injection", "fasteners"),
    ],
)
def test_what_a_vietnamese_goods_name_holds_is_not_what_it_is(title, head, modifier):
    found = concepts(title)
    assert weight(found, head) >= 0.8, found
    assert weight(found, modifier) < 0.3, found


def test_a_process_read_from_form_and_material_survives_the_classifier():
    """ "Vỏ bơm nước bằng gang": a pump housing in cast iron is a foundry's job, whatever the
    goods label (pump parts) says."""
    found = concepts("Vỏ bơm nước bằng gang xám, KT 300x250 mm")
    assert weight(found, "sand_casting") >= 0.8, found


def test_a_container_or_its_closure_is_drawn_or_blown_not_cast():
    """ "Nắp" alone is a housing (an aluminium one is die cast); "nắp vặn", a screw cap, is a
    container's closure, stamped from sheet: the longer form word decides."""
    assert default_rules().forms_in("Nắp vặn nhôm phi 38") == ["container"]
    assert default_rules().forms_in("Vỏ nhựa ABS cỡ trung bình") == ["housing"]  # "bình" alone is no bottle
    cap = concepts("Nắp vặn bằng nhôm phi 38mm cho chai dầu ăn, có lớp đệm, NSX: Foshan Closures Co., Ltd")
    assert weight(cap, "stamping") >= 0.8 > weight(cap, "die_casting"), cap
    assert weight(cap, "packaging") >= 0.5, cap
    bottle = concepts("Chai nhựa PET 500ml trong suốt, cổ 28mm")
    assert weight(bottle, "blow_moulding") > weight(bottle, "plastic_injection"), bottle


def test_a_push_button_is_a_switch_not_a_moulded_knob():
    """ "Nút" in plastic (a knob, a plug) is moulded; "nút bấm" is a switch, whatever its cap is."""
    assert default_rules().forms_in("Nút bấm dừng khẩn cấp") == ["switch"]
    button = concepts("Nút bấm dừng khẩn cấp phi 22 bằng nhựa, 1NO+1NC, 10A")
    assert weight(button, "switches_relays") > weight(button, "plastic_injection"), button


def test_what_the_goods_come_without_is_not_asked_for():
    fan = concepts("Quạt thông gió công nghiệp 400mm, không kèm bộ điều khiển tốc độ, cánh nhôm")
    assert weight(fan, "controllers") == 0.0, fan
    shell = concepts("Vỏ máy tính bảng (không gồm: màn hình, pin, bo mạch), hợp kim nhôm, 10 inch")
    assert weight(shell, "displays") == weight(shell, "batteries") == 0.0, shell
    # "không gỉ" (stainless) is a material, not an absence
    assert weight(concepts("Tấm thép không gỉ 304 dày 2mm"), "stainless_steel") >= 0.5


def test_how_the_goods_are_not_made_is_not_asked_for():
    elbow = concepts("Co nối 90 độ bằng thép, không hàn giáp mối, không mạ kẽm, phi 27")
    assert weight(elbow, "welding") == weight(elbow, "plating") == 0.0, elbow
    hoist = concepts("Pa lăng xích kéo tay 2 tấn, không dùng điện, không tự động")
    assert weight(hoist, "automation") < 0.1, hoist
    assert weight(concepts("Vải không dệt PP 30gsm, không tráng phủ"), "fabric") >= 0.5


def test_a_syringe_is_a_medical_device_not_a_pump():
    syringe = concepts("Bơm tiêm nhựa 10ml vô trùng, dùng một lần")
    assert weight(syringe, "medical_devices") > weight(syringe, "pumps"), syringe


def test_a_use_in_the_category_label_ends_with_the_label():
    """ "Phụ tùng dùng cho máy xúc: Răng gầu …": what follows the colon is the item, not more of
    the excavator's context."""
    reading = requirement_document(
        {
            "id": "R",
            "title": "Phụ tùng dùng cho máy xúc bánh lốp cỡ nhỏ 5 tấn: Răng gầu bằng thép đúc, mới 100%",
        }
    ).payload["reading"]
    assert reading["item"] == ["Răng gầu"], reading
    assert reading["context"] == ["máy xúc bánh lốp cỡ nhỏ 5 tấn"], reading


def test_the_product_a_supplier_makes_for_is_not_its_trade():
    """ "Khuôn dàn nóng điều hòa": a mould maker whose customers make air-conditioner outdoor
    units makes moulds; the heat exchanger only qualifies the mould."""
    found = supplier_document(
        {"id": "S", "name": "Cơ khí Phú An", "products": ["Khuôn dàn nóng điều hòa", "Khuôn ép nhựa"]}
    ).payload["concepts"]
    assert weight(found, "plastic_injection_mould") > weight(found, "heat_exchange"), found
    assert weight(found, "heat_exchange") <= 0.5, found
    # a description is a sentence, not a goods name: its first word is no head
    told = supplier_document(
        {"id": "S", "name": "Cơ khí Lò xo Phú An", "description": "Chuyên sản xuất lò xo nén, lò xo kéo."}
    ).payload["concepts"]
    assert weight(told, "springs") >= 0.9, told


def test_the_classifier_reads_a_word_of_two_meanings():
    """ "Khớp nối" is a shaft coupling in the lexicon; a threaded brass coupling for water pipes
    is a pipe fitting, which the classifier trained on real declarations knows."""
    found = concepts("Khớp nối ren trong bằng đồng cho ống nước phi 21, NSX: Zhejiang Valve Co., Ltd")
    assert weight(found, "pipes_fittings") > 2 * weight(found, "power_transmission"), found


def test_a_leading_make_or_supply_verb_is_not_the_item():
    reading = requirement_document({"id": "R", "title": "Chế tạo giá đỡ động cơ bằng thép hàn"}).payload[
        "reading"
    ]
    assert reading["item"] == ["giá đỡ động cơ"]


def test_products_the_lexicon_does_not_know_are_read_by_the_classifier():
    payload = supplier_document(
        {
            "id": "S",
            "name": "Cơ khí nội thất Thành Công",
            "description": "Sơn tĩnh điện phụ kiện nội thất.",
            "products": ["Tay nắm cửa tủ", "Bản lề cửa"],
        }
    ).payload
    assert "painting_coating" in payload["concepts"]
    assert payload["concepts"]["stamping"]["inferred"].startswith("classifier")


# ── who can make it when nobody names it, and whose trade it is ─────────────────────────
def _scored(title: str, *profiles: dict) -> list:
    scorer = Scorer(similarity_range=(0.0, 1.0), today=date(2026, 12, 1))
    prepared = scorer.prepare(requirement_document({"id": "R", "title": title}).payload, VECTOR, IDF)
    return [scorer.score(prepared, supplier_document(p).payload, VECTOR) for p in profiles]


def test_a_foundry_is_the_nearest_maker_of_a_pump_nobody_offers():
    foundry, moulder = _scored(
        "Bơm nước ly tâm trục đứng 2,2 kW",
        {"id": "A", "name": "Đúc Hưng Thịnh", "processes": ["đúc gang xám", "đúc khuôn cát"]},
        {"id": "B", "name": "Nhựa An Bình", "processes": ["ép phun nhựa"], "products": ["chi tiết nhựa"]},
    )
    assert foundry.explanation["components"]["concept"] > 0.2
    assert moulder.explanation["components"]["concept"] < 0.05
    made_by = [c for c in foundry.explanation["matched_capabilities"] if c["concept"] == "pumps"]
    assert made_by and made_by[0]["match"] == "made_by"
    # Part credit is not "can make": the certificate order only counts makers that say so.
    assert foundry.capability < 0.5


def test_of_two_firms_that_both_cover_a_request_the_one_whose_trade_it_is_comes_first():
    specialist, generalist = _scored(
        "Lò xo nén bằng thép 65Mn",
        {"id": "C", "name": "Lò xo Việt", "products": ["lò xo nén", "lò xo kéo"]},
        {
            "id": "D",
            "name": "Cơ khí Tổng hợp",
            "products": ["lò xo", "bu lông", "bánh răng", "kết cấu thép"],
            "processes": ["hàn", "dập"],
        },
    )
    assert specialist.explanation["components"]["concept"] > generalist.explanation["components"]["concept"]


def test_finishing_beside_the_main_process_costs_a_maker_nothing():
    with_finishing, without = _scored(
        "Aluminium die casting parts",
        {"id": "E", "name": "Đúc nhôm Hòa Phát", "processes": ["đúc áp lực nhôm", "gia công CNC", "anodize"]},
        {"id": "F", "name": "Đúc nhôm Tân Á", "processes": ["đúc áp lực nhôm"]},
    )
    assert with_finishing.explanation["components"]["concept"] == without.explanation["components"]["concept"]
    # …and printing on its parts is finishing too: a moulder that pad-prints them is no less one.
    printing, plain = _scored(
        "Chi tiết nhựa ABS ép phun, 120x80mm",
        {"id": "H", "name": "Nhựa Hưng Thịnh", "processes": ["ép phun nhựa", "in pad, in lụa lên chi tiết"]},
        {"id": "I", "name": "Nhựa Minh Long", "processes": ["ép phun nhựa"]},
    )
    assert printing.explanation["components"]["concept"] == plain.explanation["components"]["concept"]


def test_noise_gives_no_lexical_credit_and_is_not_embedded():
    doc = requirement_document(
        {"id": "R", "title": "Bạc lót trục bằng đồng, NSX: Ningbo Huayang Bearing Co., Ltd, hàng mới 100%"}
    )
    assert "ningbo" not in doc.payload["tokens"].split() and "huayang" not in doc.payload["tokens"].split()
    assert "Ningbo" not in doc.embed_text and "100" not in doc.embed_text
    assert doc.payload["token_weights"]["bac"] == 1.0


def test_a_die_maker_is_not_told_to_claim_die_casting():
    from matchmaker.records.profiles import opportunity_gap

    (match,) = _scored(
        "Aluminium die casting parts for gearbox housings",
        {
            "id": "G",
            "name": "Khuôn mẫu Tân Phong",
            "products": ["khuôn đúc áp lực"],
            "description": "Chế tạo khuôn đúc áp lực; tuổi thọ khuôn trên 80.000 lần đúc.",
        },
    )
    unmatched = {c["concept"]: c for c in match.explanation["unmatched_capabilities"]}
    assert unmatched["die_casting"].get("lookalike")
    assert "Đúc áp lực" not in opportunity_gap(match.explanation)["capabilities"]
