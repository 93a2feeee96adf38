"""Record → search document: what the engines index and what the ranker reads.

A document carries the original text for the encoder, folded tokens for lexical search, the
taxonomy concepts found (with the writer's own words, for explanations) and the facets the
ranker applies: ownership, province, sectors, certificates, whether the firm only trades.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from indexer.diacritics import as_marked, default_restorer
from indexer.finishes import finishes_second
from indexer.inference import fingerprint as inference_fingerprint
from indexer.inference import infer, infer_offered, item_text, outside_context
from indexer.material_words import with_material_words
from indexer.means import tools_as_means
from indexer.modifiers import MODIFIER_WEIGHT, modifier_starts
from indexer.packing import infer_packing
from indexer.reading import CATEGORY, CONTEXT, ITEM, MATERIAL, NOISE, OTHER, ROLE_WEIGHT, Term, read
from indexer.reading_summary import summary
from indexer.senses import apply_senses
from indexer.taxonomy import Hit, Taxonomy, default_taxonomy
from indexer.trade import rubber_moulding
from indexer.traders import is_trader
from models.vocabulary.certifications import find as find_certifications
from models.vocabulary.provinces import canonical_province, region_of
from models.vocabulary.sectors import canonical_sector, sectors_in_text
from models.vocabulary.text import fold, language_of, nfc, tokens

# Bump when document building changes: every record is then re-indexed (embeddings stay
# cached as long as the embedded text is unchanged).
# (versions before 22: git log)
# 22: plastic goods whose use is packing ("dùng để đóng gói") are a packaging maker's (packing.py);
#     a grade written against Japanese or Chinese ("FC250ねずみ鋳鉄") names its process; industries a
#     Chinese profile serves ("服务于") are context; a head word is read by the goods' use (senses.py);
#     a finish named after the part is its spec (finishes.py); profiles: rubber moulding, labels, "of"
# 23: the classifier reads an English item without its leading material ("Stainless steel hex nuts");
#     a finish next to a named product is its spec ("镀锌螺栓"); a treatment heading the name is bought;
#     CJK heads are last; "dùng" + a verb opens the use; a tonnage is a rating
# 24: "đồng" (copper) and "da" (leather) name a material inside a material clause (material_words.py)
# 25: a tool named as the means of making the goods asks for its process, not the tool (means.py)
# 26: a request typed without diacritics is read with them restored (diacritics.py)
DOCUMENT_VERSION = 26

# Filler words that say nothing about capability (folded).
STOPWORDS = frozenset(
    "va cua cho cac nhung la voi tai tu den trong tren duoc mot nhieu khac theo nhu nay ve hang "
    "nam chuyen cung cap the and of for to in on with by from a an or as at our we is are be "
    "your us it its can per".split()
)
# Company-form words that appear in every name and say nothing about capability.
_COMPANY_FORM = re.compile(
    r"\b(?:cong ty|cty|tnhh|trach nhiem huu han|mot thanh vien|mtv|co phan|jsc|"
    r"co\.?,? ltd\.?|company limited|joint stock company|corporation|corp\.?|inc\.?|llc)\b"
)


@dataclass
class SearchDocument:
    """One indexed record (a supplier or a requirement)."""

    kind: str  # "supplier" | "requirement"
    id: str
    record_hash: str
    embed_text: str
    lexical_text: str
    concept_text: str
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def document_schema() -> str:
    """How documents are built: the layout version and the vocabulary in use."""
    restorer = default_restorer().fingerprint
    return f"{DOCUMENT_VERSION}:{default_taxonomy().fingerprint}:{inference_fingerprint()}:{restorer}"


def record_hash(fields: dict[str, Any]) -> str:
    """Stable hash of a record's content and the document schema: editing the taxonomy
    re-indexes every record on the next `matchmaker index`."""
    blob = json.dumps([document_schema(), fields], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def concept_token(concept_id: str) -> str:
    """A concept as one lexical token (FTS tokenisers split on "_")."""
    return "cx" + concept_id.replace("_", "")


def content_tokens(text: str) -> list[str]:
    """Folded tokens without company-form words, filler words or one-letter noise."""
    cleaned = _COMPANY_FORM.sub(" ", fold(text))
    return [t for t in tokens(cleaned) if t not in STOPWORDS and (len(t) > 1 or not t.isascii())]


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass
class FieldReading:
    """What one or more fields of a record say: concepts, the reading by role, and each folded
    word with the weight of its role (noise dropped), in order."""

    concepts: dict[str, dict[str, Any]] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)
    token_weights: dict[str, float] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)


# A process's word that names its parts ("冲压件" stamped parts, "成形品"): a part, for `read`.
_NAMES_PARTS = re.compile(r"(?:件|品|部品|パーツ|부품)$")


def terms_for_reading(taxonomy: Taxonomy, hits: list[Hit]) -> list[Term]:
    """The lexicon's hits as `read` weighs them: parts, treatments, other finishing, processes."""

    def kind(hit: Hit) -> str:
        concept = taxonomy.concepts[hit.concept]
        if concept.kind == "product" or _NAMES_PARTS.search(hit.surface):
            return "product"
        if concept.kind == "process" and taxonomy.is_secondary(hit.concept):
            return "treatment" if taxonomy.is_treatment(hit.concept) else "finishing"
        return concept.kind

    return [Term(h.start, h.end, kind(h), h.concept) for h in hits]


