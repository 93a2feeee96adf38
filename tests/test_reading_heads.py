"""What a goods name asks for when its words pull apart: the item against its material, the
head form against the form that qualifies it, and goods listed in a use. New examples, written
for these tests (not taken from the issue or the benchmark sets)."""

import pytest

from indexer.documents import requirement_document
from matchmaker.matching.explanations import describe_reading
from web.i18n import match_sentence


def concepts(title: str) -> dict[str, dict]:
    return requirement_document({"id": "R", "title": title}).payload["concepts"]


def reading(title: str) -> dict[str, list[str]]:
    return requirement_document({"id": "R", "title": title}).payload["reading"]


def weight(found: dict, cid: str) -> float:
    return found.get(cid, {}).get("weight", 0.0)


@pytest.mark.parametrize(
    ("title", "item", "material"),
    [
        # The classifier learnt few garments or shoes from customs texts, and reads the cloth or
        # the rubber; asked about the item's words alone, it believes the lexicon's item.
        ("Váy đầm nữ bằng vải polyester pha spandex, dệt kim, size S-L", "garments", "fabric"),
        ("Đế giày bằng cao su lưu hóa, màu đen, cỡ 39-44", "shoe_soles", "technical_rubber"),
        # …and so when the cloth is named as a product after the head, which only qualifies it
        ("Mũ giày vải denim in hoa", "shoe_uppers", "fabric"),
    ],
)
def test_a_named_item_is_not_drowned_by_its_material(title, item, material):
    found = concepts(title)
    assert weight(found, item) >= 0.9, found
    assert weight(found, item) >= weight(found, material), found


@pytest.mark.parametrize(
    ("title", "item", "material"),
    [
        # English names the material first; the classifier, which learnt English mostly from
        # the nomenclature's "of iron or steel", hears the steel and not the nuts.
        ("Stainless steel hex nuts M6, DIN 934", "fasteners", "stainless_steel"),
        ("Zinc plated carbon steel bolts M10x40", "fasteners", "steel"),
    ],
)
def test_an_english_material_first_name_still_names_its_item(title, item, material):
    found = concepts(title)
    assert weight(found, item) >= 0.9, found
    assert weight(found, item) > weight(found, material), found


@pytest.mark.parametrize(
    "title",
    ["Đầu cos đồng mạ thiếc 10mm2, lỗ bắt vít M6", "Bu lông lục giác thép mạ kẽm nhúng nóng M16"],
)
def test_a_finish_after_a_named_product_is_its_spec_not_a_service(title):
    """Tin-plated lugs are bought from a lug maker: the plating only qualifies them."""
    found = concepts(title)
    assert 0 < weight(found, "plating") <= 0.5, found
    assert weight(found, "plating") < weight(found, "connectors_wiring") + weight(found, "fasteners"), found
    # …while plating named first is the service bought
    assert weight(concepts("Mạ thiếc đầu cos đồng 10mm2"), "plating") >= 0.9


@pytest.mark.parametrize(
    ("title", "head", "modifier"),
    [
        ("齿轮泵 CB-B25，铸铁泵体", "pumps", "gears"),
        ("電線ハーネス（家電用）", "connectors_wiring", "cables"),
    ],
)
def test_chinese_and_japanese_put_the_head_last(title, head, modifier):
    found = concepts(title)
    assert weight(found, head) >= 0.9, found
    assert weight(found, modifier) <= 0.5, found
    # …and goods joined by "和" are two things asked for, not one qualifying the other
    both = concepts("不锈钢螺栓和齿轮泵")
    assert weight(both, "fasteners") >= 0.9 and weight(both, "pumps") >= 0.9, both


@pytest.mark.parametrize("title", ["镀镍黄铜螺钉M4", "ニッケルめっき黄銅ねじM4", "니켈 도금 황동 나사 M4"])
def test_a_finish_before_the_product_is_its_spec_in_head_last_languages(title):
    found = concepts(title)
    assert weight(found, "fasteners") >= 0.9, found
    assert 0 < weight(found, "plating") <= 0.5, found


@pytest.mark.parametrize(
    ("title", "treatment"),
    [
        ("Anot hóa cứng chi tiết nhôm 6061, lớp 25 micron", "anodizing"),
        ("Hard anodising of aluminium parts, 25 micron", "anodizing"),
        ("铝合金零件硬质氧化加工", "anodizing"),
        ("Sơn tĩnh điện vỏ thép tủ điện, màu RAL7035", "painting_coating"),
    ],
)
def test_a_treatment_heading_the_name_is_bought_and_its_object_only_qualifies_it(title, treatment):
    """The part after the treatment is what is treated: a die caster or a press shop is not
    asked for ("anodising of aluminium heat sinks" ranked die casters first)."""
    found = concepts(title)
    assert weight(found, treatment) >= 0.9, found
    assert max(weight(found, p) for p in ("die_casting", "stamping", "sheet_metal")) <= 0.25, found


def test_a_participle_before_the_part_is_its_finish_not_its_head():
    found = concepts("Anodised aluminium housings, 120 x 80 mm")
    assert weight(found, "die_casting") >= 0.8, found


