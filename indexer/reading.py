"""Reading a requirement or a profile: what is asked for, of what, for what, and what is noise.

Real buyer texts name the thing bought, its material and where it goes: "Piston dùng cho động
cơ xe máy … bằng hợp kim gang … NSX: … mới 100%", "Enamelled copper wire for motor windings",
"モーター巻線用のエナメル銅線". The thing bought (the *item*) must decide the match; its use
(*context*: "dùng cho", "for", "用", "용", "用于") and the customer's industry only colour it;
manufacturer names, brands, model codes, sizes and "mới 100%" (*noise*) say nothing about who
can make it. `read` splits a text into such spans so concepts found in them can be weighed by
role, and the reading is shown to the user ("asked for: piston · material: cast iron ·
context: motorcycle engines").
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from indexer.introductions import introductions
from indexer.markers import (
    CONTEXT_AFTER_ZH,
    CONTEXT_BEFORE_CJK,
    CONTEXT_LATIN,
    FIELD_LABEL,
    FIXING_ZH,
    FOR_WHOM_ZH,
    GENERIC_PART,
    MAKER_BEFORE,
    MATERIAL_LATIN,
    OBJECT_BEFORE_CJK,
    OBJECT_OF_PROCESS_CJK,
    OF,
    PART_OF_LABEL,
    WITH_LATIN,
)
from indexer.noise import FRAMING_RE, MODEL_CODE, NOISE_RE
from models.vocabulary.text import has_cjk, nfc

ITEM, CATEGORY, MATERIAL, CONTEXT, OTHER, NOISE = "item", "category", "material", "context", "other", "noise"
COMPONENT = "component"  # what the goods come with: "seats with steel frame"
# Only the first this many characters are cut into roles (the item comes first; and every
# step below stays linear in what it reads).
READ_LIMIT = 2000

# How much a concept found in a span of each role speaks for what is wanted.
ROLE_WEIGHT = {ITEM: 1.0, CATEGORY: 0.6, MATERIAL: 0.8, OTHER: 0.7, COMPONENT: 0.7, CONTEXT: 0.12}
_PRIORITY = (NOISE, CONTEXT, MATERIAL, COMPONENT, CATEGORY, ITEM)

_FINISHING = ("finishing", "treatment")  # kinds of `Term` that finish a part made before
_JOINED_CJK = re.compile(r"と|和|及|与|、|\s*및\s*|과\s|와\s")
_LIST_COMMA = re.compile(r"\s*[,、，]\s*")
# A use clause that opens with "ngành" (the … industry) names industries; so does a segment with
# an industry word in it ("… and electronics industries", "汽车行业").
_INDUSTRY_OPENS = re.compile(
    r"\s*(?:the\s+|các\s+|cac\s+)?(?:ngành|nganh|lĩnh\s+vực|linh\s+vuc)(?![\w])", re.I
)
_INDUSTRY = re.compile(
    r"(?<![\w])(?:industr(?:y|ies)|sectors?|markets?|ngành|nganh|lĩnh\s+vực)(?![\w])|行业|领域|产业|業界|分野|산업|분야|업계",
    re.IGNORECASE,
)
_GLOSS = re.compile(
    r"[(（]\s*(?!(?:không|ko|khong|chưa|chua|not|non|no|without)(?![\w]))[^\W\d_][^()（）,;:：\n]{1,40}[)）]",
    re.IGNORECASE,
)
# (not a point between digits: "5.000 bộ", "1.2 ly" are numbers, not sentences)
_BOUNDARY = re.compile(r"[,;，；、。!?\n()（）\[\]]|(?<!\d)\.|\.(?!\d)|\s-\s|\s–\s")
# A leading label, within the first sentence: "Linh kiện điện thoại: …", "Requirement: …".
_CATEGORY = re.compile(r"^\s*((?:[^:：,;.。，、；\n]|\.(?=\S)){3,60})[:：]\s*(?=\S)")


@dataclass(frozen=True)
class Term:
    """A lexicon term found in the text, for markers that depend on what is around them."""

    start: int
    end: int
    # "product" (a part, or a process word naming parts: "冲压件"), "treatment" (surface, heat),
    # "finishing" (machining), "process"…
    kind: str
    concept: str = ""  # the lexicon node it names


@dataclass(frozen=True)
class Span:
    role: str
    start: int
    end: int
    text: str


@dataclass
class Reading:
    """A text cut into roles; every character not covered is OTHER."""

    text: str
    spans: list[Span] = field(default_factory=list)
    _roles: list[set[str]] | None = field(default=None, repr=False)

    def role_at(self, start: int, end: int) -> str:
        """The role of a found term: noise, then context, material, category, item, by priority
        among the spans covering at least half of it (past READ_LIMIT: other)."""
        if self._roles is None:  # every character's covering roles, painted once
            self._roles = [set() for _ in range(min(len(self.text), READ_LIMIT))]
            for span in self.spans:
                for i in range(span.start, min(span.end, len(self._roles))):
                    self._roles[i].add(span.role)
        size = max(1, end - start)
        counts: dict[str, int] = {}
        for i in range(start, min(end, len(self._roles))):
            for role in self._roles[i]:
                counts[role] = counts.get(role, 0) + 1
        return next((role for role in _PRIORITY if counts.get(role, 0) * 2 >= size), OTHER)

    def parts(self, role: str) -> list[str]:
        return [s.text for s in self.spans if s.role == role and s.text]


def clean(text: str) -> str:
    """A part's words without the punctuation and particles at its edges."""
    return text.strip(" \t,;:.-–—()（）[]的の").strip()


