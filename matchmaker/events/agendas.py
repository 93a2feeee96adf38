"""What a schedule looks like on paper and in calendars: the organiser's master grid, each
participant's agenda (printable HTML and PDF), CSV and iCalendar. Every function takes the
schedule as `Schedule.as_dict()` gives it (which is also how it is stored)."""

from __future__ import annotations

import csv
import io
import re
from html import escape
from pathlib import Path
from typing import Any

from matchmaker.events.service import Person
from matchmaker.spreadsheets import safe_row
from models.event import EventIn

Plan = dict[str, Any]
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Source Sans covers Vietnamese and comes from PyPI; CJK text falls back to Noto Sans CJK, which
# also comes from PyPI (noto-cjk-sans-jp-regular: its glyphs cover Japanese, Chinese and
# Korean), or from Debian's fonts-noto-cjk where that is installed.
SYSTEM_CJK_FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]


def _cjk_fonts() -> list[Path]:
    found = []
    try:
        import noto_cjk_sans_jp_regular

        found.append(Path(str(noto_cjk_sans_jp_regular.FONT_PATH)))
    except ImportError:  # an install without it: fall back to the system's font, if any
        pass
    return found + [Path(p) for p in SYSTEM_CJK_FONTS]


def meetings_of(plan: Plan, participant: str) -> list[dict[str, Any]]:
    return sorted(
        (m for m in plan["meetings"] if participant in (m["buyer_id"], m["supplier_id"])),
        key=lambda m: m["start"],
    )


def partner(meeting: dict[str, Any], participant: str) -> str:
    return meeting["supplier_id"] if meeting["buyer_id"] == participant else meeting["buyer_id"]


def to_csv(event: EventIn, plan: Plan, people: dict[str, Person] | None = None) -> str:
    people = people or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["slot", "start", "end", "table", "buyer_id", "buyer_name", "supplier_id", "supplier_name", "score"]
    )
    for m in plan["meetings"]:
        writer.writerow(
            safe_row(
                [
                    m["slot"],
                    m["start"],
                    m["end"],
                    m["table"],
                    m["buyer_id"],
                    _name(people, m["buyer_id"]),
                    m["supplier_id"],
                    _name(people, m["supplier_id"]),
                    m["score"],
                ]
            )
        )
    return buffer.getvalue()


def to_ics(event: EventIn, plan: Plan, participant: str | None = None, people=None) -> str:
    """An iCalendar file of the meetings (of one participant, or all of them)."""
    people = people or {}

    def stamp(value: str) -> str:
        return value.replace("-", "").replace(":", "")[:15]

    def text(value: str) -> str:  # RFC 5545 escaping
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//matchmaker//CNHT B2B//EN"]
    for m in plan["meetings"]:
        if participant and participant not in (m["buyer_id"], m["supplier_id"]):
            continue
        who = f"{_name(people, m['buyer_id'])} – {_name(people, m['supplier_id'])}"
        summary = f"{event.name or event.id}: {who} (table {m['table']})"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.id}-{m['slot']}-{m['table']}@matchmaker",
            f"DTSTART:{stamp(m['start'])}",
            f"DTEND:{stamp(m['end'])}",
            f"SUMMARY:{text(summary)}",
            f"DESCRIPTION:{text(m['buyer_id'] + ' – ' + m['supplier_id'])}",
            f"LOCATION:Bàn / Table {m['table']}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


_PAGE_STYLE = (
    "body{font-family:'Source Sans Pro',system-ui,sans-serif;margin:1.5rem;color:#1d2733}"
    "td,th{border:1px solid #c9d1da;padding:.35rem .5rem;vertical-align:top;text-align:left}"
    "table{border-collapse:collapse}small{color:#5b6b7c}.muted{color:#5b6b7c}"
    "@media print{a,.no-print{display:none}body{margin:0}}"
)


def to_html(event: EventIn, plan: Plan, people: dict[str, Person] | None = None) -> str:
    """The organiser's master grid: slots down, tables across."""
    people = people or {}
    grid = {(m["slot"], m["table"]): m for m in plan["meetings"]}
    head = "".join(f"<th>Bàn / Table {k}</th>" for k in range(1, event.tables + 1))
    rows = []
    for t, slot in enumerate(event.slots):
        cells = "".join(
            f"<td>{escape(_name(people, grid[(t, k)]['buyer_id']))}<br>"
            f"<small>{escape(_name(people, grid[(t, k)]['supplier_id']))}</small></td>"
            if (t, k) in grid
            else "<td></td>"
            for k in range(1, event.tables + 1)
        )
        rows.append(f"<tr><th>{slot.start:%d/%m %H:%M}</th>{cells}</tr>")
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{escape(event.name or event.id)}"
        f"</title><style>{_PAGE_STYLE}td,th{{font-size:.85rem}}</style></head><body>"
        f"<h1>{escape(event.name or event.id)}</h1><p>{len(plan['meetings'])} cuộc gặp / meetings · "
        f"objective {plan['objective']:.2f} · bound {plan['bound']:.2f} · {escape(plan['method'])}</p>"
        f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table></body></html>"
    )


