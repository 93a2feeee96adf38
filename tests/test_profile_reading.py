"""What a firm's profile says it makes, and what it only has, uses or is given: equipment ("máy
CNC 5 trục", "máy đo CMM"), inputs (the materials field), its customers' moulds and the
industries it serves are no trade. New examples, written for these tests."""

import pytest

from indexer.documents import requirement_document, supplier_document
from indexer.taxonomy import default_taxonomy
from matchmaker.matching.concepts import ConceptMatcher
from matchmaker.matching.explanations import capability_phrases, summarise


def offered(description: str = "", products=(), processes=(), materials=()) -> dict:
    record = {
        "id": "S",
        "name": "X",
        "description": description,
        "products": list(products),
        "processes": list(processes),
        "materials": list(materials),
    }
    return supplier_document(record).payload["concepts"]


def trade(concepts: dict) -> set[str]:
    """What the firm offers as its trade (no inputs, no context)."""
    return {c for c, e in concepts.items() if e["weight"] >= 0.3 and not e.get("input")}


def wanted(title: str) -> dict:
    return requirement_document({"id": "R", "title": title}).payload["concepts"]


@pytest.mark.parametrize(
    "description",
    [
        "Nhận ép nhựa ABS, PP theo khuôn của khách hàng, 30 máy ép từ 80 đến 350 tấn.",
        "Injection moulding of PC and POM parts with customer-supplied moulds.",
        "来模加工，专业注塑 ABS 外壳。",
        "お客様支給の金型で射出成形を行います。",
        "고객 제공 금형으로 사출 성형을 합니다.",
    ],
)
def test_moulding_with_the_customers_moulds_makes_no_mould_maker(description):
    concepts = trade(offered(description))
    assert "plastic_injection" in concepts
    assert not concepts & {"moulds_dies", "plastic_injection_mould"}, concepts


def test_a_mould_makers_own_moulds_still_count():
    concepts = trade(offered("Thiết kế và chế tạo khuôn ép nhựa; khuôn do chúng tôi tự gia công."))
    assert "plastic_injection_mould" in concepts


def test_a_buyer_that_brings_its_own_mould_asks_only_for_the_moulding():
    concepts = wanted("Cần xưởng ép vỏ quạt bằng nhựa PP, khuôn do bên mua cung cấp")
    assert concepts["plastic_injection"]["weight"] >= 0.9
    assert "plastic_injection_mould" not in concepts and "moulds_dies" not in concepts
    concepts = wanted("Machining of brass valve bodies (forgings supplied by us)")
    assert concepts.get("forging", {}).get("weight", 0.0) < 0.2, concepts


@pytest.mark.parametrize(
    ("title", "process"),
    [
        ("프레스 가공 부품 양산, 금형은 당사 제공", "stamping"),
        ("需要铝压铸件，模具由我方提供", "die_casting"),
        ("射出成形品の量産、金型はこちらから支給", "plastic_injection"),
    ],
)
def test_a_cjk_buyer_that_brings_its_own_mould_asks_only_for_the_making(title, process):
    concepts = wanted(title)
    assert concepts[process]["weight"] >= 0.9, concepts
    assert "moulds_dies" not in concepts and "stamping_die" not in concepts, concepts


@pytest.mark.parametrize(
    ("description", "processes", "not_offered", "offered_instead"),
    [
        ("Xưởng tiện phay với 12 máy CNC 4 trục và 5 trục.", [], "shafts", "cnc_machining"),
        ("Gia công cơ khí chính xác, có máy đo CMM và phòng đo kiểm.", [], "measuring_instruments", None),
        ("Torsion and compression springs.", ["CNC spring coiling"], "cnc_machining", "springs"),
        ("Lò xo lá và lò xo côn cho xe tải.", ["quấn lò xo CNC"], "cnc_machining", "springs"),
        ("Lắp ráp bo mạch điều khiển cho điều hòa.", ["hàn sóng", "hàn nhúng"], "welding", "pcb_assembly"),
        ("Automotive wiring harnesses.", ["wire cutting and crimping"], "edm", "connectors_wiring"),
        ("Open-end spinning mill with 24,000 spindles, cotton yarn.", [], "shafts", "yarn"),
        ("Khuôn ép nhựa có hệ thống kênh dẫn nóng.", [], "heat_exchange", "plastic_injection_mould"),
        ("Steel fabrication.", ["CNC plasma cutting", "CNC press brake"], "cnc_machining", "laser_cutting"),
    ],
)
def test_equipment_and_modifiers_are_no_trade(description, processes, not_offered, offered_instead):
    concepts = trade(offered(description, processes=processes))
    assert not_offered not in concepts, concepts
    if offered_instead:
        assert offered_instead in concepts, concepts