def _noise_spans(text: str) -> list[Span]:
    spans = [Span(NOISE, m.start(), m.end(), clean(m.group(0))) for m in NOISE_RE.finditer(text)]
    spans += [Span(NOISE, m.start(), m.end(), m.group(0)) for m in MODEL_CODE.finditer(text)]
    spans += [Span(NOISE, m.start(), m.end(), clean(m.group(0))) for m in FRAMING_RE.finditer(text)]
    return [s for s in spans if s.end > s.start]


def _covered(pos: int, spans: list[Span]) -> bool:
    return any(s.start <= pos < s.end for s in spans)


def _clause_end(text: str, start: int) -> int:
    m = _BOUNDARY.search(text, start)
    return m.start() if m else len(text)


def _marker_spans(
    text: str,
    noise: list[Span],
    terms: list[Term] | None = None,
    label_end: int | None = None,
    served: bool = False,
    request: bool = False,
) -> list[Span]:
    """Context and material spans from their markers, each to the end of its clause. A marker in
    a leading category label ends with the label: in "Linh kiện dùng cho động cơ xe máy: Bộ xéc
    măng" the piston rings after the colon are the item, not the engine's context."""
    out: list[Span] = []
    boundaries = [b.end() for b in _BOUNDARY.finditer(text)]
    for regex, role in ((CONTEXT_LATIN, CONTEXT), (MATERIAL_LATIN, MATERIAL)):
        for m in regex.finditer(text):
            if _covered(m.start(), noise):
                continue
            if role == CONTEXT and m.start() == 0 and m.group(0).lower() in ("cho", "để", "giữ", "cố định"):
                continue
            end = _clause_end(text, m.end())
            if role == CONTEXT and request and _makes_what_follows(text, m, end, boundaries):
                continue
            if label_end is not None and m.start() < label_end < end:
                end = label_end
            # A material marker inside a context clause ends it ("dùng cho máy X bằng nhựa"), and
            # a use inside a material clause ends that ("bằng sắt dùng để đúc ống nhựa": the
            # plastic is the pipe's, not the mould's).
            other = MATERIAL_LATIN if role == CONTEXT else CONTEXT_LATIN
            inner = other.search(text, m.end(), end)
            end = (
                inner.start()
                if inner
                else _through_industries(text, m.end(), end, served, terms)
                if role == CONTEXT
                else end
            )
            out.append(Span(role, m.start(), end, clean(text[m.end() : end])))
    # Only the terms of the text read (a huge field's other hits would make every marker slow).
    terms = sorted((t for t in terms or [] if t.end <= len(text)), key=lambda t: t.start)
    # What a shaping process is "of" is what is made ("fabrication of cabinets", "sewing of seat
    # covers": a seat maker's); what a treatment or a finishing process is "of", its object only.
    for m in OF.finditer(text):
        if any(0 <= m.start() - t.end <= 2 for t in terms if t.kind in _FINISHING):
            end = _through_industries(text, m.end(), _clause_end(text, m.end()), terms=terms, goods=True)
            if label_end is not None and m.start() < label_end < end:
                end = label_end
            out.append(Span(CONTEXT, m.start(), end, clean(text[m.end() : end])))
    for m in CONTEXT_AFTER_ZH.finditer(text):
        end = text.find("的", m.end())
        stop = _clause_end(text, m.end())
        end = end if 0 <= end < stop else _through_industries(text, m.end(), stop, served)
        out.append(Span(CONTEXT, m.start(), end, clean(text[m.end() : end])))
    for m in FOR_WHOM_ZH.finditer(text):
        out.append(Span(CONTEXT, m.start(), m.end(1), clean(m.group(1))))
    for m in FIXING_ZH.finditer(text):
        if not text[_clause_start(boundaries, m.start()) : m.start()].strip():
            out.append(Span(CONTEXT, m.start(), m.end(), clean(text[m.start() : m.end()])))
    previous = -1
    for m in CONTEXT_BEFORE_CJK.finditer(text):
        start = _clause_start(boundaries, m.start())
        if m.group("delivered"):
            start = max([start, *(o.end() for o in OBJECT_BEFORE_CJK.finditer(text, start, m.start()))])
        # A second use in one clause begins after the goods the first one was for: in "냉장고
        # 도어용 고무 가스켓 및 브래킷용 볼트" the gaskets are asked for, the brackets are the bolts'.
        if previous > start and (joined := list(_JOINED_CJK.finditer(text, previous, m.start()))):
            start = joined[-1].end()
        previous = m.end()
        out.append(Span(CONTEXT, start, m.end(), clean(text[start : m.start()])))
    for m in OBJECT_OF_PROCESS_CJK.finditer(text):
        owner = next((t for t in reversed(terms) if t.end <= m.start()), None)
        head = next((t for t in terms if t.start >= m.end()), None)
        # Only a part owns: "アルミのダイカスト" is aluminium die casting. Both beside the marker,
        # in one clause ("轴承座的电镀": the 座 after the bearing's word; "高周波焼入れ").
        if not owner or not head or owner.kind != "product" or head.kind not in ("product", *_FINISHING):
            continue
        if m.start() - owner.end > 2 or head.start - m.end() > 4:
            continue
        if _BOUNDARY.search(text, owner.end, head.start):
            continue
        start = _joined_start(text, terms, owner)
        out.append(Span(CONTEXT, start, m.end(), clean(text[start : m.start()])))
    out.extend(_objects_beside_treatment(text, terms, boundaries))
    return out


