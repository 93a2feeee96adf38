"""Text normalisation shared by every side: NFC, diacritic folding, tokens for lexical search.

Vietnamese suppliers often type without diacritics ("duc ap luc nhom"), so lexical search runs
on a folded copy of every text, while the encoder always sees the original (folding before
embedding was measured to lose a third of recall).
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# Letters and digits of any script; CJK runs are split further by `tokens`.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_VI_MARKED = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]")


# Control characters (NUL above all: PostgreSQL refuses it in text) are noise from spreadsheets
# and terminals, never content.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def nfc(text: str | None) -> str:
    """Unicode NFC with collapsed whitespace; None becomes ''."""
    if not text:
        return ""
    return _WS.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", str(text)))).strip()


def fold(text: str | None) -> str:
    """Lower-case, diacritic-free copy for lexical matching (đ→d); CJK is kept as is."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # Re-compose so Korean Hangul syllables (decomposed by NFD into jamo) survive intact.
    return unicodedata.normalize("NFC", stripped)


def has_vietnamese_marks(text: str) -> bool:
    """True when the text carries Vietnamese diacritics (so single syllables are unambiguous)."""
    return bool(_VI_MARKED.search(text.lower()))


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese, Japanese or Korean characters."""
    return bool(_CJK.search(text))


def tokens(text: str | None) -> list[str]:
    """Folded word tokens; CJK runs become overlapping character bigrams (no spaces there)."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        if _CJK.search(word) and len(word) > 1:
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
        else:
            out.append(word)
    return out


_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# Syllables frequent in Vietnamese firm and goods texts and rare in English (not those of firm
# names, "Cong ty TNHH", which English profiles carry too): a text typed without diacritics ("San
# xuat khuon nhua cho o to") is Vietnamese where enough of its words are these.
_PLAIN_VIETNAMESE = frozenset(
    "san xuat cac cho chuyen nhom thep linh kien dien khuon nhua bang loai dung hang moi cua voi"
    " trong gia may phu tung chi tiet va lap rap day".split()
)


def language_of(text: str | None) -> str:
    """The language a text is written in, as far as the encoder tells them apart: "ja" (kana),
    "ko" (Hangul), "zh" (other CJK), "vi" (diacritics), "vi-plain" (Vietnamese typed without
    them) or "en" (any other Latin text)."""
    text = nfc(text)
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if has_cjk(text):
        return "zh"
    # By share of words, not any word: an English profile may name its firm "Công ty Đúc Việt".
    words = [w for w in _WORD.findall(text.lower()) if not w.isdigit()]
    if sum(1 for w in words if _VI_MARKED.search(w)) >= max(1, 0.25 * len(words)):
        return "vi"
    plain = [w for w in words if fold(w) in _PLAIN_VIETNAMESE]
    return "vi-plain" if len(set(plain)) >= 2 and len(plain) >= 0.15 * len(words) else "en"


# Old-style tone placement ("hoà", "thuỷ") rewritten to the modern one ("hòa", "thủy").
_TONE_SHIFT = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}


def modern_tones(text: str) -> str:
    """Old-style tone placement rewritten to the modern one: "hoá" → "hóa", "thuỷ" → "thủy"."""

    def shift(m: re.Match[str]) -> str:
        pair = m.group(0)
        return _TONE_SHIFT.get(pair, pair)

    return re.sub(r"o[àáảãạèéẻẽẹ](?![^\W\d_])|u[ỳýỷỹỵ](?![^\W\d_])", shift, text)
