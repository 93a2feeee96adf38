"""Every node's own words, asked for in plain requests in five languages, read as that node.

A regression check of the reading rather than of the words: a frame or marker that swallows
the item ("采购电机" read as a machine builder, "Đặt hàng ép phun" as a machine, "tín hiệu" cut
off as a brand) shows up here across hundreds of terms at once."""

import pytest

from indexer.documents import requirement_document
from indexer.process_rules import default_rules
from indexer.taxonomy import default_taxonomy

FRAMES = {
    "en": ["Looking for a supplier of {t}, 10,000 pcs/year", "Sourcing {t} to drawing"],
    "vi": ["Cần tìm nhà cung cấp {t}, số lượng 10.000 cái/năm", "Đặt hàng {t} theo bản vẽ"],
    "ko": ["{t} 공급업체를 찾습니다", "{t} 현지 조달, 연간 1만 개"],
    "ja": ["{t}のサプライヤーを探しています", "{t}を現地調達したい（月産5千個）"],
    "zh": ["我们需要采购{t}，年用量1万件", "寻找{t}供应商，需ISO 9001认证"],
}
TERMS_PER_NODE = 3


@pytest.mark.parametrize("lang", list(FRAMES))
def test_a_node_named_in_a_plain_request_is_what_is_read(lang):
    taxonomy, rules = default_taxonomy(), default_rules()
    asked = wrong = 0
    misread = []
    for cid, concept in taxonomy.concepts.items():
        if concept.kind == "material":
            continue
        family = {cid, *taxonomy.ancestors(cid), *taxonomy.descendants(cid)}
        # A machine's name ("máy tiện", a lathe) asks for the machine: read as its builder.
        terms = [t for t in concept.labels.get(lang, [])[:TERMS_PER_NODE] if not rules.names_a_machine(t)]
        for term in terms:
            for frame in FRAMES[lang]:
                title = frame.format(t=term)
                found = requirement_document({"id": "R", "title": title}).payload["concepts"]
                weights = {
                    c: e["weight"] for c, e in found.items() if taxonomy.concepts[c].kind != "material"
                }
                asked += 1
                if not weights or (
                    max(weights, key=weights.get) not in family
                    and weights.get(cid, 0) < max(weights.values())
                ):
                    wrong += 1
                    misread.append(title)
    assert wrong / asked <= 0.01, misread