def _read_fields(
    taxonomy: Taxonomy, texts: list[tuple[str, float]], goods_names: bool = True, request: bool = False
) -> FieldReading:
    """Concepts (concept → {weight, words, role}: the best weight it was found with, and the
    words used), the reading and the role-weighted words of some (text, field weight) pairs.

    A term's weight is its field's weight × its role in the text (the item asked for counts
    fully, its use context hardly: "dây đồng dùng cho động cơ" wants wire, not motors) × the
    node's own weight, halved for a product that only qualifies the head of a goods name, in a
    request ("Móc quần áo" asks for hooks) as in a profile's products ("Khuôn dàn nóng điều hòa":
    the firm makes moulds, its customers heat exchangers). A firm's name and description are no
    goods names (`goods_names` False): "Chuyên sản xuất lò xo" would make "Chuyên" the head.
    Terms inside noise (a manufacturer's name, a brand) are dropped. In a `request` the buyer's
    introduction of itself is context ("We are a motorcycle maker…").
    """
    out = FieldReading()
    for text, weight in texts:
        hits = taxonomy.find(text)
        reading = read(text, terms_for_reading(taxonomy, hits), request, profile=not goods_names)
        hits = with_material_words(reading, hits)
        for role, parts in summary(reading).items():
            known = out.roles.setdefault(role, [])
            known.extend(p for p in parts if p not in known)
        for m in _WORD.finditer(reading.text):
            role = reading.role_at(m.start(), m.end())
            if role == NOISE:
                continue
            for token in content_tokens(m.group(0)):
                out.tokens.append(token)
                value = round(weight * ROLE_WEIGHT[role], 3)
                if value > out.token_weights.get(token, 0.0):
                    out.token_weights[token] = value
        modifiers = modifier_starts(taxonomy, reading, hits, goods_names)
        for hit in hits:
            role = reading.role_at(hit.start, hit.end)
            if role == NOISE:
                continue
            # a treatment in the material clause is the material's finish ("thép mạ kẽm"), no service
            treated = role == MATERIAL and taxonomy.is_treatment(hit.concept)
            # a profile's leading label is the firm's trade ("Xưởng rèn dập nóng: mặt bích, …")
            said = ITEM if role == CATEGORY and not goods_names and not request else role
            value = weight * ROLE_WEIGHT[CONTEXT if treated else said] * taxonomy.concepts[hit.concept].weight
            modifier = said == ITEM and hit.start in modifiers
            if modifier:
                value *= MODIFIER_WEIGHT
            entry = out.concepts.setdefault(hit.concept, {"weight": 0.0, "words": [], "role": role})
            if value > entry["weight"]:
                entry["weight"], entry["role"] = value, role
                if modifier:
                    entry["modifier"] = True
                else:
                    entry.pop("modifier", None)
            if hit.surface not in entry["words"]:
                entry["words"].append(hit.surface)
    return out


def _keep_best(concepts: dict[str, dict[str, Any]], more: dict[str, dict[str, Any]]) -> None:
    """Merge `more` into `concepts`: each concept keeps the weight and role it weighs most with,
    and the words of both (the explanation quotes them)."""
    for cid, entry in more.items():
        known = concepts.get(cid)
        if known is None:
            concepts[cid] = entry
            continue
        words = known["words"] + [w for w in entry["words"] if w not in known["words"]]
        if known["weight"] < entry["weight"]:
            concepts[cid] = known = dict(entry)
        known["words"] = words