@pytest.mark.parametrize(
    ("description", "head", "qualifier"),
    [
        (
            "Garment trims: zippers, snap buttons and webbing for sportswear brands.",
            "garment_accessories",
            "garment_sewing",
        ),
        ("We build welding fixtures and inspection gauges for body shops.", "jigs_fixtures", "welding"),
        ("专业设计制造焊接夹具和检具。", "jigs_fixtures", "welding"),
    ],
)
def test_a_process_before_a_product_in_a_profile_names_whose_goods_they_are(description, head, qualifier):
    concepts = offered(description)
    assert concepts[head]["weight"] > concepts.get(qualifier, {"weight": 0.0})["weight"], concepts


@pytest.mark.parametrize(
    ("description", "process"),
    [
        ("We make forged flanges for the oil and gas industry.", "forging"),
        ("Stamped brackets and deep-drawn cups in SPCC.", "stamping"),
        ("专业生产压铸壳体。", "die_casting"),
        # an English participle says how goods of any kind are made
        ("We supply stamped metal parts and turned pins.", "stamping"),
    ],
)
def test_a_process_that_makes_the_product_after_it_is_the_firms_trade(description, process):
    concepts = offered(description)
    assert concepts[process]["weight"] >= 0.9 and not concepts[process].get("modifier"), concepts


@pytest.mark.parametrize(
    ("description", "process"),
    [
        (
            "The plant runs 35 injection machines from 90 to 650 t for appliance housings.",
            "plastic_injection",
        ),
        ("プレス機25台（60〜300トン）を保有し、自動車部品を量産", "stamping"),
    ],
)
def test_a_firms_machines_say_its_process(description, process):
    concepts = trade(offered(description))
    assert process in concepts, concepts


def test_the_materials_a_firm_works_with_are_inputs_not_its_trade():
    winder = offered("Quấn biến áp nguồn, cuộn cảm.", products=["biến áp xung"], materials=["dây đồng emay"])
    assert "cables" in winder and winder["cables"]["input"]
    assert "cables" not in trade(winder)
    matcher = ConceptMatcher(default_taxonomy(), 0.3, 0.5, 0.7)
    cable_request = wanted("Cáp điện lực ruột đồng 3x25mm2")
    plan = matcher.plan(cable_request)
    assert matcher.agreement_and_core(plan, winder)[0] == 0.0

    # …yet an input answers a request's material: trousers of cotton fabric from a sewing firm
    # that works with it, before one that does not.
    sewer = offered("May gia công quần áo xuất khẩu.", products=["quần âu"], materials=["vải cotton"])
    other = offered("May gia công quần áo xuất khẩu.", products=["quần âu"])
    trousers = wanted("Quần âu nam bằng vải cotton, size 30-36")
    plan = matcher.plan(trousers)
    assert matcher.agreement_and_core(plan, sewer)[0] > matcher.agreement_and_core(plan, other)[0]
    # …and the explanation says so: it works with the fabric, it makes the trousers.
    _, matched, _ = matcher.agreement(trousers, sewer)
    by_concept = {m["concept"]: m for m in matched}
    assert by_concept["fabric"].get("input") and not by_concept["garments"].get("input")
    line = summarise(
        {
            "matched_capabilities": matched,
            "certifications": {"held": [], "missing": []},
            "province": {},
            "sector": {},
            "trader": False,
            "ownership": "domestic",
        }
    )
    assert "makes Garment" in line and "works with Fabric" in line, line


@pytest.mark.parametrize(
    ("phrase", "node"),
    [
        ("anti-static bags", "packaging"),
        ("pcb assemblies", "pcb_assembly"),
        ("cột điện thép mạ kẽm", "steel_structures"),
        ("chi tiết uốn dây", "springs"),
        ("da thành phẩm", "leather"),
        ("vít tự khoan", "fasteners"),
        ("bulong neo móng", "fasteners"),
        ("in ống đồng màng ghép", "printing_labels"),  # gravure, no copper pipe
        ("bồn nước inox 1.500 lít", "tanks_vessels"),
    ],
)
def test_phrases_firms_write_about_their_products(phrase, node):
    assert node in trade(offered(products=[phrase])), offered(products=[phrase])