def _makes_what_follows(text: str, marker: re.Match, end: int, boundaries: list[int]) -> bool:
    """Whether a bare "for" / "cho" follows a maker ("a die caster for motor housings"): the goods
    after it are what is asked for. Not an industry ("a moulder for the automotive industry")."""
    if marker.group(0).lower() not in ("for", "cho"):
        return False
    at = marker.start()
    maker = MAKER_BEFORE.search(text, _clause_start(boundaries, at), at)
    return bool(maker) and not _INDUSTRY.search(text, marker.end(), end)


def _through_industries(
    text: str,
    start: int,
    end: int,
    served: bool = False,
    terms: list[Term] | None = None,
    goods: bool = False,
) -> int:
    """Where a use clause that names industries ends: past the list they are named in, "cho ngành
    ô tô, xe máy và thiết bị gia dụng", "for the automotive, motorcycle and electronics
    industries", "应用于建筑、家电和汽车行业". The firm serves them all; it makes none. In a profile
    (`served`) any short list after a use names whom it serves: "bó dây điện cho ô tô, xe máy và
    thiết bị điện gia dụng"; in a request the next clause may be a spec ("cho máy giặt, mạ kẽm"),
    but not more goods of the kind the use named: in "mạ kẽm cho bu lông, đai ốc" the nuts are
    what is plated, as the bolts are. A treatment's objects (`goods`) run on through any goods:
    "Nhiệt luyện bánh răng, trục, khuôn mẫu"."""
    opened = _INDUSTRY_OPENS.match(text, start) is not None
    used = {t.concept for t in terms or () if t.kind == "product" and start <= t.start and t.end <= end}
    last = position = end
    while comma := _LIST_COMMA.match(text, position):
        position = _clause_end(text, comma.end())
        if goods and (use := CONTEXT_LATIN.search(text, comma.end(), position)):
            position = use.start()  # "…, shafts and moulds for machine shops": the goods end there
        segment = text[comma.end() : position]
        if len(segment.split()) > 10 or len(segment) > 50 or MATERIAL_LATIN.search(segment) or ":" in segment:
            break
        if (
            opened
            or served
            or _INDUSTRY.search(segment)
            or _more_of(terms, used, comma.end(), position, goods)
        ):
            last = position
    return last