def _names_a_capability(taxonomy: Taxonomy, text: str) -> bool:
    return any(taxonomy.concepts[h.concept].kind != "material" for h in taxonomy.find(text))


def supplier_document(record: dict[str, Any], taxonomy: Taxonomy | None = None) -> SearchDocument:
    """Search document for a supplier profile (a `Supplier.to_dict()`)."""
    taxonomy = taxonomy or default_taxonomy()
    name = nfc(record.get("name"))
    description = nfc(record.get("description"))
    products, processes, materials = (record.get(f) or [] for f in ("products", "processes", "materials"))
    capability = "; ".join([*products, *processes, *materials])
    # Each product and process is a goods name with its own head ("vỏ bơm nhôm" is a housing);
    # the first says what the firm is most, the others count as a later clause would.
    names = [n for n in (*products, *processes) if n and n.strip()]
    weighted = [(n, 1.0 if i == 0 else ROLE_WEIGHT[OTHER]) for i, n in enumerate(names)]
    concepts = _read_fields(taxonomy, weighted).concepts
    _keep_best(
        concepts, _read_fields(taxonomy, [(description, 1.0), (name, 1.0)], goods_names=False).concepts
    )
    _inputs(taxonomy, materials, concepts)
    rubber_moulding(concepts)
    # Products the lexicon does not know ("Van tiết lưu", "Chốt con lăn") are read by the
    # classifier, each on its own; a profile where the lexicon knows nothing, as a whole.
    unknown = [p for p in products if not _names_a_capability(taxonomy, p)]
    if not any(taxonomy.concepts[c].kind != "material" for c in concepts):
        unknown = [capability or description]
    infer_offered(taxonomy, concepts, unknown)
    certs = list(record.get("certifications") or [])
    declared = {c["standard"] for c in certs}
    for mention in find_certifications(description):
        if mention.standard not in declared:
            declared.add(mention.standard)
            certs.append(
                {
                    "standard": mention.standard,
                    "status": mention.status,
                    "edition": mention.edition,
                    "raw": mention.text,
                    "source": "description",
                }
            )
    sectors = [s for s in (canonical_sector(x) for x in record.get("sectors") or []) if s]
    if not sectors:
        sectors = sectors_in_text(f"{capability} {description}")
    province = record.get("province_canonical") or canonical_province(record.get("province"))
    extra = {k: v for k, v in record.items() if k not in _SUPPLIER_FIELDS}
    embed_text = ". ".join(p for p in (capability, description, name) if p)
    lexical = " ".join(content_tokens(f"{name} {capability} {description}"))
    return SearchDocument(
        kind="supplier",
        id=record["id"],
        record_hash=record_hash(record),
        embed_text=embed_text,
        lexical_text=lexical,
        concept_text=" ".join(concept_token(c) for c in concepts),
        payload={
            "name": name,
            "ownership": record.get("ownership") or "domestic",
            "province": province,
            "province_raw": record.get("province"),
            "region": region_of(province),
            "sectors": list(dict.fromkeys(sectors)),
            "certifications": certs,
            "concepts": concepts,
            "trader": is_trader(name, description, extra),
            "language": language_of(embed_text),
            "employees": record.get("employees"),
            "tokens": lexical,
        },
    )


def _inputs(taxonomy: Taxonomy, materials: list[str], offered: dict[str, dict[str, Any]]) -> None:
    """What a firm works with is its input, not its trade: a coil winder's "dây đồng" (copper
    wire), a garment maker's "vải cotton", an automation shop's "nhôm định hình" make it no cable,
    fabric or extrusion maker. Such a node is marked `input`: it answers a request's material
    ("quần âu bằng vải polyester"), never its item (matching.concepts)."""
    for cid, entry in _read_fields(taxonomy, [("; ".join(materials), 1.0)]).concepts.items():
        if cid in offered and offered[cid]["weight"] >= entry["weight"]:
            continue
        if taxonomy.concepts[cid].kind != "material":
            entry["input"] = True
        offered[cid] = entry


def _with_makers(taxonomy: Taxonomy, concepts: dict[str, dict[str, Any]]) -> list[str]:
    """A requirement's concepts and the processes that make its products (`made_by`): retrieval
    then also finds the nearest makers when nobody offers the product by name."""
    out = dict.fromkeys(concepts)
    for cid in concepts:
        out.update(dict.fromkeys(taxonomy.concepts[cid].made_by))
    return list(out)


