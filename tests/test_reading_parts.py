"""Goods named only as a part, parts that plug into something, and the vocabulary of coils,
gear motors, connectors and test stations. New examples, written for these tests (not taken from
the issue, the probes or the benchmark sets)."""

import pytest
from test_reading_heads import weight

from indexer.documents import requirement_document, supplier_document


def payload(title: str) -> dict:
    return requirement_document({"id": "R", "title": title}).payload


@pytest.mark.parametrize(
    ("title", "whole", "concept"),
    [
        ("Linh kiện thay thế của máy nén khí, 50 bộ", "máy nén khí", "pumps"),
        ("Replacement parts for hydraulic valves", "hydraulic valves", "valves"),
        # typed plain, read with its diacritics restored (indexer/diacritics.py)
        ("Phu tung thay the dung cho hop so giam toc", "hộp số giảm tốc", "gears"),
    ],
)
def test_goods_named_only_as_a_part_take_their_maker_from_what_they_are_part_of(title, whole, concept):
    found = payload(title)
    assert whole in found["reading"].get("category", []), found["reading"]
    assert found["concepts"][concept]["role"] == "category"
    assert weight(found["concepts"], concept) >= 0.5, found["concepts"]


def test_a_named_part_keeps_the_machine_it_goes_into_as_context():
    found = payload("Trục của máy bơm bằng thép C45")
    assert found["concepts"]["shafts"]["role"] == "item"
    assert found["concepts"]["pumps"]["role"] == "context"
    assert weight(found["concepts"], "pumps") < 0.2


def test_a_profile_listing_parts_for_vehicles_still_only_serves_them():
    profile = supplier_document(
        {"id": "S", "name": "Cơ khí Hòa Bình", "products": ["linh kiện cho xe máy"], "processes": ["dập"]}
    ).payload["concepts"]
    assert "vehicle_parts" not in profile or profile["vehicle_parts"]["role"] == "context", profile


@pytest.mark.parametrize(
    ("title", "item", "concept", "host"),
    [
        (
            "Đầu cắm vào bo mạch điều khiển, 6 chân, nhựa PBT",
            "Đầu cắm",
            "connectors_wiring",
            "bo mạch điều khiển",
        ),
        # typed plain: read with its diacritics restored, so the connector is found as well
        ("Dau cam vao bo mach dieu khien, 6 chan", "Đầu cắm", "connectors_wiring", "bo mạch điều khiển"),
    ],
)
def test_what_a_part_plugs_into_is_its_context(title, item, concept, host):
    found = payload(title)
    assert found["reading"]["item"] == [item]
    assert host in found["reading"]["context"]
    assert weight(found["concepts"], concept) >= 0.9


@pytest.mark.parametrize(
    ("title", "concept", "not_this"),
    [
        ("Cuộn kháng lọc sóng hài 3 pha", "passive_components", "switchgear"),
        ("Động cơ giảm tốc trục vuông góc 0.75kW", "electric_motors", "gears"),
        ("Helical gear motor 0.55 kW, foot mounted", "electric_motors", "gears"),
        # threaded inserts are turned fasteners; carbide inserts stay cutting tools
        ("Knurled brass threaded inserts M3 for plastic housings", "fasteners", "cutting_tools"),
        ("Ốc cấy bằng đồng M5, có khía", "fasteners", "cutting_tools"),
        ("Indexable carbide inserts CNMG 120408", "cutting_tools", "fasteners"),
    ],
)
def test_look_alike_goods_are_read_as_what_they_are(title, concept, not_this):
    found = payload(title)["concepts"]
    assert weight(found, concept) >= 0.9, found
    if not_this:
        assert weight(found, not_this) < weight(found, concept)


def test_a_pneumatic_push_in_end_is_no_electrical_connector():
    found = payload("Đầu cắm ống khí phi 8, bằng đồng")["concepts"]
    assert "connectors_wiring" not in found, found


