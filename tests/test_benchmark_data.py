"""The benchmarks' own data is well formed: a probe that names a maker no sample supplier is,
or a grading rule naming an unknown archetype, would quietly score as a miss."""

import tomllib
import unicodedata

from benchmarks.probes import load_probes
from benchmarks.real_text import HS_MAKERS, supplier_truths


def test_every_probe_names_sample_archetypes_and_is_nfc():
    archetypes = {t["archetype"] for t in supplier_truths().values()}
    probes = load_probes()
    assert len(probes) > 100
    texts = [text for _, _, text in probes]
    assert len(set(texts)) == len(texts), "a probe is listed twice"
    for group, makers, text in probes:
        assert makers <= archetypes, (group, makers - archetypes, text)
        assert unicodedata.normalize("NFC", text) == text, text


def test_the_grading_rule_names_sample_archetypes():
    archetypes = {t["archetype"] for t in supplier_truths().values()}
    rules = tomllib.loads(HS_MAKERS.read_text(encoding="utf-8"))
    for key, rule in rules.items():
        named = set(rule.get("target", [])) | set(rule.get("related", []))
        assert named and named <= archetypes, (key, named - archetypes)