def _reading_text(reading: dict[str, list[str]]) -> str:
    """What the encoder reads of a requirement: the item, its category and material. Brands,
    makers' names, sizes and "mới 100%" only pull the vector off course (measured on customs
    texts: dense-only nDCG@10 0.20 with the whole text, 0.24 with this)."""
    text = "; ".join(reading.get("item", []) + reading.get("category", []))
    if reading.get("material"):
        text += ", " + ", ".join(reading["material"])
    return text.strip(" ,;")


def classifier_text(text: str, taxonomy: Taxonomy | None = None) -> str:
    """What the classifier is asked about a requirement title: its item, category and material
    parts (`infer`). The classifier also learns from this form of each customs description."""
    return item_text(_read_fields(taxonomy or default_taxonomy(), [(nfc(text), 1.0)], request=True).roles)


def requirement_document(record: dict[str, Any], taxonomy: Taxonomy | None = None) -> SearchDocument:
    """Search document for a requirement (a `Requirement.to_dict()`)."""
    taxonomy = taxonomy or default_taxonomy()
    # Typed without diacritics ("Khay nhom dung de dung banh"), it is read with them restored.
    title, description = as_marked(record.get("title")), as_marked(record.get("description"))
    # Words in the title name what is wanted; the description also gives context
    # ("for our motorcycle plant"), so concepts found only there weigh less.
    titled = _read_fields(taxonomy, [(title, 1.0)], request=True)
    described = _read_fields(taxonomy, [(description, 0.6)], request=True)
    concepts, reading = titled.concepts, titled.roles
    _keep_best(concepts, described.concepts)
    # A title that names nothing ("Request 12"): the description says what is wanted.
    roles, field_weight = (reading, 1.0) if item_text(reading) else (described.roles, 0.6)
    items, materials = " ".join(roles.get("item", [])), roles.get("material", [])
    grades = [(outside_context(title, reading), 1.0), (outside_context(description, described.roles), 0.6)]
    infer(taxonomy, concepts, items, item_text(roles), field_weight, materials, grades)
    infer_packing(taxonomy, concepts, items, roles.get("context", []), field_weight)
    tools_as_means(taxonomy, concepts, f"{title}\n{description}", field_weight)
    apply_senses(taxonomy, concepts, roles.get("item", []))
    finishes_second(taxonomy, concepts)
    for role, parts in described.roles.items():
        reading.setdefault(role, []).extend(p for p in parts if p not in reading[role])
    if restored := [
        t[:300]
        for t, typed in ((title, "title"), (description, "description"))
        if t != nfc(record.get(typed))
    ]:
        reading["diacritics_restored"] = restored
    token_weights = {
        t: max(titled.token_weights.get(t, 0.0), described.token_weights.get(t, 0.0))
        for t in titled.token_weights.keys() | described.token_weights.keys()
    }
    provinces = [p for p in (canonical_province(x) for x in record.get("preferred_provinces") or []) if p]
    sector = record.get("sector_code") or canonical_sector(record.get("sector"))
    if not sector:
        inferred = sectors_in_text(f"{title} {description}")
        sector = inferred[0] if inferred else None
    embed_text = _reading_text(reading) or ". ".join(p for p in (title, description) if p)
    lexical = " ".join(titled.tokens + described.tokens)
    return SearchDocument(
        kind="requirement",
        id=record["id"],
        record_hash=record_hash(record),
        embed_text=embed_text,
        lexical_text=lexical,
        concept_text=" ".join(concept_token(c) for c in _with_makers(taxonomy, concepts)),
        payload={
            "title": nfc(record.get("title")),  # as typed; the reading shows any restoring
            "lead_firm": record.get("lead_firm"),
            "sector": sector,
            "required_certifications": list(record.get("required_certifications") or []),
            "preferred_provinces": list(dict.fromkeys(provinces)),
            "preferred_regions": list(dict.fromkeys(r for r in map(region_of, provinces) if r)),
            "include_foreign_owned": bool(record.get("include_foreign_owned")),
            "status": record.get("status") or "open",
            "annual_volume": record.get("annual_volume"),
            "concepts": concepts,
            "reading": reading,
            "tokens": lexical,
            "token_weights": token_weights,
            "language": language_of(embed_text),
        },
    )


_SUPPLIER_FIELDS = {
    "id",
    "name",
    "description",
    "products",
    "processes",
    "materials",
    "sectors",
    "customers",
    "export_markets",
    "certifications",
    "province",
    "province_canonical",
    "ownership",
    "employees",
    "year_established",
}
