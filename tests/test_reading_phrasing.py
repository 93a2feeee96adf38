"""How a request is phrased, in five languages: framing, word-internal markers, brands, machines
named as the item, and the part a making process makes. New examples, written for these tests."""

import pytest

from indexer.documents import requirement_document
from indexer.reading import read
from indexer.reading_summary import summary


def concepts(title: str) -> dict[str, dict]:
    return requirement_document({"id": "R", "title": title}).payload["concepts"]


def weight(found: dict, cid: str) -> float:
    return found.get(cid, {}).get("weight", 0.0)


@pytest.mark.parametrize(
    ("title", "node"),
    [
        ("采购无刷电机，功率200W", "electric_motors"),  # 机 ends it, but a motor is no machine
        ("求购涡旋压缩机，年需求500台", "pumps"),
        ("Đặt hàng ép phun vỏ nhựa theo bản vẽ", "plastic_injection"),  # ordering frames the item
        ("Cần tìm nhà cung cấp gia công cơ khí cho khung máy", "machining"),
        ("Sourcing die-cast aluminium housings to drawing", "die_casting"),
    ],
)
def test_how_a_request_is_framed_does_not_change_what_it_asks_for(title, node):
    found = concepts(title)
    assert max(found, key=lambda c: weight(found, c)) == node, found


def test_use_inside_a_chinese_word_is_no_use_marker():
    """使用寿命 (service life), 年用量 (yearly volume): the mould is still what is asked for."""
    assert weight(concepts("注塑模具使用寿命50万模次，年用量10套"), "plastic_injection_mould") >= 0.9


@pytest.mark.parametrize(
    "title", ["自動車用シートカバーの縫製", "Sewing of vinyl seat covers for city buses", "카시트 커버 봉제"]
)
def test_the_part_a_making_process_makes_is_not_its_context(title):
    """Sewing makes seat covers (plating only finishes bolts): both are asked for."""
    found = concepts(title)
    assert weight(found, "vehicle_interior") >= 0.9 and weight(found, "garment_sewing") >= 0.9, found


def test_what_a_finishing_process_is_of_is_only_its_object():
    found = concepts("Anodising of aluminium heat sinks for LED lamps")
    assert weight(found, "anodizing") >= 0.9 and weight(found, "die_casting") < 0.2, found


def test_a_machine_the_classifier_knows_as_something_else_is_no_production_machine():
    massager = concepts("Máy massage cầm tay mini, pin sạc 2000mAh")
    assert weight(massager, "medical_devices") > 3 * weight(massager, "industrial_machinery"), massager
    assert weight(concepts("Máy cắt decal tự động khổ 60cm"), "industrial_machinery") > 0.8


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("Bộ chia tín hiệu video HDMI 1 ra 4", "tín hiệu video"),  # a signal, not a brand
        ("Dịch vụ hiệu chuẩn thiết bị đo lường", "hiệu chuẩn"),
    ],
)
def test_a_word_after_hieu_is_a_brand_only_where_it_names_one(title, kept):
    reading = summary(read(title))
    assert any(kept in item for item in reading["item"]), reading
    assert summary(read("Van điện từ hiệu AirTAC, mới 100%"))["item"] == ["Van điện từ"]


def test_words_that_fold_alike_are_told_apart_by_their_diacritics():
    """ "tủ điện" and "tụ điện" are one word to the classifier, which reads folded text."""
    board = concepts("Tủ điện cho nhà xưởng mới, 20 bộ")
    assert weight(board, "switchgear") > 3 * weight(board, "passive_components"), board
    capacitor = concepts("Tụ điện 10uF cho bo mạch nguồn")
    assert weight(capacitor, "passive_components") > 3 * weight(capacitor, "switchgear"), capacitor


@pytest.mark.parametrize("title", ["アルミ押出形材 6063", "铝型材挤压件，6063-T5", "알루미늄 압출 프로파일"])
def test_a_named_making_process_leaves_the_material_nothing_to_imply(title):
    """Extruded aluminium is not die cast: where the item names how it is made, its material
    implies no other process (only a finishing process, "アルマイト", leaves the guess open)."""
    found = concepts(title)
    assert weight(found, "extrusion") >= 0.9 and weight(found, "die_casting") < 0.1, found


