"""Ranking invariants and explanations, on the real encoder and the small real test set."""

from datetime import date

import numpy as np
import pytest

from indexer.documents import requirement_document, supplier_document
from matchmaker.matching import service as matching
from matchmaker.matching.ranking import Scorer, Weights
from models.search import SearchFilters

IDF = (100, {})
VECTOR = np.ones(4, dtype=np.float32) / 2


def scorer() -> Scorer:
    return Scorer(similarity_range=(0.0, 1.0), today=date(2026, 11, 29))


def supplier(**changes) -> dict:
    record = {
        "id": "S",
        "name": "Công ty Đúc nhôm",
        "description": "Đúc áp lực nhôm, gia công CNC",
        "products": ["vỏ hộp số xe máy"],
        "processes": ["đúc áp lực"],
        "province": "Hà Nội",
        "ownership": "domestic",
        "certifications": [],
    }
    record.update(changes)
    return supplier_document(record).payload


REQUIREMENT = requirement_document(
    {"id": "R", "title": "Aluminium die casting", "required_certifications": ["IATF 16949"]}
).payload


def score(requirement, supplier_payload):
    s = scorer()
    return s.score(s.prepare(requirement, VECTOR, IDF), supplier_payload, VECTOR)


def test_missing_required_certificate_never_outranks_a_comparable_holder():
    holder = score(REQUIREMENT, supplier(certifications=[{"standard": "IATF 16949", "status": "claimed"}]))
    lacking = score(REQUIREMENT, supplier())
    assert holder.score > lacking.score
    assert lacking.explanation["certifications"]["missing"][0]["standard"] == "IATF 16949"
    assert holder.explanation["certifications"]["held"] == ["IATF 16949"]


def test_expired_and_in_progress_certificates_do_not_satisfy_and_say_why():
    expired = score(
        REQUIREMENT,
        supplier(
            certifications=[{"standard": "IATF 16949", "status": "claimed", "valid_until": "2024-01-01"}]
        ),
    )
    pending = score(REQUIREMENT, supplier(description="Đúc áp lực nhôm. Đang triển khai IATF 16949."))
    holder = score(REQUIREMENT, supplier(certifications=[{"standard": "IATF 16949", "status": "claimed"}]))
    for match, status in ((expired, "expired"), (pending, "in_progress")):
        missing = match.explanation["certifications"]["missing"]
        assert missing[0]["status"] == status and missing[0]["standard"] == "IATF 16949"
        assert match.score < holder.score
    assert "2024-01-01" in expired.explanation["certifications"]["missing"][0]["reason"]
    assert "expired" in expired.explanation["summary"]


def test_foreign_owned_excluded_unless_asked_for():
    fdi = supplier(ownership="fdi")
    assert score(REQUIREMENT, fdi) is None
    assert score({**REQUIREMENT, "include_foreign_owned": True}, fdi) is not None
    assert score(REQUIREMENT, supplier(ownership="joint_venture")) is not None


def test_trading_company_ranks_below_the_maker():
    trader = supplier(
        name="Công ty TNHH Thương mại Đúc nhôm",
        description="Nhập khẩu và phân phối chi tiết đúc áp lực nhôm; không trực tiếp sản xuất.",
    )
    maker = supplier()
    assert trader["trader"] and not maker["trader"]
    assert score(REQUIREMENT, trader).score < score(REQUIREMENT, maker).score


def test_preferred_province_counts_with_old_names():
    requirement = {
        **REQUIREMENT,
        **requirement_document(
            {"id": "R", "title": "Aluminium die casting", "preferred_provinces": ["Bắc Ninh"]}
        ).payload,
    }
    old_name = score(requirement, supplier(province="Bắc Giang"))
    elsewhere = score(requirement, supplier(province="Cà Mau"))
    assert old_name.explanation["province"]["match"] == "preferred"
    assert old_name.score > elsewhere.score


def test_explanation_quotes_the_suppliers_own_words():
    match = score(REQUIREMENT, supplier())
    words = {w for c in match.explanation["matched_capabilities"] for w in c["supplier_words"]}
    assert "đúc áp lực" in words
    assert set(match.explanation["components"]) >= {"concept", "dense", "lexical", "capability"}


