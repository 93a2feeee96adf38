"""The shared capability taxonomy, and finding its nodes in free text of five languages.

Buyers and suppliers describe one capability in different languages and words; mapping both
onto these nodes lets a Japanese "ダイカスト" requirement meet a "đúc áp lực nhôm" profile,
and keeps look-alikes apart ("khuôn ép nhựa" plastic moulds vs "khuôn đúc áp lực" dies).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from models.vocabulary.text import fold, has_vietnamese_marks, modern_tones, nfc

KIND_WEIGHT = {"product": 1.0, "process": 1.0, "material": 0.5}
# A node with children ("vehicle parts", "casting") says less about what is wanted than a
# leaf ("shock absorbers", "die casting"), and often only gives context.
GENERAL_WEIGHT = 0.6
LANGUAGES = ("en", "vi", "ko", "ja", "zh")
_BLOCKED = "-"
# How far either side of a plain-typed syllable the text is looked at for diacritics (a word or two).
_NEIGHBOURHOOD = 12


@dataclass(frozen=True)
class Concept:
    """One node: a process, a product family or a material."""

    id: str
    kind: str
    parent: str | None
    labels: dict[str, list[str]] = field(hash=False)
    names: dict[str, str] = field(default_factory=dict, hash=False)
    lookalikes: tuple[str, ...] = ()
    # Who makes this product family when nobody offers it by name (pumps: casting, machining).
    made_by: tuple[str, ...] = ()
    # A finishing operation offered beside a main process (machining after casting, plating).
    secondary: bool = False
    # …of which one that only treats a part (surface, heat, print), shaping nothing.
    treatment: bool = False

    general: bool = False

    @property
    def weight(self) -> float:
        return KIND_WEIGHT.get(self.kind, 1.0) * (GENERAL_WEIGHT if self.general else 1.0)

    def label(self, lang: str = "en") -> str:
        """Display name in a language (vi or en)."""
        if lang in self.names:
            return self.names[lang]
        terms = self.labels.get(lang) or self.labels.get("en") or [self.id]
        return terms[0][:1].upper() + terms[0][1:]


@dataclass(frozen=True)
class Hit:
    """A concept found in text, with the words the writer used for it."""

    concept: str
    surface: str
    start: int
    end: int


class _AlignedFold(dict):
    """character → its folded character (one for one), filled as characters are first seen."""

    def __missing__(self, ch: str) -> str:
        self[ch] = (fold(ch) or ch)[0]
        return self[ch]


_ALIGNED = _AlignedFold()


def _fold_aligned(text: str) -> str:
    """`fold` character by character, so positions in both strings agree."""
    return "".join(map(_ALIGNED.__getitem__, text))


def _latin_key(term: str) -> str:
    """A Latin-script term as matched: folded, a hyphen read as a space ("die-cast")."""
    return fold(term).replace("-", " ")


def _is_cjk_term(term: str) -> bool:
    return any(ord(ch) > 0x2E80 for ch in term)


def _alternation(terms: list[str]) -> str:
    """The terms as one regex shaped like their trie: "ab(?:c|d)?" for ab, abc, abd. Python's
    `re` tries a flat alternation's thousands of terms one by one at every word start; the trie
    shape costs one branch per character instead (find ran about 5 times faster). Longer
    continuations come before stopping, so the longest term that fits wins, as it would in a
    flat alternation sorted longest first."""
    trie: dict = {}
    for term in set(terms):
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}  # a term ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:  # stopping here is the last resort: the group is tried first
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(trie) or "(?!)"


class _PrefixMax:
    """Max over positions 0..i, with point raises (a Fenwick tree): keeps `find` linear-ish in
    the text's length instead of comparing every hit with every kept one."""

    def __init__(self, size: int):
        self._tree = [-1] * (size + 1)

    def raise_to(self, position: int, value: int) -> None:
        i = position + 1
        while i < len(self._tree):
            if self._tree[i] < value:
                self._tree[i] = value
            i += i & -i

    def max_up_to(self, position: int) -> int:
        i, best = position + 1, -1
        while i > 0:
            best = max(best, self._tree[i])
            i -= i & -i
        return best


