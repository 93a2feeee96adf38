"""Generate the bundled sample data and the ranking dev set's relevance judgments.

Deterministic (fixed seed): re-running gives the same files. Writes
  matchmaker/sample_data/suppliers.jsonl     (360 profiles across the eight sectors)
  matchmaker/sample_data/requirements.jsonl  (47 requirements in en/vi/ko/ja/zh)
  benchmarks/data/judgments.jsonl            (graded relevance 0-3 per requirement)

Profiles are Vietnamese (a quarter typed without diacritics), English or mixed; distractors
include capable foreign-owned firms, trading companies, expired and in-progress
certificates, and look-alikes (plastic moulds vs die-casting dies, shoe soles vs machine
bases). Run: python scripts/generate_sample_data.py [OUTPUT_ROOT]
"""

from __future__ import annotations

import json
import random
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sample_archetypes import ARCHETYPES  # noqa: E402
from sample_requirements import REQUIREMENTS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261129
PER_ARCHETYPE = 11

BRANDS = [
    "Hưng Thịnh",
    "Tân Phát",
    "Minh Long",
    "Thành Công",
    "Phú Cường",
    "Việt Tiến",
    "An Phát",
    "Hoàng Gia",
    "Đại Dương",
    "Kim Long",
    "Bảo Minh",
    "Trường Sơn",
    "Hải Đăng",
    "Nam Việt",
    "Phúc Lâm",
    "Đông Á",
    "Sao Mai",
    "Thiên Phú",
    "Quang Minh",
    "Hồng Hà",
    "Tiến Đạt",
    "Vạn Xuân",
    "Thăng Long",
    "Sông Hồng",
    "Đức Anh",
    "Gia Bảo",
    "Hợp Nhất",
    "Nhật Quang",
    "Lộc Phát",
    "Ánh Dương",
    "Bình Minh",
    "Trí Việt",
    "Khải Hoàn",
    "Phương Nam",
    "Đồng Tâm",
]
FOREIGN_BRANDS = [
    "Nakamura",
    "Sanwa",
    "Daiko",
    "Hanil",
    "Sungwoo",
    "Dongbang",
    "Kyoei",
    "Shinwa",
    "Jinhua",
    "Everwin",
    "Taeyang",
    "Fujikura",
]
FORMS_VI = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Cty TNHH"]
CLUSTERS = {
    "automotive": [
        "Hà Nội",
        "Vĩnh Phúc",
        "Phú Thọ",
        "Bắc Ninh",
        "Hải Dương",
        "Hưng Yên",
        "Bình Dương",
        "Đồng Nai",
        "Quảng Nam",
    ],
    "electronics": ["Bắc Ninh", "Bắc Giang", "Thái Nguyên", "Hà Nội", "Hải Phòng", "Phú Thọ"],
    "mechanical_automation": [
        "Hà Nội",
        "Thái Nguyên",
        "Phú Thọ",
        "Hưng Yên",
        "Hải Phòng",
        "TP. Hồ Chí Minh",
        "Đồng Nai",
        "Quảng Ngãi",
    ],
    "textile_garment": ["Nam Định", "Thái Bình", "TP.HCM", "Long An", "Đồng Nai", "Quảng Ninh"],
    "leather_footwear": ["Bình Dương", "Đồng Nai", "Long An", "Hải Phòng", "Thanh Hóa"],
    "energy_equipment": ["Bà Rịa - Vũng Tàu", "Hải Phòng", "Đồng Nai", "Tây Ninh", "Hà Nội"],
    "railway": ["Hà Nội", "Gia Lâm, Hà Nội", "Đà Nẵng", "Hải Phòng"],
    "high_tech": ["Hà Nội", "TP Hồ Chí Minh", "Bắc Ninh"],
}
CUSTOMERS = {
    "automotive": ["Honda", "Yamaha", "Toyota", "VinFast", "Thaco", "Piaggio"],
    "electronics": ["Samsung", "LG", "Canon", "Panasonic", "Foxconn"],
    "mechanical_automation": ["Doosan", "Hòa Phát", "Bosch", "Nidec"],
    "textile_garment": ["May 10", "Việt Tiến", "Uniqlo", "H&M"],
    "leather_footwear": ["Pou Chen", "Changshin", "Nike", "Adidas"],
    "energy_equipment": ["EVN", "PV Power", "Schneider"],
    "railway": ["Đường sắt Việt Nam", "Xí nghiệp đầu máy Hà Nội"],
    "high_tech": ["B. Braun", "Terumo"],
}
CERT_SPELLINGS = {
    "ISO 9001": ["ISO 9001:2015", "ISO9001", "iso 9001", "Chứng chỉ ISO 9001:2015"],
    "IATF 16949": ["IATF 16949:2016", "IATF16949"],
    "ISO 14001": ["ISO 14001:2015", "ISO14001"],
}


