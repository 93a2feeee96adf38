"""Count Vietnamese syllables and syllable pairs for restoring diacritics (indexer/diacritics.py).

The counts come from real Vietnamese text this team did not write: the HS nomenclature's
Vietnamese descriptions, the tune half of the customs goods descriptions (the test half is held
out, as for the classifier), and the programme's documents (../shared/seeds); and from the
lexicon's Vietnamese terms, so that its own words are known, and the bundled sample's briefs and
profiles. Pairs seen once are dropped (they weigh little and would double the file).

    python scripts/build_diacritics_model.py [--shared ../shared/data] [--part tune]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.real_text import in_part  # noqa: E402
from indexer.diacritics import MODEL, count  # noqa: E402
from models.vocabulary.text import fold, has_vietnamese_marks  # noqa: E402

MIN_PAIR = 2
# Everyday English a buyer's request uses and the nomenclature's formal English may not.
ENGLISH_EXTRA = "we you need can our to the a an in on at by for of and or with per pcs set lot long tan"


def texts(shared: Path, part: str) -> list[str]:
    with (shared / "hs-nomenclature-2022-vi-en.csv").open(encoding="utf-8") as handle:
        out = [row["desc_vn"] for row in csv.DictReader(handle)]
    customs = shared / "customs-goods" / "descriptions-supporting-industry-chapters.jsonl"
    for line in customs.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if in_part(row["sampleDesc"], part):
            out.extend(v for v in (row["sampleDesc"], row.get("tenHang")) if isinstance(v, str))
    out.extend(p.read_text(encoding="utf-8") for p in sorted((shared.parent / "seeds").glob("*.txt")))
    # The bundled sample's Vietnamese (our own writing, but the one place buyers' briefs and firms'
    # profiles are written out: "cần tìm xưởng", "chuyên sản xuất").
    sample = ROOT / "matchmaker" / "sample_data"
    for name in ("suppliers.jsonl", "requirements.jsonl"):
        for line in (sample / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            fields = ("title", "description", "products", "processes")
            out.extend(v for k in fields for v in _strings(row.get(k)))
    lexicon = tomllib.loads((ROOT / "indexer" / "vocabulary" / "capabilities.toml").read_text("utf-8"))
    out.extend(t for c in lexicon["concept"] for t in c.get("vi", []))
    return out


def english_words(shared: Path, syllables: set[str]) -> list[str]:
    """Words of the nomenclature's English descriptions and the lexicon's English terms that
    spell a Vietnamese syllable typed plain (`syllables`, folded): they do not make a text
    Vietnamese."""
    with (shared / "hs-nomenclature-2022-vi-en.csv").open(encoding="utf-8") as handle:
        texts = [row["desc_en"] for row in csv.DictReader(handle)]
    lexicon = tomllib.loads((ROOT / "indexer" / "vocabulary" / "capabilities.toml").read_text("utf-8"))
    texts.extend(t for c in lexicon["concept"] for t in c.get("en", []))
    texts.append(ENGLISH_EXTRA)
    return sorted({w for t in texts for w in re.findall(r"[a-z]+", t.lower())} & syllables)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value or [] if isinstance(v, str)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--part", default="tune", help="customs descriptions to count: tune, tune-a, …")
    parser.add_argument("--out", type=Path, default=ROOT / "indexer" / MODEL)
    args = parser.parse_args()
    # Text typed plain (the lexicon's plain twins "san xuat", a fifth of the sample's profiles)
    # would teach that plain is how the words are written.
    singles, pairs = count(t for t in texts(args.shared, args.part) if has_vietnamese_marks(t))
    kept = {p: n for p, n in pairs.items() if n >= MIN_PAIR}
    blob = json.dumps(
        {
            "singles": dict(singles),
            "pairs": kept,
            "english": english_words(args.shared, set(map(fold, singles))),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    args.out.write_bytes(gzip.compress(blob.encode("utf-8"), mtime=0))
    print(f"{len(singles)} syllables, {len(kept)} pairs → {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