@pytest.mark.parametrize(
    ("title", "material"),
    [
        ("Tay nắm tủ bếp, CL: hợp kim kẽm, kt 96mm", "hợp kim kẽm"),
        ("Tay nắm tủ bếp,CL hợp kim kẽm,không hiệu", "hợp kim kẽm"),
        ("Dây đai đóng hàng, TP:100% polyester, khổ 19mm", "100% polyester"),
    ],
)
def test_customs_shorthand_for_the_material_is_read_as_material(title, material):
    """ "CL" (chất liệu) and "TP" (thành phần) open the material clause in declarations, and the
    material it names implies the process: a zinc-alloy handle is die cast."""
    assert summary(read(title))["material"] == [material]
    if "kẽm" in material:
        assert weight(concepts(title), "die_casting") >= 0.8


def test_a_city_abbreviated_tp_is_no_material():
    assert "material" not in summary(read("Khung kệ thép giao tại TP. Hồ Chí Minh"))


@pytest.mark.parametrize("title", ["Tủ sấy tĩnh điện 200 lít cho xưởng sơn", "Lò nung điện 1200 độ cho gốm"])
def test_a_drying_or_firing_cabinet_is_bought_from_a_machine_builder(title):
    """…and the explanation says why, whatever the classifier makes of the goods."""
    found = concepts(title)
    assert max(found, key=lambda c: weight(found, c)) == "industrial_machinery", found
    assert found["industrial_machinery"]["inferred"] == "a machine → machine builder"


def test_a_steel_article_of_no_named_form_is_pressed_but_a_steel_part_is_anyones():
    """Most articles of steel with no form word (73.23, 73.26) are pressed; goods called a part
    ("linh kiện"), even only in their category label, may as well be forged or machined."""
    rack = concepts("Kệ gia vị 2 tầng bằng inox 304, gia dụng")
    assert rack["stamping"]["inferred"] == "stainless steel part → stamping", rack
    assert weight(concepts("Linh kiện bằng thép cho máy dệt"), "stamping") == 0.0
    assert weight(concepts("Linh kiện máy khoan đá: Tạ bi, bằng sắt"), "stamping") == 0.0  # in its label


@pytest.mark.parametrize(
    ("title", "process"),
    [
        ("Tấm nhựa PVC trong suốt dày 2mm, khổ 1.2 x 2.4m", "die_cut_converting"),  # extruded, converted
        ("Phim nhựa PET chống tĩnh điện, khổ 1m", "die_cut_converting"),
        ("Tấm chắn bằng thép mạ kẽm dày 1.5mm, đột lỗ", "stamping"),
    ],
)
def test_a_sheet_is_converted_from_plastic_and_pressed_from_metal(title, process):
    found = concepts(title)
    assert " sheet → " in found[process]["inferred"], found
    assert weight(found, "plastic_injection") < 0.5


def test_a_product_glossed_in_brackets_is_named_so_its_steel_says_nothing_of_pressing():
    glossed = concepts("Con tán (đai ốc), bằng sắt, ren M12")
    bare = concepts("Con tán bằng sắt, ren M12")
    assert "steel part" not in glossed.get("stamping", {}).get("inferred", "")
    assert "steel part" in bare.get("stamping", {}).get("inferred", "")


def test_a_form_word_inside_a_products_own_name_is_no_shape_of_the_part():
    """ "Hộp" in "hộp số" (a gearbox) is no box to die cast; "vỏ" in "vỏ máy" (a housing) still is."""
    gearbox = concepts("Hộp số hành tinh tỉ số 1/10, hợp kim nhôm, dùng cho động cơ servo")
    assert weight(gearbox, "die_casting") < 0.5 and weight(gearbox, "gears") >= 0.9, gearbox
    housing = concepts("Vỏ máy bằng hợp kim nhôm cho bộ điều khiển")
    assert housing["die_casting"]["inferred"] == "aluminium housing → die casting", housing