@pytest.mark.parametrize(
    ("description", "node", "not_this"),
    [
        # injection moulding of rubber or silicone is a rubber moulder's, not a plastics shop's
        ("Ép phun cao su và ép nén cao su EPDM, NBR cho ô tô", "rubber_moulding", "plastic_injection"),
        ("LSR and silicone injection moulding", "rubber_moulding", "plastic_injection"),
        ("Compression and injection moulding of EPDM and NBR seals", "rubber_moulding", "plastic_injection"),
        ("고무 부품 제조: 오링, 가스켓. 사출 및 압축 성형", "rubber_moulding", "plastic_injection"),
        # a foundry's resin-bonded sand is no plastic
        ("Đúc gang cầu bằng khuôn cát nhựa furan, 5-500 kg", "sand_casting", "plastics_resin"),
        # a worm and its wheel are a gear pair, no shaft and no screw
        ("Gia công trục vít - bánh vít theo mẫu", "gears", "fasteners"),
    ],
)
def test_how_firms_name_rubber_moulding_resin_sand_and_worm_gears(description, node, not_this):
    concepts = offered(description)
    assert node in trade(concepts) and not_this not in trade(concepts), concepts


def test_a_plastics_shop_that_also_works_rubber_is_still_a_plastics_shop():
    concepts = offered("Ép phun nhựa kỹ thuật, vỏ hộp ABS", materials=["cao su", "nhựa PP"])
    assert "plastic_injection" in trade(concepts) and "rubber_moulding" not in trade(concepts), concepts
    concepts = offered("Injection moulding of PP and ABS parts; rubber feet bought in")
    assert "plastic_injection" in trade(concepts), concepts


def test_the_industries_a_profile_serves_are_no_products_but_a_requests_spec_stays():
    harness = offered("Sản xuất bó dây điện cho xe tải, máy phát điện và thiết bị điện gia dụng.")
    assert "connectors_wiring" in trade(harness)
    assert "household_appliances" not in trade(harness), harness
    bolts = wanted("Bu lông cho máy giặt, mạ kẽm nhúng nóng")
    assert bolts["fasteners"]["weight"] >= 0.9 and bolts["plating"]["role"] != "context", bolts
    # …in Chinese too: "服务于" (serving), "面向" (aimed at) the chip and car industries
    turner = offered("精密零件加工：CNC车铣复合、磨削；服务于半导体与医疗行业")
    assert "cnc_machining" in trade(turner) and "semiconductors" not in trade(turner), turner
    castings = wanted("面向汽车行业的铝压铸件")
    assert castings["die_casting"]["role"] == "item" and "vehicle_parts" not in trade(castings), castings


@pytest.mark.parametrize(
    ("title", "item"),
    [
        ("Cút nối ren (khớp nối ống) bằng đồng thau, phi 21", "pipes_fittings"),
        ("Dây nối tín hiệu (cable assembly) cho máy lạnh", "connectors_wiring"),
    ],
)
def test_a_gloss_in_brackets_names_the_same_item(title, item):
    concepts = requirement_document({"id": "R", "title": title}).payload
    assert concepts["concepts"][item]["role"] == "item", concepts["concepts"]


def test_a_bracket_that_negates_is_no_gloss():
    reading = requirement_document({"id": "R", "title": "Đồng hồ đo áp suất (không dùng điện), mặt 100mm"})
    assert not any("điện" in part for part in reading.payload["reading"]["item"]), reading.payload["reading"]


@pytest.mark.parametrize(
    "products, head, modifier",
    [
        (["lo xo phanh xe may"], "springs", "brake_parts"),  # Vietnamese typed plain: head first
        (["ductile iron valve housings"], "enclosures", "valves"),  # English: head last
        (["gear pumps"], "pumps", "gears"),
        # each product is a goods name of its own, the second too
        (["phanh tang trống", "vỏ máy bơm gang"], "enclosures", "pumps"),
    ],
)
def test_a_product_that_only_qualifies_another_counts_half(products, head, modifier):
    concepts = offered(products=products)
    assert concepts[modifier]["weight"] == pytest.approx(concepts[head]["weight"] / 2, abs=0.01)


def test_welding_plastics_is_no_metal_welding():
    """A moulder that welds its parts ultrasonically is no welding shop for steel frames."""
    moulder = supplier_document(
        {
            "id": "S",
            "name": "Nhựa Kỹ Thuật An Phú",
            "processes": ["ép phun nhựa", "hàn siêu âm", "in tampon"],
            "products": ["vỏ nhựa thiết bị điện"],
        }
    ).payload["concepts"]
    assert "welding" not in moulder and "plastic_injection" in moulder, moulder


