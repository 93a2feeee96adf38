"""UI strings in Vietnamese and English; pages pick one by the `lang` cookie (default vi)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from matchmaker.matching.explanations import capability_phrases

LANGUAGES = ("vi", "en")

# key → (Vietnamese, English), from web/messages.toml.
_RAW = tomllib.loads((Path(__file__).parent / "messages.toml").read_text("utf-8"))
MESSAGES: dict[str, tuple[str, str]] = {key: (vi, en) for key, (vi, en) in _RAW.items()}


def error_message(kind: str, detail: str, lang: str) -> str:
    """A validation message in the user's language where we have one, with the detail kept."""
    key = f"error.{kind}"
    if key not in MESSAGES:
        return detail
    text = translate(key, lang)
    return text if lang == "en" or text == detail else f"{text} ({detail})"


def match_sentence(explanation: dict, lang: str, sector_label=lambda code: code) -> str:
    """One line on why a supplier fits, in the reader's language (the API's `summary` is its
    English twin): the requirement's reading, what it makes in its own words, certificates held
    and missing, province, sector, trader, ownership."""
    t = lambda key: translate(key, lang)  # noqa: E731
    parts = []
    reading = explanation.get("requirement_reading") or {}
    if reading.get("item"):
        asked = f"{t('reading.item')}: " + "; ".join(reading["item"][:2])
        if reading.get("material"):
            asked += f" ({', '.join(reading['material'][:2])})"
        if reading.get("component"):
            asked += f" · {t('reading.component')}: " + "; ".join(reading["component"][:2])
        if reading.get("context"):
            asked += f" · {t('reading.context')}: " + "; ".join(reading["context"][:2])
        if reading.get("diacritics_restored"):
            asked += f" · {t('reading.restored')}"
        parts.append(asked)
    made = explanation.get("matched_capabilities") or []
    if made:
        phrases = capability_phrases(made, "label_vi" if lang == "vi" else "label")
        for kind, words in phrases.items():
            if words:
                parts.append(f"{t('why.' + kind)} " + "; ".join(words))
    else:
        parts.append(t("why.nothing_in_common"))
    certificates = explanation.get("certifications") or {}
    if certificates.get("held"):
        parts.append(f"{t('why.holds')} " + ", ".join(certificates["held"]))
    for missing in certificates.get("missing", []):
        status = "" if missing["status"] == "absent" else f" ({t('cert.' + missing['status'])})"
        parts.append(f"{t('why.missing')} {missing['standard']}{status}")
    province = explanation.get("province") or {}
    if province.get("supplier"):
        where = province["supplier"]
        if province.get("as_written") and province["as_written"] != where:
            where += f" ({t('why.written')} {province['as_written']})"
        if province.get("match") == "preferred":
            where += f", {t('why.preferred')}"
        parts.append(where)
    sector = explanation.get("sector") or {}
    if sector.get("match") is False:
        parts.append(f"{t('why.other_sector')}: " + ", ".join(sector_label(s) for s in sector["supplier"]))
    if explanation.get("trader"):
        parts.append(t("why.trader"))
    if explanation.get("ownership", "domestic") != "domestic":
        parts.append(t(f"ownership.{explanation['ownership']}"))
    return "; ".join(parts)


def translate(key: str, lang: str) -> str:
    """The string for `key` in `lang`; the key itself if it is missing (visible, not fatal)."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "vi" else pair[1]