def test_a_material_given_for_the_shell_makes_the_goods_an_assembly_not_a_part_of_it():
    """ "Chất liệu vỏ bằng nhựa": the goods sit in a plastic case; only a plastic part is moulded."""
    module = concepts("Bộ chuyển đổi tín hiệu RS485, chất liệu vỏ bằng nhựa, kích thước 45x110mm")
    assert weight(module, "plastic_injection") < 0.5, module
    assert "plastic_injection" not in module or "part →" not in module["plastic_injection"].get(
        "inferred", ""
    )
    part = concepts("Miếng chặn cửa, chất liệu bằng nhựa, kích thước 45x110mm")
    assert part["plastic_injection"]["inferred"] == "plastics part → plastic injection moulding", part


def test_a_clothes_hook_is_no_garment():
    hook = concepts("Móc quần áo dán tường nhà tắm, chất liệu nhựa, 40x6x3cm")
    assert weight(hook, "garments") == 0.0, hook
    assert hook["plastic_injection"]["inferred"] == "plastics part → plastic injection moulding", hook


@pytest.mark.parametrize(
    "title",
    [
        "Sợi filament polypropylen màu đen, độ mảnh 149 tex, chất liệu nhựa PP",
        "Túi nhựa PE đựng linh kiện, 10x15cm",
    ],
)
def test_a_material_implies_no_process_the_named_product_is_not_made_by(title):
    """Polypropylene yarn is spun and a plastic bag blown from film: neither is moulded."""
    found = concepts(title)
    assert "part →" not in found.get("plastic_injection", {}).get("inferred", ""), found


@pytest.mark.parametrize(
    ("title", "node", "not_node"),
    [
        # a compound names one thing: the coil of a coil spring is no electronic coil
        ("洗濯機の蓋用コイルばね、SUS304", "springs", "passive_components"),
        ("办公椅用拉簧和扭簧", "springs", "industrial_machinery"),
        # leather sold as a "fabric" (원단) is leather
        ("지갑용 가죽 원단, 두께 1.2mm", "leather", "fabric"),
        # a rubber hose is a rubber part, in every language
        ("ラジエーター用ゴムホース", "technical_rubber", "pipes_fittings"),
        ("Ống cao su chịu dầu phi 12 cho máy nén", "technical_rubber", "pipes_fittings"),
        # "elastic" here is the clip's, not a garment trim
        ("Elastic rail clips and insulators for track fastening", "railway_parts", "garment_accessories"),
    ],
)
def test_a_compound_name_is_read_as_the_thing_it_names(title, node, not_node):
    found = concepts(title)
    assert max(found, key=lambda c: weight(found, c)) == node, found
    assert weight(found, node) >= 0.5 and weight(found, node) > weight(found, not_node), found


def test_an_english_infinitive_of_purpose_is_context():
    """ "Trays to ship our sensor boards": the boards are what the trays carry, not what is bought."""
    reading = summary(read("Antistatic trays to ship our sensor boards abroad"))
    assert reading["item"] == ["Antistatic trays"], reading
    found = concepts("Antistatic trays to ship our sensor boards abroad")
    assert weight(found, "pcb_assembly") < 0.5, found


@pytest.mark.parametrize(
    ("title", "process", "not_process"),
    [
        ("ADC12 製ブラケット 外形120×60", "die_casting", "stamping"),  # the grade outranks the flat form
        ("Vỏ hộp lọc dầu, vật liệu FCD450", "sand_casting", None),
        ("SPCC 固定支架 t=1.2", "stamping", None),
        ("Bush C3604, OD 8 mm", "turning", None),
    ],
)
def test_a_material_grade_names_the_process(title, process, not_process):
    found = concepts(title)
    assert weight(found, process) >= 0.8 and "→" in found[process]["inferred"], found
    if not_process:
        assert weight(found, not_process) < 0.5, found


def test_a_grade_in_a_model_code_or_in_the_use_context_implies_nothing():
    assert weight(concepts("Rơ le SECC-3 cho phanh điện từ"), "stamping") == 0.0
    die = concepts("Khuôn đúc áp lực cho chi tiết ADC12")  # a die for ADC12 parts is no casting
    assert weight(die, "die_casting_die") >= 0.9 and weight(die, "die_casting") < 0.5, die