def _more_of(terms: list[Term] | None, used: set[str], start: int, end: int, anything: bool = False) -> bool:
    """Whether the clause text[start:end] names only goods of the nodes in `used` (or `anything`)."""
    named = [t for t in terms or () if start <= t.start and t.end <= end]
    ok = bool(named) and (anything or bool(used))
    return ok and all(t.kind == "product" and (anything or t.concept in used) for t in named)


def _joined_start(text: str, terms: list[Term], owner: Term) -> int:
    """Where a run of parts joined by "and" before `owner` begins ("齿轮和轴的热处理"), with the
    material they are named in ("铝散热器": the heat sinks' aluminium, not the goods')."""
    start = owner.start
    for earlier in reversed([t for t in terms if t.end <= owner.start]):
        between = text[earlier.end : start].strip(" 製制质")  # "鋼製ブラケット": steel-made brackets
        if earlier.kind == "material" and start - earlier.end <= 1 and not between:
            return earlier.start
        if earlier.kind != "product" or not _JOINED_CJK.fullmatch(text[earlier.end : start]):
            break
        start = earlier.start
    return start


def _objects_beside_treatment(text: str, terms: list[Term], boundaries: list[int]) -> list[Span]:
    """A part named right beside a surface or heat treatment, with no marker, is its object:
    before it in Chinese, Japanese and Korean ("齿轮热处理", "기어 열처리", "铝散热器阳极氧化"),
    after it in a Vietnamese clause the treatment opens ("Nhiệt luyện bánh răng", "Mạ kẽm bu
    lông"). The service is what is bought; a part the treatment follows ("镀锌螺栓", "Bu lông mạ
    kẽm") is still the item."""
    out = []
    for first, second in itertools.pairwise(terms):
        if second.start - first.end > 1 or text[first.end : second.start].strip():
            continue
        if first.kind == "product" and second.kind == "treatment" and has_cjk(text[first.start : second.end]):
            start = _joined_start(text, terms, first)
            out.append(Span(CONTEXT, start, first.end, clean(text[start : first.end])))
        elif (
            first.kind == "treatment"
            and second.kind == "product"
            and not has_cjk(text[first.start : second.end])
            and not text[_clause_start(boundaries, first.start) : first.start].strip()
        ):
            end = _through_industries(
                text, second.start, _clause_end(text, second.start), terms=terms, goods=True
            )
            out.append(Span(CONTEXT, second.start, end, clean(text[second.start : end])))
    return out


