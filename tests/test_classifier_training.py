"""How the capability classifier learns (scripts/build_capability_classifier.py): what it is
shown and how much each example counts."""

import json

import pytest

from indexer.documents import classifier_text, requirement_document


@pytest.fixture(scope="module")
def training(script):
    return script("build_capability_classifier")


def test_every_hs_heading_weighs_the_same_however_many_declarations_it_has(training):
    headings = ["3926"] * 6 + ["8536"] * 2 + [None] * 3
    weights = training.heading_weights(headings)
    big, small, other = weights[:6], weights[6:8], weights[8:]
    assert big.sum() == pytest.approx(small.sum())  # 3926's six rows count as 8536's two
    assert weights[:8].sum() == pytest.approx(8)  # the customs rows keep their total weight
    assert list(other) == [1.0, 1.0, 1.0]  # nomenclature rows and lexicon terms are untouched


def test_the_classifier_learns_from_what_ranking_asks_it():
    """The reading hands the classifier the item, category and material, without the use, the
    maker and the ratings; each customs declaration is also learnt in that form."""
    title = "Rơ le nhiệt 3 pha dùng cho tủ điện, chất liệu: nhựa chống cháy, dòng 25A, NSX: Ningbo Co., Ltd"
    reading = requirement_document({"id": "R", "title": title}).payload["reading"]
    asked = classifier_text(title)
    assert asked == f"{reading['item'][0]} {reading['material'][0]}" == "Rơ le nhiệt 3 pha nhựa chống cháy"


def test_goods_no_node_makes_are_learnt_as_no_node(training, tmp_path):
    """Furniture and food rows teach every node "not me"; goods of a node's family stay out of
    that, even unmapped (94.01 seats: car seats)."""
    columns = "level,hs_code,heading,chapter,desc_vn,desc_en,path_vn,path_en\n"
    rows = [
        '0,9403,9403,94,"Đồ nội thất khác","Other furniture","Đồ nội thất khác","Other furniture"',
        '0,9401,9401,94,"Ghế ngồi","Seats","Ghế ngồi","Seats"',
        '0,7318,7318,73,"Vít, bu lông","Screws, bolts","Vít, bu lông","Screws, bolts"',
    ]
    nomenclature = tmp_path / "hs-nomenclature-2022-vi-en.csv"
    nomenclature.write_text(columns + "\n".join(rows) + "\n", encoding="utf-8")
    customs = tmp_path / "customs-goods" / "descriptions-supporting-industry-chapters.jsonl"
    customs.parent.mkdir()
    customs.write_text("", encoding="utf-8")
    texts, targets, _ = training.examples(tmp_path)
    learnt = dict(zip(texts, targets, strict=True))
    assert learnt["Đồ nội thất khác"] == [] and learnt["Other furniture"] == []
    assert "Ghế ngồi" not in learnt  # a seat may be a car seat: neither yes nor no
    assert learnt["Vít, bu lông"]  # mapped rows keep their nodes


def test_goods_families_the_customs_descriptions_lack_are_learnt_from_the_nomenclature(training):
    """Railway, paper packaging, friction linings, car seats, glass: the held-out goods may come
    from families no customs description here covers, so the nomenclature's rows name their
    nodes; a trolley is fabricated steel and its wheels are castors, not automotive parts."""
    labels = training.labeller(training.ROOT / "indexer" / "vocabulary" / "hs_capabilities.toml")
    assert labels("86072100") == ["railway_parts"]  # air brakes of rolling stock
    assert labels("48191000") == ["packaging"]  # corrugated cartons
    assert labels("68138100") == ["brake_parts"]  # brake linings
    assert labels("94012010") == ["vehicle_interior"]  # seats for motor vehicles…
    assert labels("94018000") == []  # …not other seats: no node makes furniture
    assert labels("87169021") == ["casters_wheels"] and labels("87168010") == ["steel_structures"]
    assert labels("85311090") == ["pcb_assembly", "audio_acoustic"]  # alarms and sirens


def test_a_heading_is_labelled_by_what_most_of_its_goods_are(training):
    """84.19 is mostly steamers, dryers and sterilisers (machine builders), not heat exchangers;
    routers and computer boards (85.17, 84.71) are electronics assemblies, not antennas or
    machinery; castors under 83.02 are castors."""
    labels = training.labeller(training.ROOT / "indexer" / "vocabulary" / "hs_capabilities.toml")
    assert labels("84198110") == ["industrial_machinery"] and labels("84195091") == ["heat_exchange"]
    assert labels("85176299") == ["pcb_assembly"] and labels("85177100") == ["antennas_rf"]
    assert labels("84733010") == ["pcb_assembly"] and labels("83022090") == ["casters_wheels"]