@pytest.mark.parametrize(
    ("title", "service", "part"),
    [
        ("铜排镀锡", "plating", "switchgear"),  # the service after its object, no marker
        ("스프링 열처리", "heat_treatment", "springs"),
        ("アルミケースのアルマイト処理", "anodizing", "enclosures"),
        ("Nhiệt luyện trục bánh răng", "heat_treatment", "gears"),  # …or before it, in Vietnamese
    ],
)
def test_a_part_beside_a_finishing_service_is_its_object(title, service, part):
    found = concepts(title)
    assert weight(found, service) >= 0.9 and weight(found, part) < 0.3, found
    assert weight(found, "die_casting") < 0.3, found  # the case's aluminium is the case's


def test_a_finished_part_is_still_the_item():
    """Galvanised bolts ("镀锌螺栓", "Bu lông mạ kẽm") are bought from a bolt maker."""
    for title in ("镀锌螺栓 M8", "Bu lông mạ kẽm M8"):
        assert weight(concepts(title), "fasteners") >= 0.9, title


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Khuôn thép dùng để ép dép nhựa, 4 lòng khuôn", "plastic_injection_mould"),
        ("Tooling for zinc die-cast door handles", "die_casting_die"),
        ("冲床用模具，用于冲压空调侧板", "stamping_die"),
    ],
)
def test_a_bare_mould_is_the_kind_its_use_names(title, kind):
    found = concepts(title)
    assert weight(found, kind) >= 0.8 and "mould for" in found[kind].get("inferred", ""), found


def test_what_comes_with_the_goods_or_what_they_make_is_context():
    """What comes with the goods ("kèm") or what they make ("dùng sản xuất") is not asked for."""
    assert summary(read("Tấm ốp cửa bằng nhôm, kèm vít inox"))["context"] == ["vít inox"]
    found = concepts("Hạt nhựa màu dùng sản xuất dép, đóng bao 25kg")
    assert weight(found, "footwear") < 0.3, found
    assert summary(read("Ống dẫn, không kèm đầu nối"))["noise"] == ["không kèm đầu nối"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Manufacturer of stainless steel springs for office chairs", "stainless steel springs"),
        ("Nhà sản xuất bao bì carton 5 lớp", "bao bì carton 5 lớp"),
    ],
)
def test_a_firm_saying_what_it_makes_is_no_makers_name(text, kept):
    """A maker is named after a label ("NSX: Ningbo …"); "Manufacturer of …" says what is made."""
    reading = summary(read(text))
    assert any(kept in item for item in reading.get("item", [])), reading
    assert summary(read("Khay nhựa, NSX Ningbo Plastic Co., Ltd"))["noise"] == ["NSX Ningbo Plastic Co., Ltd"]


@pytest.mark.parametrize(
    ("title", "item"),
    [
        ("RFQ #4471 – rolled-thread studs, M10 × 60, zinc flake coated", "rolled-thread studs"),
        ("Looking for a domestic supplier, die-cast zinc door handles", "die-cast zinc door handles"),
        ("Inquiry no. 12/2026: PE foam corner protectors", "PE foam corner protectors"),
    ],
)
def test_a_first_clause_of_noise_only_leaves_the_item_to_the_next(title, item):
    """A request's reference number or framing, alone in its clause, is no item."""
    assert summary(read(title))["item"][0] == item


@pytest.mark.parametrize(
    ("title", "part", "maker", "reason"),
    [
        (
            "Cút nối ống khí nén chữ T, phi 10, chất liệu nhựa PA",
            "pipes_fittings",
            "plastic_injection",
            "plastics",
        ),
        ("Bánh răng nhựa POM module 0.8, 24 răng, cho máy in", "gears", "plastic_injection", "plastics"),
        ("Nylon hex bolts M6 × 20, white", "fasteners", "plastic_injection", "plastics"),
        ("Bạc lót bằng cao su cho trục quạt công nghiệp", "bearings", "rubber_moulding", "rubber"),
    ],
)
def test_a_simple_metal_shop_part_named_in_plastic_or_rubber_is_moulded(title, part, maker, reason):
    """Forges and turners make fittings, gears and bolts in metal; in plastic or rubber alone a
    moulder makes them, and the reading says why."""
    found = concepts(title)
    assert weight(found, maker) >= 0.8 and f" in {reason} → " in found[maker]["inferred"], found
    assert part in found, found  # …and the part is still what it is