def strip_marks(text: str) -> str:
    """Vietnamese typed without diacritics (case kept)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    )


def _certificates(rng: random.Random, arch: dict) -> tuple[list, list[str], str]:
    """(certifications field, standards validly held, extra description sentence)."""
    entries: list = []
    held: list[str] = []
    note = ""
    for standard in arch["certs"]:
        roll = rng.random()
        if roll < 0.45:
            entries.append(rng.choice(CERT_SPELLINGS.get(standard, [standard])))
            held.append(standard)
        elif roll < 0.6:
            entries.append(
                {
                    "standard": standard,
                    "number": f"VN-{rng.randint(10000, 99999)}",
                    "issuer": rng.choice(["Bureau Veritas", "TÜV SÜD", "SGS", "QUACERT"]),
                    "valid_from": "2024-03-01",
                    "valid_until": f"{rng.choice([2029, 2030])}-02-28",
                }
            )
            held.append(standard)
        elif roll < 0.7:  # lapsed: claims it, but the certificate has expired
            entries.append(
                {
                    "standard": standard,
                    "issuer": "SGS",
                    "valid_from": "2021-01-10",
                    "valid_until": f"{rng.choice([2023, 2024, 2025])}-01-09",
                }
            )
        elif roll < 0.78 and standard in ("IATF 16949", "ISO 14001", "ISO 13485"):
            note = f"Đang triển khai {standard}, dự kiến đạt chứng nhận năm 2027."
    return entries, held, note


# A foreign firm's second plant is named after its province.
SECOND_PLANTS = [
    "Hai Phong",
    "Bac Ninh",
    "Dong Nai",
    "Long An",
    "Thai Nguyen",
    "Ha Nam",
    "Hung Yen",
    "Da Nang",
]


def _unique_name(rng: random.Random, name_with, used: set[str]) -> tuple[str, int | None]:
    """`name_with(None)`, or, when another firm already has it, the same kind of firm under
    another own name (or plant) that nobody has: firms are told apart as real ones are, never
    by a stray digit. The random draws are those the generator always made on a clash (and
    `used` keeps the clash keys it always kept), so the rest of the seeded data set stays put.
    Returns the name and the pick it was made with (None: the first choice)."""
    name = clash = name_with(None)
    drawn = 0
    while clash in used:
        drawn += rng.randint(2, 9)
        clash += f" {drawn}"
    used.add(clash)
    if clash == name:
        return name, None
    for k in range(drawn, drawn + len(BRANDS)):
        if (variant := name_with(k)) not in used:
            used.add(variant)
            return variant, k
    raise ValueError(f"no free name for {name}")


def make_supplier(rng: random.Random, number: int, key: str, arch: dict, used: set[str]) -> tuple[dict, dict]:
    style = rng.choices(["vi", "vi_plain", "en", "mixed"], [0.4, 0.25, 0.2, 0.15])[0]
    ownership = rng.choices(["domestic", "joint_venture", "fdi"], [0.78, 0.1, 0.12])[0]
    trader = ownership == "domestic" and rng.random() < 0.08
    sector = arch["sector"]
    brand = rng.choice(BRANDS)
    if ownership == "fdi":
        foreign = rng.choice(FOREIGN_BRANDS)

        def name_with(k: int | None) -> str:
            place = "Vietnam" if k is None else SECOND_PLANTS[k % len(SECOND_PLANTS)]
            return f"{foreign} {arch['core_en']} {place} Co., Ltd"
    elif style == "en":

        def name_with(k: int | None) -> str:
            return (
                f"{strip_marks(brand if k is None else BRANDS[k % len(BRANDS)])} {arch['core_en']} Co., Ltd"
            )
    else:
        form = rng.choice(FORMS_VI)

        def name_with(k: int | None) -> str:
            own = brand if k is None else BRANDS[k % len(BRANDS)]
            return f"{form} {'Thương mại ' if trader else ''}{arch['core_vi']} {own}"

    name, pick = _unique_name(rng, name_with, used)
    if pick is not None and ownership != "fdi":
        brand = BRANDS[pick % len(BRANDS)]  # its website follows its own name
    english = style == "en" or ownership == "fdi"
    products = rng.sample(arch["en_products" if english or style == "mixed" else "vi_products"], k=2)
    processes = rng.sample(
        arch["en_processes" if english else "vi_processes"], k=min(2, len(arch["en_processes"]))
    )
    desc = " ".join(rng.sample(arch["en_desc" if english else "vi_desc"], k=1))
    certs, held, note = _certificates(rng, arch)
    year = rng.randint(1995, 2022)
    employees = rng.choice([25, 40, 60, 80, 120, 180, 250, 400, 650, 1200])
    if english:
        desc += f" Founded in {year}, {employees} employees."
    else:
        desc += f" Thành lập năm {year}, {employees} lao động."
        if note:
            desc += " " + note
    if trader:
        products = rng.sample(arch["vi_products"], k=2)
        processes = []
        desc = (
            f"Nhập khẩu và phân phối {products[0]}, {products[1]} từ Trung Quốc, Đài Loan; "
            "không trực tiếp sản xuất. Kho hàng lớn, giao nhanh."
        )
    province = rng.choice(CLUSTERS[sector])
    record = {
        "id": f"0{100000000 + number * 7919 % 899999999}",
        "name": name,
        "description": desc,
        "products": products,
        "processes": processes,
        "materials": rng.sample(arch["materials"], k=1) if rng.random() < 0.6 else [],
        "sectors": [sector] if rng.random() < 0.7 else [],
        "customers": rng.sample(CUSTOMERS[sector], k=2) if not trader else [],
        "certifications": certs,
        "province": province,
        "ownership": ownership,
        "employees": employees,
        "year_established": year,
    }
    if style == "vi_plain":
        for field in ("name", "description", "province"):
            record[field] = strip_marks(record[field])
        for field in ("products", "processes", "materials"):
            record[field] = [strip_marks(x) for x in record[field]]
    if rng.random() < 0.3:
        record["website"] = f"https://{strip_marks(brand).lower().replace(' ', '')}.vn"
    truth = {"archetype": key, "ownership": ownership, "trader": trader, "held": held}
    return record, truth


def grade(requirement: dict, truth: dict) -> int:
    """Graded relevance: 3 right maker with every required certificate, 2 related or missing
    a certificate, 1 only a trader of the right goods, 0 otherwise (and foreign-owned when
    not asked for)."""
    if truth["ownership"] == "fdi" and not requirement.get("include_foreign_owned"):
        return 0
    if truth["archetype"] == requirement["target"]:
        base = 3
    elif truth["archetype"] in requirement["related"]:
        base = 2
    else:
        return 0
    if truth["trader"]:
        return 1
    missing = [c for c in requirement["required_certifications"] if c not in truth["held"]]
    return base - 1 if missing else base


def main(out: Path = ROOT) -> None:
    rng = random.Random(SEED)
    suppliers, truths, used = [], {}, set()
    number = 0
    for key, arch in ARCHETYPES.items():
        for _ in range(
            PER_ARCHETYPE + (1 if key in ("al_die_casting", "plastic_injection", "cnc_precision") else 0)
        ):
            number += 1
            record, truth = make_supplier(rng, number, key, arch, used)
            suppliers.append(record)
            truths[record["id"]] = truth
    rng.shuffle(suppliers)
    requirements = []
    for spec in REQUIREMENTS:
        record = {k: v for k, v in spec.items() if k not in ("target", "related", "lang")}
        requirements.append(record)
    data = out / "matchmaker" / "sample_data"
    data.mkdir(parents=True, exist_ok=True)
    with (data / "suppliers.jsonl").open("w", encoding="utf-8") as handle:
        for record in suppliers:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (data / "requirements.jsonl").open("w", encoding="utf-8") as handle:
        for record in requirements:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    judgments = out / "benchmarks" / "data" / "judgments.jsonl"
    judgments.parent.mkdir(parents=True, exist_ok=True)
    with judgments.open("w", encoding="utf-8") as handle:
        for spec in REQUIREMENTS:
            grades = {sid: g for sid, t in truths.items() if (g := grade(spec, t)) > 0}
            handle.write(
                json.dumps(
                    {
                        "requirement_id": spec["id"],
                        "lang": spec["lang"],
                        "target": spec["target"],
                        "related": list(spec["related"]),
                        "required_certifications": list(spec["required_certifications"]),
                        "grades": dict(sorted(grades.items())),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    # What each generated firm really is, for benchmarks that grade with rules of their own
    # (the real-text set grades customs descriptions by HS heading → archetype).
    with (out / "benchmarks" / "data" / "supplier_truth.jsonl").open("w", encoding="utf-8") as handle:
        for sid, truth in sorted(truths.items()):
            handle.write(json.dumps({"supplier_id": sid, **truth}, ensure_ascii=False) + "\n")
    print(f"{len(suppliers)} suppliers, {len(requirements)} requirements, judgments for {len(REQUIREMENTS)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