@pytest.mark.parametrize(
    ("title", "head", "other"),
    [
        # Vietnamese puts the head first: a frame that carries something is welded…
        ("Khung giá đỡ màn hình bằng thép hộp 30x30", "steel_structures", "stamping"),
        # …and a bracket for a frame is pressed; English puts the head last.
        ("Giá đỡ khung bằng thép tấm dày 2mm", "stamping", "steel_structures"),
        ("Trục giá đỡ bằng inox phi 20", "turning", "stamping"),
        ("Stainless steel shaft bracket, 3 mm", "stamping", "turning"),
    ],
)
def test_the_head_form_of_a_goods_name_decides_its_process(title, head, other):
    found = concepts(title)
    assert weight(found, head) > weight(found, other), found


def test_goods_listed_after_a_use_are_all_its_context():
    """Plating for screws and nuts is bought from a plater: the nuts, like the screws, are what
    is plated, not what is asked for."""
    title = "Dịch vụ mạ niken cho vít, đai ốc, độ dày lớp mạ 5 micron"
    assert reading(title)["context"] == ["vít, đai ốc"]
    found = concepts(title)
    assert weight(found, "plating") > 0.8, found
    assert weight(found, "fasteners") < 0.2, found


def test_a_spec_after_a_use_is_not_its_context():
    """The list goes on only through goods of the use's own kind: bolts are no washing machine."""
    found = reading("Lò xo cho máy giặt, bu lông")
    assert found["context"] == ["máy giặt"], found


@pytest.mark.parametrize(
    "title",
    [
        # Pins are fasteners in the nomenclature (73.18, "chốt hãm và chốt định vị"), headed or
        # turned by fastener makers: no shape of a part that only a turner makes…
        "Chốt định vị bằng thép C45, phi 8 dài 40mm",
        "Chốt chặn bằng inox 304, không ren, phi 10",
        # …and "pin" in Vietnamese is a battery ("Đèn pin": a torch).
        "Đèn pin cầm tay vỏ nhôm, dùng pin sạc 18650",
    ],
)
def test_a_pin_is_no_turned_part(title):
    found = concepts(title)
    assert weight(found, "turning") == 0.0, found


@pytest.mark.parametrize(
    ("title", "process"),
    [
        # Buyers' English and Japanese call steel "iron": an iron clip is pressed from sheet.
        ("Iron retaining clip 20x12x0.8 mm for a fan motor", "stamping"),
        ("鉄製クランプ、配管固定用", "stamping"),
        # A mould named in the singular is still a mould, of the kind its use names.
        ("Steel mold for moulding PP crates", "plastic_injection_mould"),
    ],
)
def test_iron_parts_and_a_single_mould_are_read_as_buyers_mean_them(title, process):
    found = concepts(title)
    assert max(found, key=lambda c: weight(found, c)) == process, found


def test_a_soldering_iron_is_a_tool_not_a_steel_part():
    """The "iron" of a soldering iron is no material; the classifier may still guess steel faintly."""
    steel = concepts("Soldering iron 60W with ceramic heater").get("steel")
    assert steel is None or (steel["role"] == "inferred" and steel["weight"] < 0.1), steel


@pytest.mark.parametrize(
    ("title", "maker"),
    [
        # The nomenclature files pins with fasteners (73.18); a plastic pin is moulded.
        ("Chốt thép C45 phi 8 dài 40mm, mạ kẽm", "fasteners"),
        ("Chốt nhựa POM phi 5mm cho khay linh kiện", "plastic_injection"),
    ],
)
def test_a_pin_is_a_fastener_unless_moulded(title, maker):
    found = concepts(title)
    assert max(found, key=lambda c: weight(found, c)) == maker, found
    assert "Chốt" in found["fasteners"]["words"], found  # read from the words, not only guessed


@pytest.mark.parametrize(
    ("title", "item"),
    [
        # "kim loại" (metal) is no "loại:" (type) field: the goods after the label are the item.
        ("Phụ tùng của máy uốn kim loại: Con lăn dẫn hướng bằng thép", "Con lăn dẫn hướng"),
        # A spec's name before a colon is no category label.
        ("Tụ điện nhôm 470uF điện áp: 25V, dùng cho bộ nguồn", "Tụ điện nhôm"),
        # A long label saying whose part it is, commas and all, is one.
        (
            "Bộ phận của máy ép nhựa 250 tấn, loại thủy lực, dùng trong nhà xưởng: Vòng chặn bằng thép",
            "Vòng chặn",
        ),
    ],
)
def test_a_label_is_read_as_a_category_only_where_it_is_one(title, item):
    assert any(part.startswith(item) for part in reading(title)["item"]), reading(title)


def test_what_english_goods_come_with_is_a_component_not_the_goods():
    """A lunch box with stainless clips is moulded; its clips are pressed, but not asked for."""
    found = concepts("Plastic lunch box with stainless steel clips, 1.2 L")
    assert weight(found, "plastic_injection") > 2 * weight(found, "stamping"), found
    read_as = reading("Office chairs with chrome steel base and mesh back")
    assert read_as["item"] == ["Office chairs"]
    assert read_as["component"] == ["chrome steel base and mesh back"]
    assert "· with: chrome steel base" in describe_reading(read_as)
    assert "kèm: chrome steel base" in match_sentence({"requirement_reading": read_as}, "vi")
