"""What a match's explanation says in words: the requirement's reading and a one-line summary
(English; pages render the same fields in the reader's language)."""

from __future__ import annotations

from typing import Any

from models.vocabulary.sectors import sector_label


def reading_of(requirement: dict[str, Any]) -> dict[str, Any]:
    """How the requirement was read: item(s), material(s), use context, noise set aside, and
    what was inferred from them."""
    reading = dict(requirement.get("reading") or {})
    inferred = [e["inferred"] for e in (requirement.get("concepts") or {}).values() if e.get("inferred")]
    if inferred:
        reading["inferred"] = inferred
    return reading


def describe_reading(reading: dict[str, Any]) -> str:
    """ "asked for: piston (cast iron) · context: motorcycle engines", "asked for: bus seats ·
    with: steel frame"."""
    if not reading.get("item"):
        return ""
    text = "asked for: " + "; ".join(reading["item"][:2])
    if reading.get("material"):
        text += f" ({', '.join(reading['material'][:2])})"
    if reading.get("component"):
        text += " · with: " + "; ".join(reading["component"][:2])
    if reading.get("context"):
        text += " · context: " + "; ".join(reading["context"][:2])
    if reading.get("inferred"):
        text += " · " + "; ".join(reading["inferred"][:2])
    if reading.get("diacritics_restored"):
        text += " · typed without diacritics, read with them restored"
    return text


# Matches that say the firm makes what the goods need, not the goods: the process that makes
# them (a foundry for pumps) or parts named for them ("pump housings").
NEAR_MATCHES = frozenset({"made_by", "qualifier"})


def capability_phrases(matched: list[dict[str, Any]], label: str = "label") -> dict[str, list[str]]:
    """The first matched capabilities as "Label (supplier's words)", by what they say: "makes"
    (the firm makes it), "makes_for" (it makes the parts or has the process the goods need) and
    "works_with" (its inputs, answering a requirement's material)."""
    out: dict[str, list[str]] = {"makes": [], "makes_for": [], "works_with": []}
    for c in matched[:4]:
        kind = "works_with" if c.get("input") else "makes_for" if c.get("match") in NEAR_MATCHES else "makes"
        out[kind].append(f"{c[label]} ({', '.join(c['supplier_words'][:2])})")
    return out


def summarise(explanation: dict[str, Any]) -> str:
    """One English line a buyer can read in a list."""
    parts = []
    if read := describe_reading(explanation.get("requirement_reading") or {}):
        parts.append(read)
    caps = explanation["matched_capabilities"]
    if caps:
        phrases = capability_phrases(caps)
        verbs = {
            "makes": "makes",
            "makes_for": "makes parts or has the process for",
            "works_with": "works with",
        }
        for kind, verb in verbs.items():
            if phrases[kind]:
                parts.append(f"{verb} " + "; ".join(phrases[kind]))
    else:
        parts.append("no taxonomy capability in common; text similarity only")
    certs = explanation["certifications"]
    if certs["held"]:
        parts.append("holds " + ", ".join(certs["held"]))
    for missing in certs["missing"]:
        parts.append(
            f"missing {missing['standard']}"
            + (f" ({missing['status'].replace('_', ' ')})" if missing["status"] != "absent" else "")
        )
    province = explanation["province"]
    if province.get("supplier"):
        where = province["supplier"]
        if province.get("as_written") and province["as_written"] != where:
            where += f" (written {province['as_written']})"
        if province["match"] == "preferred":
            where += ", a preferred province"
        parts.append(where)
    if explanation["sector"].get("match") is False:
        parts.append("other sector: " + ", ".join(sector_label(s) for s in explanation["sector"]["supplier"]))
    if explanation["trader"]:
        parts.append("trading company (resells, does not make)")
    if explanation["ownership"] != "domestic":
        parts.append(explanation["ownership"].replace("_", " "))
    return "; ".join(parts)