def to_agenda_html(event: EventIn, plan: Plan, participant: str, people=None) -> str:
    """One participant's printable agenda: when, which table, whom, and what they are about."""
    people = people or {}
    me = people.get(participant)
    rows = (
        "".join(
            f"<tr><td>{m['start'][8:10]}/{m['start'][5:7]} {m['start'][11:16]}–{m['end'][11:16]}</td>"
            f"<td>{m['table']}</td><td><strong>{escape(_name(people, partner(m, participant)))}</strong>"
            f"<br><small>{escape(_about(people, partner(m, participant)))}</small></td></tr>"
            for m in meetings_of(plan, participant)
        )
        or "<tr><td colspan='3' class='muted'>Chưa có cuộc gặp nào / No meetings scheduled</td></tr>"
    )
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{escape(me.name if me else participant)} · {escape(event.name or event.id)}</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>"
        f"<h1>{escape(event.name or event.id)}</h1>"
        f"<h2>{escape(me.name if me else participant)} <small>({escape(participant)})</small></h2>"
        "<table><tr><th>Giờ / Time</th><th>Bàn / Table</th><th>Đối tác / Partner</th></tr>"
        f"{rows}</table><p class='no-print'><a href='?format=pdf'>PDF</a> · <a href='?ics=1'>iCalendar</a>"
        "</p></body></html>"
    )


def to_agenda_pdf(event: EventIn, plan: Plan, participant: str, people=None) -> bytes:
    """The same agenda as a PDF (A4), with fonts embedded so Vietnamese prints right anywhere."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    people = people or {}
    me = people.get(participant)
    meetings = meetings_of(plan, participant)
    pdf = FPDF(format="A4")
    pdf.set_title(f"{event.name or event.id} – {participant}")
    partners = [partner(m, participant) for m in meetings]
    printed = [event.name or "", me.name if me else participant]
    printed += [_name(people, p) + " " + _about(people, p) for p in partners]
    _add_fonts(pdf, " ".join(printed))  # every printed string, so a CJK title finds its font
    pdf.add_page()
    pdf.set_font("body", "B", 16)
    pdf.multi_cell(0, 8, event.name or event.id, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "", 13)
    pdf.multi_cell(0, 7, f"{me.name if me else participant} ({participant})", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("body", "", 10)
    header = FontFace(emphasis="BOLD", fill_color=(232, 238, 244))
    with pdf.table(col_widths=(30, 15, 95), headings_style=header, line_height=5.5) as table:
        table.row(["Giờ / Time", "Bàn / Table", "Đối tác / Partner"])
        for m in meetings:
            other = partner(m, participant)
            about = _about(people, other)
            table.row(
                [
                    f"{m['start'][8:10]}/{m['start'][5:7]} {m['start'][11:16]}–{m['end'][11:16]}",
                    str(m["table"]),
                    _name(people, other) + (f"\n{about}" if about else ""),
                ]
            )
        if not meetings:
            table.row(["", "", "Chưa có cuộc gặp nào / No meetings scheduled"])
    return bytes(pdf.output())


def _add_fonts(pdf, text: str) -> None:
    import font_source_sans_pro

    files = Path(font_source_sans_pro.__file__).parent / "files"
    pdf.add_font("body", "", files / "SourceSansPro-Regular.ttf")
    pdf.add_font("body", "B", files / "SourceSansPro-Bold.ttf")
    if CJK.search(text):
        cjk = next((Path(p) for p in _cjk_fonts() if Path(p).exists()), None)
        if cjk is not None:
            pdf.add_font("cjk", "", cjk)
            pdf.add_font("cjk", "B", cjk)
            pdf.set_fallback_fonts(["cjk"], exact_match=False)


def _name(people: dict[str, Person], participant: str) -> str:
    person = people.get(participant)
    return person.name if person else participant


def _about(people: dict[str, Person], participant: str) -> str:
    person = people.get(participant)
    return person.about if person else ""