@pytest.mark.parametrize(
    "title",
    [
        "Hydraulic press machine 200 ton, 4-column",
        "中古プレス機 200トン",
        "Injection moulding machine 250 tons",
    ],
)
def test_a_machine_named_with_its_tonnage_is_bought_from_a_machine_builder(title):
    """English puts the head last ("hydraulic" only qualifies the press machine), and a
    tonnage is a rating, not the end of the goods' name."""
    found = payload(title)["concepts"]
    assert weight(found, "industrial_machinery") >= 0.8, found
    assert weight(found, "hydraulic_pneumatic") < 0.5, found


@pytest.mark.parametrize(
    ("title", "item", "use"),
    [
        (
            "Nhiệt kế điện tử dùng đo nhiệt độ khuôn ép nhựa, đầu dò 100mm",
            "measuring_instruments",
            "plastic_injection_mould",
        ),
        ("Đầu nối nhanh dùng kết nối ống khí cho máy dập", "pipes_fittings", "stamping"),
        ("Dây thun dùng may lưng quần, bản 4cm", "garment_accessories", "garments"),
    ],
)
def test_what_the_goods_are_used_to_do_is_their_context(title, item, use):
    """ "dùng" + a verb ("dùng đo", "dùng kết nối", "dùng may") opens the goods' use, as "dùng để"
    does: the mould measured, the press fed and the trousers sewn are not asked for."""
    found = payload(title)["concepts"]
    assert weight(found, item) >= 0.5, found
    assert weight(found, use) < 0.2, found


def test_a_station_is_bought_from_a_machine_builder():
    found = payload("Leak test station for radiator assembly")["concepts"]
    assert weight(found, "industrial_machinery") >= 0.5, found
    assert found["heat_exchange"]["role"] == "context"


@pytest.mark.parametrize(
    "title",
    [
        "アルミA6061の精密切削部品、公差±0.02mm、アルマイト処理",
        "不锈钢SUS304精密机加工件，公差±0.01mm，钝化处理",
        "SUS303 정밀 가공 부품, 월 2,000개, 무전해 니켈 도금",
    ],
)
def test_machined_parts_named_in_cjk_are_machined_before_their_finish(title):
    found = payload(title)["concepts"]
    finish = max(w["weight"] for c, w in found.items() if c in ("anodizing", "plating", "surface_treatment"))
    assert weight(found, "cnc_machining") > finish, found


def test_a_grade_written_against_japanese_or_chinese_names_its_process():
    # no space between the grade and the next word, as Japanese and Chinese write it
    found = payload("FC250ねずみ鋳鉄のギアケーシング、約12kg")["concepts"]
    assert found["sand_casting"]["inferred"].startswith("FC250"), found
    found = payload("ADC12铝压铸端盖，月产3000件")["concepts"]
    assert weight(found, "die_casting") >= 0.85, found


@pytest.mark.parametrize(
    ("title", "concept", "not_this"),
    [
        # "nút bấm" is a push button, but on clothes a snap
        ("Nút bấm áo khoác bằng đồng, mạ đồng cổ", "garment_accessories", "switches_relays"),
        ("Nút bấm chống nước cho tủ điện, phi 22", "switches_relays", "garment_accessories"),
        # a pick-and-place cell is a machine builder's, whatever it places
        ("Pick-and-place cell with vision inspection for a packing line", "automation", "pcb_assembly"),
    ],
)
def test_snaps_push_buttons_and_pick_and_place_cells(title, concept, not_this):
    found = payload(title)["concepts"]
    assert weight(found, concept) > weight(found, not_this), found


@pytest.mark.parametrize(
    "title",
    [
        "变压器绕组用漆包铜线，线径0.3mm",
        "변압기 권선용 에나멜 동선 0.3mm",
        "Enameled copper winding wire for transformers",
    ],
)
def test_winding_wire_is_a_wire_makers_whatever_it_winds(title):
    found = payload(title)["concepts"]
    assert weight(found, "cables") >= 0.9 and found["cables"]["role"] == "item", found
    assert weight(found, "transformers") < 0.2, found


@pytest.mark.parametrize(
    ("title", "made", "finish"),
    [
        ("黄铜锁扣，压铸成型，表面镀镍", "die_casting", "plating"),
        ("SPCC製のブラケット、t2.0、カチオン電着塗装", "stamping", "painting_coating"),
        ("Aluminium die-cast cover ADC12, black anodised", "die_casting", "anodizing"),
    ],
)
def test_a_finish_named_after_the_part_is_its_spec(title, made, finish):
    found = payload(title)["concepts"]
    assert weight(found, made) >= 2 * weight(found, finish) > 0, found