def test_an_assembly_or_a_part_with_a_plastic_handle_is_not_moulded():
    """A plastic valve is a valve maker's; a steel screwdriver with a plastic grip a tool maker's."""
    assert "in plastics" not in concepts("Van bi bằng nhựa PVC DN25").get("plastic_injection", {}).get(
        "inferred", ""
    )
    assert "in plastics" not in concepts("Tua vít dẹt, cán cầm bằng nhựa, đầu thép CrV").get(
        "plastic_injection", {}
    ).get("inferred", "")


def test_a_second_use_in_one_clause_begins_after_the_goods_the_first_was_for():
    """ "에어컨 배관용 고무 호스 및 브래킷용 너트": hoses are asked for, and nuts; the brackets are
    the nuts' use. "电机和水泵用铸件" keeps both machines as the castings' use."""
    found = concepts("에어컨 배관용 고무 호스 및 브래킷용 너트")
    assert weight(found, "technical_rubber") >= 0.9 and weight(found, "fasteners") >= 0.5, found
    both = summary(read("电机和水泵用铸件"))
    assert both["context"] == ["电机和水泵"] and both["item"] == ["铸件"], both


@pytest.mark.parametrize(
    ("title", "node", "not_node"),
    [
        ("Sợi dệt kim acrylic, cuộn 100 g, nhiều màu", "yarn", "fabric"),  # yarn to knit with
        ("Len sợi pha cotton để đan khăn", "yarn", "fabric"),
        ("Vải dệt kim từ sợi polyester, khổ 1.6 m", "fabric", "yarn"),
    ],
)
def test_yarn_for_knitting_is_yarn_and_knitted_cloth_is_fabric(title, node, not_node):
    found = concepts(title)
    assert max(found, key=lambda c: weight(found, c)) == node, found
    assert weight(found, not_node) < 0.5 * weight(found, node), found


@pytest.mark.parametrize(
    ("title", "goods"),
    [
        ("Looking for a Vietnamese moulder for polycarbonate diffusers", "polycarbonate diffusers"),
        ("Seeking a die caster for aluminium motor housings", "aluminium motor housings"),
        ("Injection moulder wanted for ABS covers of kettles", "ABS covers"),
        ("Cần tìm xưởng đúc nhôm cho vỏ hộp số xe máy", "vỏ hộp số"),
        ("Tìm đơn vị dập cho giá đỡ bằng thép", "giá đỡ"),
    ],
)
def test_after_a_maker_for_names_the_goods_to_make_not_their_use(title, goods):
    reading = summary(read(title, request=True))
    assert any(goods in item for item in reading["item"]), reading
    assert not any(goods in part for part in reading.get("context", [])), reading


def test_a_maker_for_an_industry_or_goods_for_a_use_keep_their_context():
    assert summary(read("Looking for a moulder for the automotive industry", request=True))["context"] == [
        "the automotive industry"
    ]
    assert summary(read("Supplier of plastic parts for washing machines", request=True))["context"] == [
        "washing machines"
    ]
    found = concepts("Looking for a Vietnamese moulder for polycarbonate light diffusers")
    assert max(found, key=lambda c: weight(found, c)) == "plastic_injection", found


@pytest.mark.parametrize(
    ("title", "goods"),
    [
        # A point between digits is a number, not the end of a sentence ("5.000 bộ", "1.5 ly").
        ("Cần đặt gia công 8.000 bộ vỏ hộp điện bằng tôn 1.5 ly", "vỏ hộp điện"),
        ("Đặt in 20.000 hộp giấy đựng tai nghe", "hộp giấy"),
    ],
)
def test_an_order_with_a_quantity_still_names_its_goods(title, goods):
    reading = summary(read(title, request=True))
    assert any(goods in item for item in reading["item"]), reading