def test_a_firm_written_in_another_language_is_not_judged_by_shared_words():
    wanted = requirement_document(
        {"id": "R", "title": "Lò xo xoắn bằng thép không gỉ cho bản lề cửa"}
    ).payload
    english = supplier(
        name="Saigon Springs",
        description="Torsion and compression springs",
        products=["torsion springs"],
        processes=["spring coiling"],
    )
    vietnamese = supplier(
        name="Lò xo Sài Gòn",
        description="Lò xo xoắn, lò xo nén",
        products=["lò xo xoắn"],
        processes=["quấn lò xo"],
    )
    assert english["language"] == "en" and vietnamese["language"] == "vi"
    across = score(wanted, english).explanation["components"]
    # no word is shared, but lexical coverage is at least a share of the concepts they share
    assert across["concept"] > 0.5
    floor = Weights().cross_language_lexical_floor
    assert across["lexical"] == pytest.approx(floor * across["concept"], abs=1e-3)
    # in one language the words speak for themselves
    alike = score(wanted, vietnamese).explanation["components"]
    assert alike["lexical"] > floor * alike["concept"]


# ── end to end on the small test set (real encoder, real index) ──────────────


def ids(matches):
    return [m.supplier_id for m in matches]


def test_japanese_requirement_finds_vietnamese_die_casters_first(loaded):
    found = matching.match_requirement(loaded, "R-DC-JA", top=5)
    die_casters = {"0101000001", "0101000002", "0101000003", "0101000005", "0101000006", "0101000015"}
    assert ids(found)[0] == "0101000001"  # the valid IATF holder in the preferred province
    assert set(ids(found)[:4]) <= die_casters
    assert "0101000004" not in ids(matching.match_requirement(loaded, "R-DC-JA", top=15))  # FDI


def test_twin_without_the_certificate_ranks_below_its_twin(loaded):
    ranked = ids(matching.match_requirement(loaded, "R-DC-JA", top=10))
    assert ranked.index("0101000001") < ranked.index("0101000002")


def test_foreign_owned_only_when_the_requirement_asks(loaded):
    for requirement in ("R-DC-JA", "R-SOLE-KO", "R-BASE-VI", "R-MOULD-ZH"):
        found = matching.match_requirement(loaded, requirement, top=15)
        assert all(m.explanation["ownership"] != "fdi" for m in found)
    welcome = matching.match_requirement(loaded, "R-DC-EN", top=5)
    assert "0101000004" in ids(welcome)


def test_look_alikes_rank_below_the_real_thing(loaded):
    soles = ids(matching.match_requirement(loaded, "R-SOLE-KO", top=3))
    assert soles[0] == "0101000010"  # shoe soles, not machine bases
    bases = ids(matching.match_requirement(loaded, "R-BASE-VI", top=3))
    assert bases[0] == "0101000011"  # machine bases, not shoe soles
    moulds = ids(matching.match_requirement(loaded, "R-MOULD-ZH", top=3))
    assert moulds[0] == "0101000008"  # plastic moulds, not die-casting dies


def test_trader_ranks_below_makers(loaded):
    ranked = ids(matching.match_requirement(loaded, "R-DC-JA", top=15))
    makers = [s for s in ("0101000001", "0101000002", "0101000003") if s in ranked]
    assert makers and all(
        ranked.index(m) < ranked.index("0101000007") for m in makers if "0101000007" in ranked
    )


def test_opportunities_score_a_pair_as_match_does(loaded):
    found = matching.opportunities(loaded, "0101000001", top=5)
    assert found[0].requirement_id in {"R-DC-JA", "R-DC-EN"}
    as_match = {
        m.supplier_id: m.score for m in matching.match_requirement(loaded, found[0].requirement_id, top=15)
    }
    assert as_match["0101000001"] == found[0].score


def test_opportunities_say_what_a_supplier_lacks(loaded):
    found = {m.requirement_id: m for m in matching.opportunities(loaded, "0101000002", top=5)}
    missing = found["R-DC-JA"].explanation["certifications"]["missing"]
    assert [m["standard"] for m in missing] == ["IATF 16949"]


def test_search_with_filters(loaded):
    found = matching.search(loaded, "đúc áp lực nhôm", filters=SearchFilters(province="Bắc Giang"), top=5)
    assert ids(found)[0] == "0101000005"  # registered in Bắc Giang, which is Bắc Ninh now
    assert {m.explanation["province"]["supplier"] for m in found} == {"Bắc Ninh"}
    held = matching.search(loaded, "die casting", filters=SearchFilters(certification=["IATF16949"]), top=10)
    assert held and all("IATF 16949" in m.explanation["certifications"]["other_held"] for m in held)


