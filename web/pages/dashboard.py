"""The programme dashboard: the funnel, contracts, sectors and provinces, demand gaps."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from matchmaker.errors import BadInput
from matchmaker.evaluation import reports
from matchmaker.evaluation import service as evaluation
from matchmaker.evaluation.gaps import demand_gaps
from matchmaker.evaluation.impressions import ranking_quality
from models.vocabulary.provinces import PROVINCES
from models.vocabulary.sectors import sector_label
from web.auth import workspace
from web.i18n import translate
from web.pages.rendering import render
from web.session import (
    language,
)

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, year: int | None = None, province: str = "", ws=Depends(workspace)):
    """The programme's figures with charts, demand gaps and ranking quality from the logs."""
    try:
        with ws.sessions() as session:
            figures = evaluation.summary(
                db_session=session, period=evaluation.Period(year), province=province or None
            )
            quality = ranking_quality(db_session=session)
    except BadInput as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    lang = language(request)
    return render(
        request,
        "dashboard.html",
        figures=figures,
        quality=quality,
        gaps=demand_gaps(ws),
        funnel_chart=reports.funnel_chart(figures, label=lambda stage: translate(f"stage.{stage}", lang)),
        trend_chart=reports.trend_chart(figures),
        sector_chart=reports.breakdown_chart(
            figures, "by_sector", label=lambda code: sector_label(code, lang)
        ),
        province_chart=reports.breakdown_chart(figures, "by_province"),
        year=year,
        province=province,
        provinces=PROVINCES,
        stages=evaluation.FUNNEL,
    )
