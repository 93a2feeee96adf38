"""The annual programme report in the formats provinces send: JSON, CSV, XLSX and HTML."""

from __future__ import annotations

import csv
import io
import json
from html import escape
from pathlib import Path
from typing import Any

from matchmaker.evaluation.service import FUNNEL
from matchmaker.spreadsheets import safe_row
from models.vocabulary.sectors import sector_label

METRICS = [
    "requirements",
    "suppliers_shortlisted",
    *FUNNEL,
    "rejected",
    "suppliers_contracted",
    "domestic_suppliers_contracted",
    "contract_value_vnd",
]


def _rows(summary: dict[str, Any]) -> list[list[Any]]:
    """One row per scope (total, each sector, each province), one column per metric."""

    def row(scope: str, name: str, figures: dict[str, Any]) -> list[Any]:
        values = [
            figures["funnel"].get(m, figures.get(m)) if m in figures["funnel"] else figures.get(m)
            for m in METRICS
        ]
        return [
            summary["period"],
            scope,
            name,
            *values,
            figures.get("localisation_target_2030", ""),
            figures.get("localisation_target_2035", ""),
        ]

    rows = [row("total", summary.get("province") or "all", summary)]
    rows += [row("sector", sector_label(code), f) for code, f in summary["by_sector"].items()]
    rows += [row("province", name, f) for name, f in summary["by_province"].items()]
    return rows


HEADER = ["period", "scope", "name", *METRICS, "localisation_target_2030", "localisation_target_2035"]
# The HTML report is read by people: each column in Vietnamese and English (CSV/XLSX keep the
# keys above, for programs).
HEADER_LABELS = {
    "period": "Kỳ / Period",
    "scope": "Phạm vi / Scope",
    "name": "Tên / Name",
    "requirements": "Yêu cầu / Requirements",
    "suppliers_shortlisted": "NCC vào danh sách / Suppliers shortlisted",
    "shortlisted": "Đưa vào danh sách / Shortlisted",
    "contacted": "Đã liên hệ / Contacted",
    "meeting": "Đã gặp / Meeting",
    "rfq": "Đã gửi RFQ / RFQ",
    "sample_approved": "Mẫu đạt / Sample approved",
    "audit_passed": "Đánh giá đạt / Audit passed",
    "contract": "Ký hợp đồng / Contract",
    "rejected": "Loại / Rejected",
    "suppliers_contracted": "NCC ký hợp đồng / Suppliers contracted",
    "domestic_suppliers_contracted": "NCC trong nước ký HĐ / Domestic suppliers contracted",
    "contract_value_vnd": "Giá trị HĐ (VND) / Contract value (VND)",
    "localisation_target_2030": "Mục tiêu nội địa hóa 2030 / Localisation target 2030",
    "localisation_target_2035": "Mục tiêu nội địa hóa 2035 / Localisation target 2035",
}


def to_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2)


def to_csv(summary: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(safe_row(r) for r in _rows(summary))
    return buffer.getvalue()


def to_xlsx(summary: dict[str, Any], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Report"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(summary):
        sheet.append(safe_row(row))
    funnel = book.create_sheet("Funnel")
    funnel.append(["stage", "pairs"])
    for stage in FUNNEL:
        funnel.append([stage, summary["funnel"][stage]])
    chart = BarChart()
    chart.type, chart.title, chart.legend = "bar", f"Funnel {summary['period']}", None
    chart.add_data(Reference(funnel, min_col=2, min_row=1, max_row=len(FUNNEL) + 1), titles_from_data=True)
    chart.set_categories(Reference(funnel, min_col=1, min_row=2, max_row=len(FUNNEL) + 1))
    funnel.add_chart(chart, "D2")
    book.save(path)


def _bars(values: dict[str, int], width: int = 420) -> str:
    """An inline SVG bar chart: a funnel is easier to see than to read."""
    top = max(values.values(), default=0) or 1
    height = 24 * len(values) + 8
    # Room for the longest label ("Cơ khí chế tạo, tự động hóa"), at about 7 px a character.
    left = max(80, 10 + 7 * max((len(label) for label in values), default=0))
    parts = [f'<svg width="{width + left + 130}" height="{height}" role="img" aria-label="funnel">']
    for i, (label, value) in enumerate(values.items()):
        y = 4 + 24 * i
        bar = int(width * value / top)
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13">{escape(label)}</text>'
            f'<rect x="{left}" y="{y}" width="{bar}" height="18" fill="#2e8b57"/>'
            f'<text x="{left + 6 + bar}" y="{y + 15}" font-size="13">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def breakdown_chart(summary: dict[str, Any], by: str, stage: str = "contacted", label=lambda key: key) -> str:
    """Pairs that reached `stage`, per sector or province (`by`: by_sector / by_province)."""
    return _bars({label(key): figures["funnel"][stage] for key, figures in summary.get(by, {}).items()})


def trend_chart(summary: dict[str, Any]) -> str:
    """Contracts signed per month, as bars."""
    return _bars({month: counts["contract"] for month, counts in summary.get("trend", {}).items()})


def funnel_chart(summary: dict[str, Any], label=lambda stage: stage) -> str:
    """The period's funnel as an inline SVG (used by the HTML report and the dashboard);
    `label` names each stage in the reader's language."""
    return _bars({label(stage): summary["funnel"][stage] for stage in FUNNEL})


def to_html(summary: dict[str, Any]) -> str:
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r) + "</tr>" for r in _rows(summary)
    )
    head = "".join(f"<th>{escape(HEADER_LABELS.get(h, h))}</th>" for h in HEADER)
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Báo cáo chương trình CNHT / CNHT programme report {escape(summary["period"])}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3rem .5rem;font-size:.9rem}}.wide{{overflow-x:auto;max-width:100%}}
@media print{{@page{{size:A4 landscape}}td,th{{font-size:.7rem}}}}</style></head><body>
<h1>Báo cáo kết quả kết nối cung ứng CNHT / CNHT supply-connection report — {escape(summary["period"])}</h1>
<p>Doanh nghiệp trong nước ký hợp đồng / domestic suppliers contracted:
<strong>{summary["domestic_suppliers_contracted"]}</strong> · giá trị hợp đồng / contract value:
<strong>{summary["contract_value_vnd"]:,} VND</strong></p>
<h2>Phễu / Funnel</h2>{_bars({HEADER_LABELS[s]: summary["funnel"][s] for s in FUNNEL})}
<h2>Chi tiết / Detail</h2><div class="wide"><table><tr>{head}</tr>{rows}</table></div></body></html>"""
