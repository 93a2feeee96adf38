"""Vietnamese typed without diacritics, read with them again: "Khay nhom dung de dung banh" →
"Khay nhôm dùng để đựng bánh".

Buyers often type plain. Plain syllables are ambiguous ("nhom": nhôm aluminium or nhóm group;
"bang": bằng "made of" or băng "belt"), and the reader, the lexicon's one-syllable terms, the
classifier and the encoder all read marked text far better: real-tune-cv typed plain scored 0.738
against 0.812 as written. Each plain syllable is given the marked form that its neighbours make
most likely, by counts of syllables and syllable pairs in real Vietnamese goods texts (the HS
nomenclature, the tune half of the customs descriptions, the programme's documents and the
lexicon: scripts/build_diacritics_model.py), chosen over a whole phrase at once (Viterbi).
Words the counts never saw (model codes, English words, brands) are left as typed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from models.vocabulary.text import fold, has_vietnamese_marks, language_of, modern_tones, nfc

MODEL = "vocabulary/diacritics.json.gz"
MODEL_SETTING = "MATCHMAKER_DIACRITICS_MODEL"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A phrase ends at punctuation, a number or a code ("MXS8-10" is no word): pairs are only
# counted, and read, inside one.
_PHRASE = re.compile(r"(?<![^\W_])[^\W\d_]++(?![^\W_])(?:[ \t]+[^\W\d_]++(?![^\W_]))*+", re.UNICODE)
# A foreign firm's legal form is no Vietnamese ("Ningbo Co.,Ltd" is not "Ningbo Có").
_COMPANY_FORM = re.compile(r"\bco\b(?=\.?\s*,?\s*ltd\b)|\bco(?=\.\s*,)", re.IGNORECASE)
# How far a pair's own count is trusted against the syllable's count alone (add-k smoothing of
# the pair with the single syllable's probability).
_SMOOTHING = 2.0
# A form this rare among its plain syllable's uses is a slip ("nhụa" for "nhựa", 2 in 1,217): a
# rare form's few uses would make any pair after it look likely. Counted on the tune-a fold,
# words of the tune-b fold typed plain are restored right 95.4% of the time (95.3% at 0.02).
_RARE_FORM = 0.005
# A text is restored when at least this share of its words are syllables that, typed plain,
# are most often a marked Vietnamese syllable (and at least two such).
PLAIN_SHARE = 0.5
RESTORE_LIMIT = 20_000  # characters


# What follows a phrase when a number or a code ends it ("phi 32": a diameter, not "phí" a fee;
# "mã MXS8-10": a code, not "mạ" plating): read as one more word of the phrase.
NUMBER = "<number>"
_THEN_NUMBER = re.compile(r"[ \t]*(?:\d|[^\W_]*\d)")


def _phrases(text: str) -> Iterable[list[str]]:
    """Each phrase's words, and NUMBER after them where a number or a code follows."""
    for m in _PHRASE.finditer(text):
        words = m.group(0).split()
        yield [*words, NUMBER] if _THEN_NUMBER.match(text, m.end()) else words


def count(texts: Iterable[str]) -> tuple[Counter, Counter]:
    """(syllable counts, pair counts) of lower-cased NFC texts."""
    singles: Counter = Counter()
    pairs: Counter = Counter()
    for text in texts:
        for words in _phrases(modern_tones(nfc(text).lower())):
            singles.update(w for w in words if w != NUMBER)
            pairs.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return singles, pairs