def test_plastic_packaging_is_labelled_by_its_subheadings_article(training):
    """39.23 holds boxes (moulded), bottles (blown) and sacks (converted from film, no mould):
    a plastic bag is a packaging firm's, not an injection moulder's."""
    labels = training.labeller(training.ROOT / "indexer" / "vocabulary" / "hs_capabilities.toml")
    assert labels("39232990") == ["packaging"]  # sacks and bags
    assert labels("39233090") == ["packaging", "blow_moulding"]  # bottles and flasks
    assert labels("39231090") == ["packaging", "plastic_injection"]  # boxes and crates


def test_the_shipped_classifier_reads_as_scikit_learn_would_without_importing_it():
    """At run time the classifier transforms text with plain arrays (TermWeights); the numbers
    must be those of the scikit-learn vectorisers it was trained with."""
    import numpy as np

    from indexer.classifier import MODEL_FILE, CapabilityClassifier, load, vectorizers

    shipped = load(__import__("indexer").__path__[0] + "/" + MODEL_FILE)
    words, chars = vectorizers()
    for fitted, plain in ((words, shipped.words), (chars, shipped.chars)):
        fitted.vocabulary_, fitted.idf_ = plain.vocabulary_, plain.idf_
    reference = CapabilityClassifier(words, chars, shipped.concepts, shipped.coef, shipped.intercept)
    texts = [
        "Bản lề bằng hợp kim kẽm, KT: 45x35mm, NSX: Foshan Co., Ltd, mới 100%",
        "Ban le hop kim kem  45x35mm",  # typed plain, with a double space
        "アルミダイカスト部品の調達",
        "",
        "x",
    ]
    assert np.abs(reference.probabilities(texts) - shipped.probabilities(texts)).max() < 1e-5


def test_a_family_left_out_is_known_from_the_nomenclature_alone(training, tmp_path):
    """benchmarks/unseen_families.py trains without one family's customs descriptions; that
    family's nomenclature rows and every other family's descriptions are still learnt."""
    columns = "level,hs_code,heading,chapter,desc_vn,desc_en,path_vn,path_en\n"
    rows = [
        '0,7318,7318,73,"Vít, bu lông","Screws, bolts","Vít, bu lông","Screws, bolts"',
        '0,3926,3926,39,"Các sản phẩm khác bằng plastic","Other articles of plastics","x","x"',
    ]
    (tmp_path / "hs-nomenclature-2022-vi-en.csv").write_text(columns + "\n".join(rows) + "\n", "utf-8")
    customs = tmp_path / "customs-goods" / "descriptions-supporting-industry-chapters.jsonl"
    customs.parent.mkdir()
    declarations = [
        {"hsCode": "73181510", "tenHang": "Bu lông lục giác", "sampleDesc": "Bu lông lục giác M8 bằng thép"},
        {"hsCode": "39269099", "tenHang": "Kẹp nhựa", "sampleDesc": "Kẹp nhựa giữ dây điện, mới 100%"},
    ]
    customs.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in declarations), "utf-8")
    texts, _, _ = training.examples(tmp_path, leave_out=frozenset({"73"}))
    assert "Vít, bu lông" in texts  # the family's nomenclature row
    assert "Bu lông lục giác M8 bằng thép" not in texts and "Bu lông lục giác" not in texts
    assert "Kẹp nhựa giữ dây điện, mới 100%" in texts  # another family's declaration
    everything, _, _ = training.examples(tmp_path)
    assert "Bu lông lục giác M8 bằng thép" in everything


def test_the_unseen_families_benchmark_puts_every_customs_chapter_in_one_family():
    """The customs descriptions cover HS chapters 39-42, 50-60, 72-76, 82-85, 87 and 90
    (../shared/data/README.md); each is in exactly one family, so each query is ranked once, and
    goods of other chapters are in none."""
    from benchmarks.unseen_families import FAMILIES, family_of

    customs = [*range(39, 43), *range(50, 61), *range(72, 77), *range(82, 86), 87, 90]
    chapters = [c for family in FAMILIES.values() for c in family]
    assert sorted(chapters) == sorted(f"{c:02d}" for c in customs)
    assert family_of("73181510") == "metals" and family_of("85365099") == "machinery-electrical-vehicles"
    assert family_of("61091010") is None  # T-shirts: a family the customs data lacks