@pytest.mark.parametrize(
    ("description", "makes", "only_treats"),
    [
        # what a shaping process is "of" in a profile is what the firm makes…
        ("Sheet metal fabrication of electrical cabinets and kiosks", "switchgear", None),
        # a leading label in a profile is the firm's trade, as its list is its products
        ("Xưởng rèn dập nóng: mặt bích, tay biên, phôi bánh răng", "forging", None),
        # …what a treatment is "of" (or opens a list of) is only what it treats, all of the list
        ("Heat treatment of gears, shafts and moulds for local machine shops", "heat_treatment", "shafts"),
        ("Nhiệt luyện bánh răng, trục, bạc lót theo yêu cầu", "heat_treatment", "shafts"),
        ("Mạ kẽm bu lông, ốc vít, long đen cho các xưởng cơ khí", "plating", "fasteners"),
    ],
)
def test_what_a_profiles_process_is_of_is_made_and_what_a_treatment_is_of_is_treated(
    description, makes, only_treats
):
    concepts = offered(description)
    assert makes in trade(concepts) and concepts[makes]["weight"] >= 0.9, concepts
    if only_treats:
        assert only_treats not in trade(concepts), concepts


def test_lighting_fixtures_are_lamps_not_jigs():
    concepts = offered("Manufacturer of LED lighting fixtures and drivers for offices")
    assert "vehicle_lighting" in trade(concepts) and "jigs_fixtures" not in trade(concepts), concepts


@pytest.mark.parametrize(
    ("description", "makes", "serves"),
    [
        (
            "ハーネス加工、圧着、コネクタ組立。主要顧客：日系家電メーカー",
            "connectors_wiring",
            "household_appliances",
        ),
        ("专业生产EVA鞋底、橡胶大底，供应运动鞋品牌", "shoe_soles", "footwear"),
        ("PCB 실장(SMT), 기능 검사. 주요 고객사: 자동차 전장 업체", "pcb_assembly", "pcb_fabrication"),
    ],
)
def test_whom_a_cjk_profile_supplies_is_no_trade(description, makes, serves):
    concepts = offered(description)
    assert makes in trade(concepts) and serves not in trade(concepts), concepts


def test_a_firm_that_supplies_parts_still_makes_them_and_a_buyer_may_name_its_customer():
    assert "stamping" in trade(offered("专业供应冲压件和五金件"))
    request = wanted("采购客户指定的接插件，月需求5万个")
    assert request["connectors_wiring"]["role"] == "item", request


def test_a_firm_naming_a_product_only_as_what_its_parts_are_for_is_no_maker_of_it():
    """A foundry's "grey iron pump housings" make it a maker of pump parts: part credit for a
    pump, shown as such, where a pump maker's "centrifugal pumps" earn full credit."""
    matcher = ConceptMatcher(default_taxonomy(), 0.3, 0.5, 0.7)
    pump = wanted("Bơm ly tâm trục ngang 5,5kW cho trạm cấp nước")
    housings = offered("Đúc gang theo bản vẽ.", products=["grey iron pump housings"])
    pumps = offered("Sản xuất máy bơm.", products=["centrifugal pumps"])
    assert housings["pumps"].get("modifier"), housings
    _, matched, _ = matcher.agreement(pump, housings)
    assert {m["concept"]: m["match"] for m in matched}["pumps"] == "qualifier", matched
    assert any(p.startswith("Pumps") for p in capability_phrases(matched)["makes_for"]), matched
    assert matcher.agreement(pump, pumps)[0] > matcher.agreement(pump, housings)[0]


@pytest.mark.parametrize(
    "request_text",
    [
        "Áo khoác gió nam có mũ, vải chính 100% nylon, lót lưới polyester",
        "Women's woven blouses, 100% viscose, 3 colourways",
        "여성용 블라우스 봉제 외주, 폴리에스터",
        "婦人用ブラウスの縫製委託、月2万枚",
        "女式衬衣来料加工，每月3万件",
    ],
)
def test_a_firm_that_sews_its_own_seats_is_no_garment_maker(request_text):
    """Sewing is a trade of its own (`garment_sewing`); garments are what a garment firm sews. A
    car-seat maker that cuts and sews its covers gets a maker's part credit for a blouse, not the
    garment firm's full credit."""
    seats = offered(
        "Ghế ô tô và bọc ghế cho xe khách; cắt may da, ép xốp PU.",
        products=["ghế xe khách"],
        processes=["may bọc ghế", "leather cutting and sewing"],
    )
    garments = offered(
        "Gia công may mặc xuất khẩu, 12 chuyền may.",
        products=["áo jacket", "áo sơ mi nữ"],
        processes=["cắt may"],
    )
    matcher = ConceptMatcher(default_taxonomy(), 0.3, 0.5, 0.7)
    plan = matcher.plan(wanted(request_text))
    assert matcher.agreement_and_core(plan, garments)[0] > matcher.agreement_and_core(plan, seats)[0]
    # …and a buyer of seat covers sewn still finds the seat maker first.
    covers = matcher.plan(wanted("Bọc ghế xe khách bằng da PU, may 2 kim"))
    assert matcher.agreement_and_core(covers, seats)[0] > matcher.agreement_and_core(covers, garments)[0]