class Restorer:
    """Marked forms for plain Vietnamese syllables, from syllable and pair counts."""

    def __init__(self, singles: dict[str, int], pairs: dict[str, int], english: Iterable[str] = ()):
        self.singles = singles
        self.pairs = pairs
        # English words that spell a Vietnamese syllable typed plain ("to", "the", "can", "long")
        # say nothing about a text being Vietnamese: "Pins to the PCB" is English.
        self.english = frozenset(english)
        self.fingerprint = ""  # of the counts' file, for the document schema
        self.forms: dict[str, list[str]] = {}  # plain syllable → its forms seen, commonest first
        self.totals: dict[str, int] = Counter()  # plain syllable → uses of all its forms
        for form, n in sorted(singles.items(), key=lambda kv: -kv[1]):
            self.totals[fold(form)] += n
        for form, n in sorted(singles.items(), key=lambda kv: -kv[1]):
            plain = fold(form)
            if n >= _RARE_FORM * self.totals[plain] or plain not in self.forms:
                self.forms.setdefault(plain, []).append(form)

    def is_vietnamese(self, word: str) -> bool:
        """Whether a plain word is, most often, a marked Vietnamese syllable typed plain."""
        forms = self.forms.get(word.lower())
        return bool(forms) and has_vietnamese_marks(forms[0]) and word.lower() not in self.english

    def looks_plain(self, text: str) -> bool:
        """Whether a text is Vietnamese typed without diacritics."""
        if has_vietnamese_marks(text):
            return language_of(text) == "vi-plain"
        words = [w for w in _WORD.findall(text.lower()) if len(w) > 1 or w in self.forms]
        if not words:
            return False
        if language_of(text) == "vi-plain":
            return True
        said = sum(1 for w in words if self.is_vietnamese(w))
        return said >= 2 and said >= PLAIN_SHARE * len(words)

    def _log_p(self, previous: str | None, form: str) -> float:
        """log P(form | the previous word's form): the pair's count, smoothed by how often the
        plain syllable is this form at all."""
        alone = 1.0 if form == NUMBER else self.singles.get(form, 0) / self.totals[fold(form)]
        if previous is None:
            return math.log(alone)
        seen = self.singles[previous]
        together = self.pairs.get(f"{previous} {form}", 0)
        return math.log((together + _SMOOTHING * alone) / (seen + _SMOOTHING))

    def restore_phrase(self, words: list[str], then_number: bool = False) -> list[str]:
        """The likeliest marked forms of a phrase's words (Viterbi over each word's forms), with
        what follows it: a number or not."""
        options = [self.forms.get(w.lower()) or [w.lower()] for w in words]
        if then_number:
            options.append([NUMBER])
        scores = {form: self._score(None, form) for form in options[0]}
        back: list[dict[str, str]] = []  # for each later word: its form → the best form before it
        for forms in options[1:]:
            step, pointers = {}, {}
            for form in forms:
                previous = max(scores, key=lambda p: scores[p] + self._score(p, form))
                step[form] = scores[previous] + self._score(previous, form)
                pointers[form] = previous
            scores = step
            back.append(pointers)
        form = max(scores, key=scores.__getitem__)
        chosen = [form]
        for pointers in reversed(back):
            form = pointers[form]
            chosen.append(form)
        chosen = chosen[::-1][: len(words)]
        return [_cased_as(w, f) if w.lower() in self.forms else w for w, f in zip(words, chosen, strict=True)]

    def _score(self, previous: str | None, form: str) -> float:
        """`_log_p` where the counts know the form; a word they never saw costs nothing."""
        if form not in self.singles and form != NUMBER:
            return 0.0
        return self._log_p(previous if previous in self.singles else None, form)

    def restore(self, text: str | None) -> str:
        """The text with its plain Vietnamese syllables marked; anything else as typed."""
        text = nfc(text)
        legal_forms = {m.start() for m in _COMPANY_FORM.finditer(text)}
        out, last = [], 0
        for m in _PHRASE.finditer(text):
            words = re.split(r"([ \t]+)", m.group(0))
            read = words[0::2]
            if m.end() - len(read[-1]) in legal_forms:
                read = read[:-1]
            if read:
                then_number = len(read) == len(words[0::2]) and bool(_THEN_NUMBER.match(text, m.end()))
                words[0 : 2 * len(read) : 2] = self.restore_phrase(read, then_number)
            out.append(text[last : m.start()])
            out.append("".join(words))
            last = m.end()
        out.append(text[last:])
        return modern_tones("".join(out))


def _cased_as(original: str, form: str) -> str:
    """`form` written in `original`'s case: "Khay" → "Khay", "NHOM" → "NHÔM"."""
    if original.isupper() and len(original) > 1:
        return form.upper()
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


@lru_cache(maxsize=1)
def default_restorer() -> Restorer:
    """The bundled counts (or the file MATCHMAKER_DIACRITICS_MODEL names: the benchmark's fold
    experiments count one fold and restore the other)."""
    path = os.environ.get(MODEL_SETTING)
    raw = Path(path).read_bytes() if path else resources.files("indexer").joinpath(MODEL).read_bytes()
    data = json.loads(gzip.decompress(raw).decode("utf-8"))
    restorer = Restorer(data["singles"], data["pairs"], data.get("english", ()))
    restorer.fingerprint = hashlib.sha256(raw).hexdigest()[:16]
    return restorer


def as_marked(text: str | None) -> str:
    """A text typed plain, with its diacritics restored; any other text as it came (NFC). What is
    asked for is said early: a huge field's tail is left as typed (its words fold the same)."""
    text = nfc(text)
    restorer = default_restorer()
    if not text or not restorer.looks_plain(text[:RESTORE_LIMIT]):
        return text
    cut = text.rfind(" ", 0, RESTORE_LIMIT) if len(text) > RESTORE_LIMIT else len(text)
    cut = cut if cut > 0 else min(len(text), RESTORE_LIMIT)
    return restorer.restore(text[:cut]) + text[cut:]