def _item_clause(text: str, start: int, noise: list[Span], intros: list[Span]) -> tuple[int, int]:
    """(start, end) of the clause that names the item: the first that says something, past
    clauses of noise only ("RFQ #2291 – …", "Dear Sir/Madam,") and past the buyer's introduction,
    also where it ends inside a clause ("Công ty chúng tôi sản xuất quạt và cần dây điện")."""
    while start < len(text):
        end = _clause_end(text, start)
        first = next((i for i in range(start, end) if text[i].isalnum() and not _covered(i, noise)), None)
        if first is None:
            start = end + 1
            continue
        intro = next((s for s in intros if s.start <= first < s.end), None)
        if intro is None:
            return start, end
        start = intro.end
    return start, start


def _part_of(text: str, spans: list[Span], start: int, end: int) -> None:
    """Goods named only as a part take their identity from what they are part of: in "Phụ tùng
    của máy bơm nước" or "ポンプ用部品" the pump is their category, not their use (in place)."""
    uses = [i for i, s in enumerate(spans) if s.role == CONTEXT and start <= s.start < end]
    aside = [s for s in spans if s.role in (CONTEXT, NOISE, MATERIAL)]
    own = "".join(ch for i, ch in enumerate(text[start:end], start) if not _covered(i, aside))
    if uses and GENERIC_PART.fullmatch(clean(own)):
        for i in uses:
            spans[i] = Span(CATEGORY, spans[i].start, spans[i].end, spans[i].text)


def _clause_start(boundaries: list[int], position: int) -> int:
    before = bisect.bisect_right(boundaries, position) - 1
    return boundaries[before] if before >= 0 and boundaries[before] <= position else 0


def read(
    text: str | None, terms: list[Term] | None = None, request: bool = False, profile: bool = False
) -> Reading:
    """Cut a text into item, category, material, context, other and noise spans.

    The item is what the first clause names once a leading category label ("Linh kiện điện
    thoại: Màn hình …") and noise are set aside. `terms` says where the lexicon found processes
    and products, for a process's object: "anodising of heat sinks", "歯車の熱処理". In a
    `request`, the buyer's introduction of itself is context, and the item follows it. In a
    firm's `profile` a list after a use ("cho ô tô, xe máy và …") is whom it serves.
    """
    text = nfc(text)
    reading = Reading(text)
    if not text:
        return reading
    # What is asked for is said early; a long description's tail is read as plain text.
    original = text[:READ_LIMIT]
    noise = _noise_spans(original)
    spans = list(noise)
    body_start = 0
    category = _CATEGORY.match(original) or PART_OF_LABEL.match(original)
    if category and not FIELD_LABEL.search(category.group(1).strip()):
        spans.append(Span(CATEGORY, category.start(1), category.end(1), clean(category.group(1))))
        body_start = category.end()
    label_end = category.end(1) if body_start else None
    spans.extend(_marker_spans(original, noise, terms, label_end, profile, request))
    found = introductions(original) if request else []
    intros = [Span(CONTEXT, a, b, clean(original[a:b])) for a, b in found]
    spans.extend(intros)
    # The item: the first clause's words; context, material and noise spans inside it win.
    body_start, first_end = _item_clause(original, body_start, noise, intros)
    # A use that runs on through a list ("为摩托车、家电厂商提供冲压件") takes the item's clause with it.
    for span in spans:
        if span.role == CONTEXT and body_start <= span.start < first_end < span.end:
            first_end = _clause_end(original, span.end)
    # A short gloss in brackets right after it names the same goods: "Măng sông kép (khớp nối
    # nhanh)", "dây điện nối (wire harness)".
    if gloss := _GLOSS.match(original, first_end):
        first_end = gloss.end()
    if joined := WITH_LATIN.search(original, body_start, first_end):
        spans.append(Span(COMPONENT, joined.end(), first_end, clean(original[joined.end() : first_end])))
        first_end = joined.start()
    if not profile:
        _part_of(original, spans, body_start, first_end)
    spans.append(Span(ITEM, body_start, first_end, clean(original[body_start:first_end])))
    reading.spans = sorted(spans, key=lambda s: (s.start, s.end))
    return reading