def test_a_profile_is_complete_only_when_nothing_is_left_to_add_and_opportunities_name_the_gap(loaded):
    from matchmaker.records.profiles import completeness, opportunity_gap

    full = {
        "products": ["vỏ nhôm"],
        "processes": ["đúc áp lực"],
        "certifications": [{"standard": "ISO 9001"}],
        "materials": ["ADC12"],
        "description": "…",
        "province": "Hà Nội",
        "phone": "0912",
        "sectors": ["automotive"],
        "customers": ["Honda"],
        "employees": 50,
        "year_established": 2005,
    }
    assert completeness(full) == (100, [])
    percent, hints = completeness({k: v for k, v in full.items() if k != "materials"})
    assert percent < 100 and hints == ["hint.materials"]
    fits = {m.requirement_id: m for m in matching.opportunities(loaded, "0101000005", top=10)}
    gap = opportunity_gap(fits["R-DC-EN"].explanation)  # its IATF 16949 expired
    assert "IATF 16949" in gap["certificates"]


def test_the_numbers_only_path_scores_as_the_explained_one(loaded):
    """Candidates that are not shown are scored without an explanation; their scores, their
    capability for the certificate order and their certificate standing must be the same."""
    from matchmaker.matching import service as matching_service

    suppliers = loaded.backend.fetch("supplier", list(loaded.backend.indexed_hashes("supplier")))
    compared = 0
    for requirement_id in loaded.backend.indexed_hashes("requirement"):
        doc, vector = matching_service.requirement_for(loaded, requirement_id)
        prepared = loaded.scorer.prepare(
            doc.payload, vector, loaded.backend.document_frequencies("supplier"), requirement_id
        )
        for sid, stored in suppliers.items():
            fast = loaded.scorer.score(prepared, stored.payload, stored.vector, sid, explain=False)
            full = loaded.scorer.score(prepared, stored.payload, stored.vector, sid)
            if fast is None:
                assert full is None
                continue
            assert (fast.score, fast.capability) == (full.score, full.capability)
            assert fast.certified == full.certified
            compared += 1
    assert compared >= 50


@pytest.mark.parametrize(
    ("title", "node", "sister", "bare"),
    [
        # Nobody offers pulleys by name: a gear maker's trade is nearer them than a job shop's lathes.
        (
            "Puly đai răng 30 răng, hợp kim nhôm, lỗ trục 12 mm",
            "power_transmission",
            {"id": "G", "name": "Bánh răng Thái Bình", "products": ["bánh răng", "hộp giảm tốc"]},
            {"id": "J", "name": "Cơ khí Tân Tiến", "processes": ["gia công CNC", "tiện CNC"]},
        ),
        # Electromagnets are wound coils: a transformer winder is their nearest maker.
        (
            "Nam châm điện nâng hàng 24V, lực hút 200kg",
            "magnets",
            {"id": "W", "name": "Biến áp Đông Anh", "products": ["máy biến áp", "cuộn dây"]},
            {"id": "P", "name": "Dập Tân Á", "processes": ["dập kim loại"]},
        ),
    ],
)
def test_a_sister_products_maker_comes_before_a_bare_process_for_a_product_nobody_offers(
    title, node, sister, bare
):
    prepared = scorer().prepare(requirement_document({"id": "R", "title": title}).payload, VECTOR, IDF)
    near, far = (scorer().score(prepared, supplier_document(p).payload, VECTOR) for p in (sister, bare))
    assert near.explanation["components"]["concept"] > far.explanation["components"]["concept"]
    credited = [c for c in near.explanation["matched_capabilities"] if c["concept"] == node]
    assert credited and credited[0]["match"] == "made_by"


def test_a_treatment_beside_a_main_trade_makes_no_maker_of_what_its_specialists_make():
    """A moulder's pad printing is no packaging; a printer whose trade is printing makes it."""
    from indexer.taxonomy import default_taxonomy
    from matchmaker.matching.concepts import ConceptMatcher

    matcher = ConceptMatcher(default_taxonomy(), 0.3, 0.5, 0.7)
    boxes = requirement_document({"id": "R", "title": "Hộp giấy in offset đựng tai nghe"}).payload["concepts"]
    moulder = supplier_document(
        {
            "id": "M",
            "name": "Nhựa An Phú",
            "processes": ["ép phun nhựa", "in pad"],
            "products": ["vỏ nhựa ABS"],
        }
    ).payload["concepts"]
    printer = supplier_document({"id": "P", "name": "In Hoàng Gia", "processes": ["in offset"]}).payload[
        "concepts"
    ]
    _, moulded, _ = matcher.agreement(boxes, moulder)
    _, printed, _ = matcher.agreement(boxes, printer)
    assert "packaging" not in {m["concept"] for m in moulded}, moulded
    assert {m["concept"]: m["match"] for m in printed}["packaging"] == "made_by", printed
