"""Every user-visible string comes from web/i18n.py, in both languages."""

import re
from pathlib import Path

from test_api import server  # noqa: F401  (fixture)

from matchmaker.records.profiles import PUBLIC_FIELDS
from models.event import NOT_HELD_REASONS
from models.outcome import REJECTION_REASONS, STAGES
from web.i18n import MESSAGES

WEB = Path(__file__).parents[1] / "web"
LITERAL = re.compile(r"""\bt(?:ranslate)?\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")
# Keys built at run time from a value, and the values they are built from.
FAMILIES = {
    "stage.": STAGES,
    "reason.": REJECTION_REASONS,
    "ownership.": ("domestic", "joint_venture", "fdi"),
    "events.reason.": NOT_HELD_REASONS,
    "events.": ("held", "not_held"),
    "cert.": ("verified", "claimed", "expired", "not_yet_valid", "in_progress"),
    "gaps.": ("no_domestic_maker", "uncertified_makers"),
    "events.method.": ("milp", "two_stage", "greedy"),
    "events.request.": ("must", "want"),
    "events.why.": ("no_counterpart", "few_counterparts", "few_slots", "taken", "no_common_slot", "no_room"),
    # every public profile field can appear in the provenance table
    "field.": tuple(f for f in PUBLIC_FIELDS if f != "province_canonical"),
}


def test_every_key_used_exists_in_both_languages():
    sources = [*WEB.glob("templates/*.html"), *WEB.rglob("*.py")]
    used = {key for path in sources for key in LITERAL.findall(path.read_text(encoding="utf-8"))}
    used |= {prefix + value for prefix, values in FAMILIES.items() for value in values}
    missing = sorted(k for k in used if k not in MESSAGES)
    assert not missing, f"untranslated keys: {missing}"
    empty = sorted(k for k, (vi, en) in MESSAGES.items() if not vi.strip() or not en.strip())
    assert not empty, f"keys without both languages: {empty}"


def test_the_dashboard_speaks_the_readers_language(server):  # noqa: F811
    vi = server.get("/dashboard").text
    assert "sample_approved" not in vi and "Mẫu đạt" in vi and "· all" not in vi
    en = server.get("/dashboard", params={"lang": "en"}).text
    assert "Sample approved" in en