def test_a_finish_asked_for_by_itself_stays_what_is_bought():
    found = payload("Dịch vụ mạ kẽm nhúng nóng cho kết cấu thép, 50 tấn/tháng")["concepts"]
    assert weight(found, "plating") >= 0.9, found


@pytest.mark.parametrize("title", ["PC製のカバー、透明", "PC材质外壳，透明", "PC 재질 커버, 투명"])
def test_pc_named_as_a_material_is_polycarbonate(title):
    found = payload(title)["concepts"]
    assert weight(found, "plastic_injection") >= 0.8, found


@pytest.mark.parametrize(
    ("title", "item"),
    [
        ("注塑外壳，ABS，品牌：无，型号：KX-200，生产厂家：广州华强塑胶制品有限公司，全新", "注塑外壳"),
        ("樹脂ケース、ABS、メーカー：東洋プラスチック株式会社、型番：TC-100、新品", "樹脂ケース"),
        ("ABS 케이스, 제조사: 대한플라스틱(주), 모델명: KC-300, 신품", "ABS 케이스"),
    ],
)
def test_cjk_brand_model_and_maker_fields_are_noise_and_never_the_item(title, item):
    found = payload(title)
    assert found["reading"]["item"] == [item], found["reading"]
    assert weight(found["concepts"], "plastic_injection") >= 0.8, found["concepts"]


@pytest.mark.parametrize(
    "title",
    [
        "产品名称：支架，材质：SPCC，厚度：1.5mm，用途：空调外机",
        "品名：ブラケット、材質：SPCC、板厚：1.6mm、用途：エアコン室外機",
        "품명: 브래킷, 재질: SPCC, 두께: 1.6mm, 용도: 에어컨 실외기",
    ],
)
def test_a_cjk_spec_sheets_name_material_and_use_fields_are_read_as_such(title):
    found = payload(title)
    reading = found["reading"]
    assert reading["material"] == ["SPCC"] and len(reading["context"]) == 1, reading
    assert all(":" not in i and "：" not in i for i in reading["item"]), reading
    assert weight(found["concepts"], "stamping") >= 0.8, found["concepts"]


def test_an_english_spec_sheets_use_field_is_context():
    found = payload("Product: Gasket; Material: EPDM 60 Shore A; Use: refrigerator door")
    assert found["reading"]["context"] == ["refrigerator door"], found["reading"]
    assert found["concepts"]["technical_rubber"]["role"] == "item"


@pytest.mark.parametrize(
    ("title", "material"),
    [
        ("Chốt định hướng cho van xả, chất liệu đồng, phi 6mm", "copper_brass"),
        ("Đầu cos bấm dây, CL: nhựa + đồng, 200 cái", "copper_brass"),
        ("Núm vặn tủ bếp bằng đồng thau đúc", "copper_brass"),
        ("Bao da đựng dao cắt, chất liệu da, dài 25cm", "leather"),
    ],
)
def test_a_one_word_material_counts_inside_a_material_clause(title, material):
    found = payload(title)["concepts"]
    assert found[material]["role"] == "material", found


@pytest.mark.parametrize(
    ("title", "material"),
    [
        ("Kiểm tra độ phẳng bằng đồng hồ so, 2 bộ", "copper_brass"),
        ("Vít thép mạ đồng M4 cho tủ điện", "copper_brass"),
        ("Gia công khung thép tại Đồng Nai, bằng thép hộp", "copper_brass"),
        ("Đồng phục công nhân may bằng vải kaki", "copper_brass"),
        ("Miếng dán bảo vệ da tay, bằng silicone y tế", "leather"),
    ],
)
def test_the_same_word_elsewhere_names_no_material(title, material):
    assert material not in payload(title)["concepts"]


def test_a_profile_working_in_copper_names_its_material():
    profile = supplier_document(
        {"id": "S", "name": "Cơ khí Tân Tiến", "products": ["chi tiết tiện bằng đồng", "đầu nối khí"]}
    ).payload["concepts"]
    assert "copper_brass" in profile
