"""The curated process table (vocabulary/processes.toml), loaded: which maker a part needs
from its form and material, what a material grade or a mould's use names, and when the item
is a machine. `inference` applies it."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from models.vocabulary.text import language_of, nfc


@dataclass(frozen=True)
class ProcessRules:
    """processes.toml as patterns: forms, (form, material) → process rules, grades, tooling."""

    forms: dict[str, re.Pattern[str]]
    rules: list[tuple[frozenset[str], str, str]]  # (forms, material concept, process concept)
    fingerprint: str
    machine_concept: str = "industrial_machinery"
    machine_head: re.Pattern[str] | None = None
    grades: tuple[tuple[re.Pattern[str], str, str], ...] = ()  # (pattern, material, process)
    tooling: tuple[str, dict[str, str]] = ("", {})  # (a mould or die, {node of its use: its kind})
    # ({non-metal material: the process that moulds it}, simple parts metal shops make)
    moulded: tuple[dict[str, str], frozenset[str]] = ({}, frozenset())

    def grades_in(self, text: str) -> list[tuple[str, str, str]]:
        """(grade as written, material, process) for each material grade named in `text`."""
        return [(m.group(0), mat, process) for p, mat, process in self.grades for m in p.finditer(text)]

    def names_a_machine(self, item_words: str) -> bool:
        return bool(self.machine_head and self.machine_head.search(nfc(item_words).lower()))

    def forms_in(self, text: str) -> list[str]:
        """Form names found in `text`, in the order written; a form word inside a longer one of
        another form does not count ("nắp chai" is a container, not the housing "nắp")."""
        lowered = nfc(text).lower()
        spans = [(m.start(), m.end(), name) for name, p in self.forms.items() for m in p.finditer(lowered)]
        return list(
            dict.fromkeys(
                name
                for start, end, name in sorted(spans)
                if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans)
            )
        )

    def head_forms(self, text: str) -> list[str]:
        """The forms of a goods name's head: where it names two specific forms, the head's
        (first in Vietnamese, last in English, Chinese, Japanese and Korean) says how it is made;
        the other qualifies it ("Khung giá đỡ" is a welded frame that carries something, not a
        pressed bracket). A part of unnamed form ("linh kiện") stays beside it."""
        forms = self.forms_in(text)
        specific = [f for f in forms if f != "any"]
        if len(specific) < 2:
            return forms
        head = specific[0] if language_of(text) in ("vi", "vi-plain") else specific[-1]
        return [f for f in forms if f in (head, "any")]


def _form_pattern(terms: list[str]) -> re.Pattern[str]:
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        if any(ord(ch) > 0x2E80 for ch in term):
            parts.append(re.escape(term))
        else:
            parts.append(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])")
    return re.compile("|".join(parts))


@cache
def default_rules() -> ProcessRules:
    raw = resources.files("indexer").joinpath("vocabulary/processes.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    forms = {name: _form_pattern(terms) for name, terms in data["forms"].items()}
    rules = [(frozenset(r["forms"]), r["material"], r["process"]) for r in data["rule"]]
    machine = data["machine"]
    starts = "|".join(re.escape(t) for t in machine["starts"])
    ends = "|".join(re.escape(t) for t in machine["ends"])
    head = re.compile(rf"^(?:{starts})(?=\s)|(?:^|[\s\w])(?:{ends})$")
    grades = tuple(
        (
            re.compile(rf"(?<![0-9A-Za-z_-])(?:{'|'.join(g['patterns'])})(?![0-9A-Za-z_-])", re.I),
            g["material"],
            g["process"],
        )
        for g in data.get("grade", [])
    )
    tooling = (data["tooling"]["concept"], data["tooling"]["by"]) if "tooling" in data else ("", {})
    moulded = data.get("moulded", {})
    moulded_by = (moulded.get("materials", {}), frozenset(moulded.get("products", [])))
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]
    return ProcessRules(forms, rules, digest, machine["concept"], head, grades, tooling, moulded_by)