class Taxonomy:
    """Concept nodes plus the matchers that find them in text."""

    def __init__(
        self,
        concepts: list[Concept],
        blockers: list[str],
        fingerprint: str = "",
        plain_syllables: frozenset[str] = frozenset(),
    ):
        self.fingerprint = fingerprint  # changes whenever the vocabulary does
        self._descendants: dict[str, frozenset[str]] = {}
        self._makers: dict[str, frozenset[str]] = {}
        self._made_with: dict[str, frozenset[str]] | None = None
        # Derived lookups, worked out once: scoring asks them for every candidate.
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._lookalikes: dict[str, frozenset[str]] | None = None
        self._secondary: frozenset[str] | None = None
        self.children: dict[str, list[str]] = {c.id: [] for c in concepts}
        for c in concepts:
            unknown = [m for m in (*c.made_by, *c.lookalikes) if m not in self.children]
            if unknown:
                raise ValueError(f"capabilities.toml: {c.id}: unknown node(s) {', '.join(unknown)}")
        for c in concepts:
            if c.parent:
                self.children[c.parent].append(c.id)
        self.concepts = {c.id: replace(c, general=bool(self.children[c.id])) for c in concepts}
        latin: dict[str, str] = {}  # folded term → concept (English, unmarked Vietnamese)
        marked: dict[str, str] = {}  # Vietnamese phrase with diacritics → concept
        single: dict[str, str] = {}  # one Vietnamese syllable, matched exactly
        cjk: dict[str, str] = {}
        plain_only: set[str] = set()  # plain forms of marked syllables ("soi" for "sợi")
        for c in concepts:
            for lang in LANGUAGES:
                for raw in c.labels.get(lang, []):
                    self._add_term(c.id, lang, raw, latin, marked, single, cjk)
                    if lang == "vi" and modern_tones(nfc(raw).lower()) in plain_syllables:
                        # typed plain ("thep tam", "ong inox"), it is still almost always this word
                        key = _latin_key(raw)
                        if key not in latin and key != nfc(raw).lower():
                            plain_only.add(key)
                        latin.setdefault(key, c.id)
        for raw in blockers:
            self._add_term(_BLOCKED, "vi", raw, latin, marked, single, cjk)
            if not has_vietnamese_marks(raw) and not _is_cjk_term(raw):
                # …typed plain, it also stops a Vietnamese term's plain form: "in an" is English
                # ("moulded in an ISO class 8 cleanroom"), "in ấn" (printing) only with its marks
                latin[_latin_key(raw)] = _BLOCKED
        self._twins = self._ambiguous_folds(concepts)
        # Plain-typed forms only Vietnamese terms have ("day dien", "o to"): words that say a text
        # typed without diacritics is Vietnamese, not English.
        english = {_latin_key(raw) for c in concepts for raw in c.labels.get("en", [])}
        self._vietnamese_only = (
            frozenset(_latin_key(raw) for c in concepts for raw in c.labels.get("vi", [])) - english
        )
        for folded in self._twins:
            latin.pop(folded, None)
        self._latin, self._marked, self._single, self._cjk = latin, marked, single, cjk
        self._plain_only = frozenset(plain_only)
        # Zero-width lookaheads find a match at every start, so overlapping candidates
        # ("chế tạo khuôn" / "khuôn đúc áp lực") all compete on length below.
        self._latin_re = re.compile(
            r"(?<![0-9a-z])(?=((" + _alternation(list(latin)) + r")(?:e?s)?)(?![0-9a-z]))"
        )
        self._marked_re = re.compile(r"(?<!\w)(?=((" + _alternation(list(marked)) + r"))(?!\w))")
        self._single_re = re.compile(r"(?<!\w)(?=((" + _alternation(list(single)) + r"))(?!\w))")
        self._cjk_re = re.compile("(?=((" + _alternation(list(cjk)) + ")))")

    @staticmethod
    def _ambiguous_folds(concepts: list[Concept]) -> dict[str, frozenset[str]]:
        """Plain-typed forms shared by two concepts ("tu dien": tụ điện / tủ điện), with them."""
        owners: dict[str, set[str]] = {}
        for c in concepts:
            for lang in ("en", "vi"):
                for raw in c.labels.get(lang, []):
                    owners.setdefault(_latin_key(raw), set()).add(c.id)
        return {folded: frozenset(ids) for folded, ids in owners.items() if len(ids) > 1}

    def vietnamese_term(self, words: str) -> bool:
        """Whether `words`, as found, are a Vietnamese term: written with its diacritics, or typed
        plain in a form no English term shares ("day dien", not "motor")."""
        return has_vietnamese_marks(words) or _latin_key(words) in self._vietnamese_only

    def twins(self, words: str) -> frozenset[str]:
        """The concepts whose terms fold to the same plain form as `words` ("tủ điện" → switchgear
        and passive components); empty for words that fold to one concept only."""
        return self._twins.get(_latin_key(words), frozenset())

    @staticmethod
    def _add_term(cid, lang, raw, latin, marked, single, cjk) -> None:
        term = modern_tones(nfc(raw).lower())
        if _is_cjk_term(term):
            cjk.setdefault(term, cid)
        elif lang == "vi" and " " not in term and "-" not in term:
            # One Vietnamese syllable is only unambiguous with its diacritics ("máy" machine,
            # "may" sew); English loanwords already listed under `en` stay Latin.
            if _latin_key(term) not in latin:
                single.setdefault(term, cid)
        elif lang == "vi" and has_vietnamese_marks(term):
            marked.setdefault(term, cid)
            latin.setdefault(_latin_key(term), cid)  # the same words typed without diacritics
        else:
            latin.setdefault(_latin_key(term), cid)

    def find(self, text: str | None) -> list[Hit]:
        """Concept hits in a text, in reading order; a term inside a longer one is dropped."""
        original = nfc(text)
        if not original:
            return []
        lowered = modern_tones(original.lower())
        if len(lowered) != len(original):  # a rare character lower-cased to two
            original = lowered
        folded = _fold_aligned(lowered).replace("-", " ")  # "injection-moulded" = "injection moulded"
        found: list[tuple[int, int, str]] = []
        for m in self._marked_re.finditer(lowered):
            found.append((m.start(1), m.end(1), self._marked[m.group(2)]))
        if has_vietnamese_marks(lowered):
            for m in self._single_re.finditer(lowered):
                found.append((m.start(1), m.end(1), self._single[m.group(2)]))
        for m in self._latin_re.finditer(folded):
            # A folded match on text that carries diacritics is a different word
            # ("để may" is not "đế máy"); only unmarked spans may match folded.
            if has_vietnamese_marks(lowered[m.start(1) : m.end(1)]):
                continue
            # …and a syllable read as its marked twin only among words typed plain: with marks
            # beside it, "soi" and "ong" are themselves ("gương soi" a mirror, "tổ ong" honeycomb)
            if m.group(2) in self._plain_only and has_vietnamese_marks(
                lowered[max(0, m.start(1) - _NEIGHBOURHOOD) : m.end(1) + _NEIGHBOURHOOD]
            ):
                continue
            found.append((m.start(1), m.end(1), self._latin[m.group(2)]))
        for m in self._cjk_re.finditer(lowered):
            found.append((m.start(1), m.end(1), self._cjk[m.group(2)]))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        taken = _PrefixMax(len(lowered) + 1)  # end of the longest kept span starting at or before
        hits: list[Hit] = []
        for start, end, cid in found:
            if taken.max_up_to(start) >= end:  # inside a longer term already kept
                continue
            taken.raise_to(start, end)
            if cid != _BLOCKED:
                hits.append(Hit(cid, original[start:end], start, end))
        return sorted(hits, key=lambda h: h.start)

    def lookalikes_of(self, cid: str) -> frozenset[str]:
        """Nodes whose makers are easily taken for makers of `cid` (die-casting dies for die casting)."""
        if self._lookalikes is None:
            found: dict[str, set[str]] = {c: set() for c in self.concepts}
            for c in self.concepts.values():
                for target in c.lookalikes:
                    found[target].add(c.id)
            self._lookalikes = {c: frozenset(ids) for c, ids in found.items()}
        return self._lookalikes[cid]

    def makers_of(self, cid: str) -> frozenset[str]:
        """Nodes whose makers can make `cid`: its `made_by` nodes and everything below them."""
        if cid not in self._makers:
            made_by = self.concepts[cid].made_by
            self._makers[cid] = frozenset(made_by).union(*(self.descendants(m) for m in made_by))
        return self._makers[cid]

    def is_secondary(self, cid: str) -> bool:
        """A finishing operation (or a kind of one): machining, surface treatment, heat treatment."""
        if self._secondary is None:
            self._secondary = frozenset(
                c for c in self.concepts if any(self.concepts[a].secondary for a in (c, *self.ancestors(c)))
            )
        return cid in self._secondary

    def is_treatment(self, cid: str) -> bool:
        """A finishing operation that shapes nothing: plating, heat treatment, printing."""
        return any(self.concepts[a].treatment for a in (cid, *self.ancestors(cid)))

    def root(self, cid: str) -> str:
        """The top node of a node's family ("turning" → "machining")."""
        return (cid, *self.ancestors(cid))[-1]

    def made_with(self, cid: str) -> frozenset[str]:
        """Products whose makers include `cid`'s (the reverse of `makers_of`)."""
        if self._made_with is None:
            reverse: dict[str, set[str]] = {c: set() for c in self.concepts}
            for product in self.concepts:
                for maker in self.makers_of(product):
                    reverse[maker].add(product)
            self._made_with = {c: frozenset(p) for c, p in reverse.items()}
        return self._made_with[cid]

    def ancestors(self, cid: str) -> tuple[str, ...]:
        """Parent, grandparent, … of a node."""
        if cid not in self._ancestors:
            out = []
            parent = self.concepts[cid].parent
            while parent:
                out.append(parent)
                parent = self.concepts[parent].parent
            self._ancestors[cid] = tuple(out)
        return self._ancestors[cid]

    def descendants(self, cid: str) -> frozenset[str]:
        """Every node below this one."""
        if cid not in self._descendants:
            out: set[str] = set()
            stack = list(self.children.get(cid, []))
            while stack:
                child = stack.pop()
                out.add(child)
                stack.extend(self.children.get(child, []))
            self._descendants[cid] = frozenset(out)
        return self._descendants[cid]


@cache
def default_taxonomy() -> Taxonomy:
    """The bundled vocabulary (indexer/vocabulary/capabilities.toml)."""
    raw = resources.files("indexer").joinpath("vocabulary/capabilities.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    concepts = [
        Concept(
            id=item["id"],
            kind=item.get("kind", "product"),
            parent=item.get("parent"),
            labels={lang: item.get(lang, []) for lang in LANGUAGES},
            names=item.get("name", {}),
            lookalikes=tuple(item.get("lookalike", [])),
            made_by=tuple(item.get("made_by", [])),
            secondary=item.get("secondary", False),
            treatment=item.get("treatment", False),
        )
        for item in data["concept"]
    ]
    # One-syllable terms safe to read without diacritics (scripts/build_plain_syllables.py).
    plain = resources.files("indexer").joinpath("vocabulary/plain_syllables.toml").read_text("utf-8")
    syllables = frozenset(modern_tones(nfc(s).lower()) for s in tomllib.loads(plain)["syllables"])
    digest = hashlib.sha256((raw + plain).encode("utf-8")).hexdigest()[:16]
    return Taxonomy(concepts, data.get("blockers", []), digest, syllables)
