"""Server-rendered pages (Vietnamese and English). Views parse forms, check roles and CSRF,
and call the same service functions as the CLI and the JSON API."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as FastPath
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import select

from indexer.provinces import PROVINCES
from indexer.sectors import SECTORS, sector_label
from matchmaker import (
    accounts,
    agendas,
    certificates,
    evaluation,
    events,
    importing,
    indexing,
    matching,
    outcomes,
    provenance,
    reports,
)
from matchmaker import duplicates as dups
from matchmaker.accounts import authenticate, create_token
from matchmaker.errors import BadInput, NotFound
from matchmaker.gaps import demand_gaps
from matchmaker.impressions import log_impressions, ranking_quality
from matchmaker.profiles import PUBLIC_FIELDS, completeness, opportunity_gap, private_details, public_profile
from models.event import NOT_HELD_REASONS, EventIn, TimetableIn
from models.outcome import REJECTION_REASONS, STAGES, Outcome, OutcomeIn
from models.requirement import Requirement, RequirementIn
from models.search import SearchFilters
from models.supplier import Supplier, SupplierIn
from web.auth import workspace
from web.i18n import error_message, match_sentence, translate
from web.session import (
    LoginThrottle,
    check_csrf,
    csrf_token,
    current_account,
    current_principal,
    language,
    sign_in,
    sign_out,
)

router = APIRouter(include_in_schema=False)
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
PAGE_SIZE = 10
CONTACT_VIEWERS = {"buyer", "officer", "admin"}
OPPORTUNITY_FLOOR = 0.2


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    context.update(
        lang=lang,
        t=lambda key: translate(key, lang),
        user=current_principal(request),
        csrf=csrf_token(request),
        sector_label=lambda code: sector_label(code, lang),
        match_sentence=lambda explanation: match_sentence(
            explanation, lang, lambda code: sector_label(code, lang)
        ),
        error_message=error_message,
        path=request.url.path,
        query=str(request.url.query),
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def _form_errors(exc: ValidationError, lang: str) -> list[str]:
    """Each validation error as "field label: message" in the user's language."""
    out = []
    for e in exc.errors(include_url=False):
        field = ".".join(map(str, e["loc"]))
        label = translate(f"field.{field}", lang)
        label = label.split(" (")[0] if label != f"field.{field}" else field
        out.append(f"{label}: {error_message(e['type'], e['msg'].removeprefix('Value error, '), lang)}")
    return out


def _writer(request: Request, what: str):
    """The signed-in principal if it may write `what` (events, records…), else None."""
    who = current_principal(request)
    return who if who and who.may_write(what) else None


def _forbidden(request: Request) -> HTMLResponse:
    return render(request, "error.html", status_code=403, message_key="error.forbidden")


@router.get("/lang/{code}")
def set_language(code: str, next: str = "/"):
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie("lang", code if code in ("vi", "en") else "vi", max_age=365 * 86400, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ws=Depends(workspace)):
    with ws.sessions() as session:
        rows = [
            (r.id, r.lead_firm.name, r.title)
            for r in session.scalars(select(Requirement).order_by(Requirement.id))
        ]
    return render(request, "home.html", requirements=rows, sectors=SECTORS, provinces=PROVINCES)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = "",
    sector: str = "",
    province: str = "",
    certification: str = "",
    ownership: str = "",
    page: int = 1,
    ws=Depends(workspace),
):
    page = max(1, min(page, 20))
    found, error = [], None
    if q.strip():
        try:
            filters = SearchFilters(
                sector=sector,
                province=province,
                certification=certification,
                ownership=[ownership] if ownership else [],
            )
            found = matching.search(ws, q, filters=filters, top=page * PAGE_SIZE + 1)
        except (ValidationError, BadInput) as exc:
            error = str(exc)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    params = {
        "q": q,
        "sector": sector,
        "province": province,
        "certification": certification,
        "ownership": ownership,
    }
    return render(
        request,
        "search.html",
        q=q,
        matches=shown,
        error=error,
        page=page,
        has_next=len(found) > page * PAGE_SIZE,
        params=params,
        sectors=SECTORS,
        provinces=PROVINCES,
        link=lambda p: "/search?" + urlencode({**params, "page": p}),
    )


# ── requirements ─────────────────────────────────────────────────────────────


REQUIREMENT_FIELDS = (
    "id",
    "lead_firm",
    "title",
    "description",
    "sector",
    "required_certifications",
    "preferred_provinces",
    "annual_volume",
)
SUPPLIER_FIELDS = (
    "id",
    "name",
    "description",
    "products",
    "processes",
    "materials",
    "certifications",
    "province",
    "employees",
)


def _form_values(form, fields: tuple[str, ...]) -> dict[str, str]:
    """The named form fields as stripped strings (lists stay ";"-separated for the schema)."""
    return {f: str(form.get(f) or "").strip() for f in fields}


@router.get("/requirements/new", response_class=HTMLResponse)
def new_requirement(request: Request):
    who = current_principal(request)
    if who is None or not who.may_write("requirements"):
        return _forbidden(request)
    return render(request, "requirement_form.html", values={}, errors=[], editing=False)


@router.get("/requirements/{requirement_id}/edit", response_class=HTMLResponse)
def edit_requirement(request: Request, requirement_id: str, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None or not who.may_write("requirements"):
        return _forbidden(request)
    with ws.sessions() as session:
        record = session.get(Requirement, requirement_id)
        if record is None:
            raise HTTPException(404)
        values = record.to_dict()
    for key in ("required_certifications", "preferred_provinces"):
        values[key] = "; ".join(values.get(key) or [])
    return render(request, "requirement_form.html", values=values, errors=[], editing=True)


@router.post("/requirements/save", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def save_requirement(request: Request, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None or not who.may_write("requirements"):
        return _forbidden(request)
    values = _form_values(await request.form(), REQUIREMENT_FIELDS)
    try:
        row = RequirementIn.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as exc:
        errors = _form_errors(exc, language(request))
        return render(
            request,
            "requirement_form.html",
            status_code=422,
            values=values,
            errors=errors,
            editing=bool(values.get("id")),
        )
    importing.save_record(ws, "requirements", row, source=f"web:{who.name}", who=who)
    return RedirectResponse(f"/requirements/{row.id}", status_code=303)


@router.get("/requirements/{requirement_id}", response_class=HTMLResponse)
def requirement_page(request: Request, requirement_id: str, saved: str = "", ws=Depends(workspace)):
    try:
        doc, _ = matching.requirement_for(ws, requirement_id)
        found = matching.match_requirement(ws, requirement_id, top=20)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    who = current_principal(request)
    # The pairs' history (stages, reasons, who recorded) is the firm's and the programme's
    # business: its own buyers and officers see it, nobody else.
    insider = who is not None and accounts.acts_for(who, doc.payload.get("lead_firm"))
    with ws.sessions() as session:
        history = (
            [
                e.to_dict()
                for e in session.scalars(
                    select(Outcome).where(Outcome.requirement_id == requirement_id).order_by(Outcome.id)
                )
            ]
            if insider
            else []
        )
        if who is not None:  # only what signed-in people were shown feeds `ranker train`
            log_impressions(
                db_session=session,
                requirement_id=requirement_id,
                matches=found,
                channel="web",
                viewer_role=who.role,
            )
    return render(
        request,
        "requirement.html",
        requirement=doc,
        matches=found,
        history=history,
        names=_supplier_names(ws, {e["supplier_id"] for e in history}),
        reasons=REJECTION_REASONS,
        stages=STAGES,
        can_record=bool(insider and who.may_write("outcomes")),
        saved=saved,
    )


def _supplier_names(ws, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    with ws.sessions() as session:
        return dict(session.execute(select(Supplier.id, Supplier.name).where(Supplier.id.in_(ids))).all())


@router.post("/requirements/{requirement_id}/outcomes", dependencies=[Depends(check_csrf)])
async def record_outcome(request: Request, requirement_id: str, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None or not who.may_write("outcomes"):
        return _forbidden(request)
    form = await request.form()
    try:
        data = OutcomeIn(
            requirement_id=requirement_id,
            supplier_id=str(form.get("supplier_id") or ""),
            stage=str(form.get("stage") or ""),
            reason=form.get("reason") or None,
            note=form.get("note") or None,
            value_vnd=form.get("value_vnd") or None,
        )
        with ws.sessions() as session:
            outcomes.record_outcome(db_session=session, data=data, recorded_by=who.name, who=who)
    except (ValidationError, BadInput, NotFound) as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse(f"/requirements/{requirement_id}?saved={data.supplier_id}", status_code=303)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, requirement: str, ids: list[str] = Query(default=[]), ws=Depends(workspace)):
    ids = list(dict.fromkeys(ids))[:4]
    try:
        found = {m.supplier_id: m for m in matching.match_requirement(ws, requirement, top=200)}
        doc, _ = matching.requirement_for(ws, requirement)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    chosen = [found[i] for i in ids if i in found]
    return render(request, "compare.html", requirement=doc, matches=chosen)


# ── suppliers ────────────────────────────────────────────────────────────────


@router.get("/suppliers/{supplier_id}", response_class=HTMLResponse)
def supplier_page(request: Request, supplier_id: str, ws=Depends(workspace)):
    with ws.sessions() as session:
        record = session.get(Supplier, supplier_id)
        if record is None:
            raise HTTPException(404)
        profile = record.to_dict()
        merged_into = record.merged_into
    who = current_principal(request)
    contacts = private_details(profile)
    sees_contacts = bool(who and (who.role in CONTACT_VIEWERS or who.may_write("suppliers", supplier_id)))
    percent, hints = completeness(profile)
    # Only requirements with real evidence of fit; a list of near-zero scores helps nobody.
    fits = (
        []
        if merged_into
        else [m for m in matching.opportunities(ws, supplier_id, top=5) if m.score >= OPPORTUNITY_FLOOR]
    )
    sources = provenance.field_sources(ws, supplier_id)
    return render(
        request,
        "supplier.html",
        profile=profile if sees_contacts else public_profile(profile),
        merged_into=merged_into,
        certificates=[certificates.standing(c) for c in profile.get("certifications") or []],
        freshness=provenance.freshness(ws, supplier_id),
        # Public: which kind of source and when; private fields' origins only for contact viewers.
        sources={
            f: {**src, **provenance.describe_source(src["source"])}
            for f, src in sources.items()
            if f in PUBLIC_FIELDS or sees_contacts
        },
        percent=percent,
        hints=hints,
        opportunities=fits,
        gaps={m.requirement_id: opportunity_gap(m.explanation) for m in fits},
        contacts=contacts if sees_contacts else None,
        can_edit=bool(who and who.may_write("suppliers", supplier_id)),
        is_officer=bool(who and who.may_write("records")),
    )


@router.post(
    "/suppliers/{supplier_id}/confirm", response_class=HTMLResponse, dependencies=[Depends(check_csrf)]
)
def confirm_profile(request: Request, supplier_id: str, ws=Depends(workspace)):
    """The supplier (or an officer) says the profile is still accurate."""
    who = current_principal(request)
    if who is None or not who.may_write("suppliers", supplier_id):
        return _forbidden(request)
    provenance.confirm(ws, supplier_id, who.name)
    return RedirectResponse(f"/suppliers/{supplier_id}", status_code=303)


@router.post(
    "/suppliers/{supplier_id}/certificates/verify",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def verify_certificate(request: Request, supplier_id: str, ws=Depends(workspace)):
    """An officer marks a certificate verified, with a link to the evidence."""
    who = _writer(request, "records")
    if who is None:
        return _forbidden(request)
    form = await request.form()
    try:
        certificates.verify(
            ws,
            supplier_id,
            str(form.get("standard", "")),
            by=who.name,
            evidence=str(form.get("evidence") or "").strip() or None,
        )
    except (BadInput, NotFound) as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse(f"/suppliers/{supplier_id}", status_code=303)


# ── officers' record keeping ─────────────────────────────────────────────────


@router.get("/records", response_class=HTMLResponse)
def records_page(request: Request, ws=Depends(workspace)):
    """Duplicates to review, merges to undo, stale profiles, certificates about to lapse."""
    who = _writer(request, "records")
    if who is None:
        return _forbidden(request)
    pairs = dups.find_duplicates(ws)
    with ws.sessions() as session:
        ids = {p.a for p in pairs} | {p.b for p in pairs}
        names = dict(session.execute(select(Supplier.id, Supplier.name).where(Supplier.id.in_(ids))).all())
    return render(
        request,
        "records.html",
        pairs=pairs[:200],
        total_pairs=len(pairs),
        names=names,
        merges=dups.merges(ws)[:50],
        stale=provenance.stale_suppliers(ws)[:100],
        expiring=certificates.expiring(ws)[:100],
    )


@router.post("/records/merge", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def merge_records(request: Request, ws=Depends(workspace)):
    who = _writer(request, "records")
    if who is None:
        return _forbidden(request)
    form = await request.form()
    try:
        dups.merge(
            ws,
            str(form.get("survivor_id", "")),
            str(form.get("merged_id", "")),
            by=who.name,
            reasons=[r for r in str(form.get("reasons", "")).split(" | ") if r],
        )
    except (BadInput, NotFound) as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse("/records#merges", status_code=303)


@router.post(
    "/records/merges/{merge_id}/undo", response_class=HTMLResponse, dependencies=[Depends(check_csrf)]
)
def undo_merge(request: Request, merge_id: int = FastPath(ge=1, le=2**31 - 1), ws=Depends(workspace)):
    who = _writer(request, "records")
    if who is None:
        return _forbidden(request)
    try:
        dups.undo(ws, merge_id, by=who.name)
    except (BadInput, NotFound) as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse("/records#merges", status_code=303)


@router.get("/suppliers/{supplier_id}/edit", response_class=HTMLResponse)
def edit_supplier(request: Request, supplier_id: str, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None or not who.may_write("suppliers", supplier_id):
        return _forbidden(request)
    with ws.sessions() as session:
        record = session.get(Supplier, supplier_id)
        values = record.to_dict() if record else {"id": supplier_id}
    for key in ("products", "processes", "materials"):
        values[key] = "; ".join(values.get(key) or [])
    values["certifications"] = "; ".join(
        c.get("raw") or c["standard"] for c in values.get("certifications") or []
    )
    return render(request, "supplier_form.html", values=values, errors=[])


@router.post("/suppliers/save", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def save_supplier(request: Request, ws=Depends(workspace)):
    values = _form_values(await request.form(), SUPPLIER_FIELDS)
    who = current_principal(request)
    if who is None or not who.may_write("suppliers", values.get("id")):
        return _forbidden(request)
    data = {k: v for k, v in values.items() if v}
    if "certifications" in data:  # facts on file (dates, verification) survive a form edit
        with ws.sessions() as session:
            record = session.get(Supplier, values.get("id"))
            current = record.certifications if record else []
        data["certifications"] = certificates.keep_known(
            current, [part for part in str(data["certifications"]).split(";") if part.strip()]
        )
    try:
        row = SupplierIn.model_validate(data)
    except ValidationError as exc:
        errors = _form_errors(exc, language(request))
        return render(request, "supplier_form.html", status_code=422, values=values, errors=errors)
    importing.save_record(ws, "suppliers", row, source=f"web:{who.name}")
    return RedirectResponse(f"/suppliers/{row.id}", status_code=303)


# ── sign in ──────────────────────────────────────────────────────────────────


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", next=next, error=None)


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def login(request: Request, ws=Depends(workspace)):
    form = await request.form()
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    target = str(form.get("next") or "/")
    target = target if target.startswith("/") and not target.startswith("//") else "/"
    client = request.client.host if request.client else "?"
    throttle: LoginThrottle = request.app.state.login_throttle
    if throttle.blocked(client, email):
        return render(request, "login.html", status_code=429, next=target, error="login.throttled")
    with ws.sessions() as session:
        account = authenticate(db_session=session, email=email, password=password)
    if account is None:
        throttle.failed(client, email)
        return render(request, "login.html", status_code=401, next=target, error="login.failed")
    throttle.succeeded(client, email)
    request.session.clear()
    sign_in(request, account)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request):
    sign_out(request)
    return RedirectResponse("/", status_code=303)


# ── officers' import ─────────────────────────────────────────────────────────

IMPORT_ROLES = {"officer", "admin"}


def _may_import(request: Request) -> bool:
    who = current_principal(request)
    return who is not None and who.role in IMPORT_ROLES


def _import_kind(form) -> str:
    return "requirements" if form.get("kind") == "requirements" else "suppliers"


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request):
    if not _may_import(request):
        return _forbidden(request)
    return render(request, "import.html", report=None, upload=None, kind="suppliers", done=None)


@router.post("/import", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def import_check(request: Request, ws=Depends(workspace)):
    """Step 1: keep the upload and show what it would do (every bad row, or the counts)."""
    if not _may_import(request):
        return _forbidden(request)
    form = await request.form()
    kind = _import_kind(form)
    upload = form.get("file")
    suffix = Path(getattr(upload, "filename", "") or "").suffix.lower()
    if upload is None or suffix not in (".csv", ".xlsx", ".jsonl"):
        return render(
            request,
            "import.html",
            status_code=422,
            report=None,
            upload=None,
            kind=kind,
            done=None,
            error="file: choose a .csv, .xlsx or .jsonl file",
        )
    name = f"{secrets.token_hex(8)}{suffix}"
    uploads = ws.settings.data_dir / "uploads"
    uploads.mkdir(exist_ok=True)
    (uploads / name).write_bytes(await upload.read())
    with ws.sessions() as session:
        report = importing.import_file(db_session=session, kind=kind, path=uploads / name, dry_run=True)
    if not report.ok:  # nothing will come of a rejected file: keep no copy of it
        (uploads / name).unlink(missing_ok=True)
    return render(
        request,
        "import.html",
        status_code=200 if report.ok else 422,
        report=report,
        upload=name if report.ok else None,
        kind=kind,
        done=None,
        filename=upload.filename,
    )


@router.post("/import/confirm", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def import_confirm(request: Request, ws=Depends(workspace)):
    """Step 2: import the checked upload for real and index it."""
    if not _may_import(request):
        return _forbidden(request)
    form = await request.form()
    kind = _import_kind(form)
    name = Path(str(form.get("upload") or "")).name  # never a path outside uploads/
    path = ws.settings.data_dir / "uploads" / name
    if not name or not path.exists():
        raise HTTPException(404)
    with ws.sessions() as session:
        report = importing.import_file(db_session=session, kind=kind, path=path)
    path.unlink(missing_ok=True)
    indexing.update_index(ws)
    return render(request, "import.html", report=None, upload=None, kind=kind, done=report)


# ── settings: API tokens for a signed-in user ────────────────────────────────


def _settings(request: Request, ws, token: str | None = None) -> HTMLResponse:
    account = current_account(request)
    with ws.sessions() as session:
        tokens = accounts.list_tokens(db_session=session, account=account)
    return render(request, "settings.html", token=token, tokens=tokens)


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, ws=Depends(workspace)):
    if current_account(request) is None:
        return RedirectResponse("/login?next=/settings", status_code=303)
    return _settings(request, ws)


@router.post("/settings/token", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def new_token(request: Request, ws=Depends(workspace)):
    account = current_account(request)
    if account is None:
        return RedirectResponse("/login?next=/settings", status_code=303)
    with ws.sessions() as session:
        # Tied to the account: the token follows its role and firm as they change.
        token = create_token(
            db_session=session,
            role=account.role,
            name=account.name,
            supplier_id=account.supplier_id,
            lead_firm=account.lead_firm,
            account=account,
        )
    return _settings(request, ws, token=token)


@router.post("/settings/token/revoke", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def revoke_token(request: Request, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None:
        return RedirectResponse("/login?next=/settings", status_code=303)
    prefix = str((await request.form()).get("prefix") or "")
    with ws.sessions() as session:
        accounts.revoke_token(db_session=session, prefix=prefix, who=who)
    return _settings(request, ws)


# ── programme dashboard ──────────────────────────────────────────────────────


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


# ── organisers' events ───────────────────────────────────────────────────────


def _events_page(request: Request, ws, *, error: str | None = None, form=None, status_code: int = 200):
    return render(
        request,
        "events.html",
        status_code=status_code,
        events=events.list_events(ws),
        can_edit=_writer(request, "events") is not None,
        error=error,
        form=form or {},
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, ws=Depends(workspace)):
    return _events_page(request, ws)


@router.post("/events", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def upload_event(request: Request, ws=Depends(workspace)):
    """An organiser uploads an event file (CONTRACT.md format)."""
    who = _writer(request, "events")
    if who is None:
        return _forbidden(request)
    upload = (await request.form()).get("file")
    try:
        event = EventIn.model_validate_json(await upload.read() if upload else b"")
    except ValidationError as exc:
        return _events_page(
            request, ws, status_code=422, error="; ".join(_form_errors(exc, language(request)))
        )
    events.save_event(ws, event, who.name)
    return RedirectResponse(f"/events/{event.id}", status_code=303)


@router.post("/events/draft", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def draft_event(request: Request, ws=Depends(workspace)):
    """An organiser creates an event from the open requirements: buyers and invited suppliers
    are filled in from the matcher, slots from the timetable."""
    who = _writer(request, "events")
    if who is None:
        return _forbidden(request)
    form = dict(await request.form())
    try:
        timetable = TimetableIn(
            days=[form.get("day")],
            start=form.get("start"),
            end=form.get("end"),
            slot_minutes=form.get("slot_minutes"),
            breaks=[
                dict(zip(("start", "end"), part.strip().split("-", 1), strict=True))
                for part in str(form.get("breaks", "")).split(",")
                if part.strip()
            ],
        )
        event = events.draft_event(
            ws,
            event_id=str(form.get("id", "")).strip(),
            name=str(form.get("name", "")).strip(),
            timetable=timetable,
            tables=int(form.get("tables") or 0),
            suppliers_per_requirement=int(form.get("per_requirement") or 8),
        )
    except ValidationError as exc:
        errors = "; ".join(_form_errors(exc, language(request)))
        return _events_page(request, ws, status_code=422, error=errors, form=form)
    except (ValueError, BadInput) as exc:
        return _events_page(request, ws, status_code=422, error=str(exc), form=form)
    events.save_event(ws, event, who.name)
    return RedirectResponse(f"/events/{event.id}", status_code=303)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, ws=Depends(workspace)):
    try:
        event = events.load_event(ws, event_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    try:
        plan, summary = events.current_schedule(ws, event_id), events.results(ws, event_id)
    except NotFound:
        plan, summary = None, None
    return render(
        request,
        "event.html",
        event=event,
        plan=plan,
        grid={(m["slot"], m["table"]): m for m in plan["meetings"]} if plan else {},
        summary=summary,
        can_edit=_writer(request, "events") is not None,
        people=events.directory(ws, event),
        not_held_reasons=NOT_HELD_REASONS,
    )


@router.post("/events/{event_id}/schedule", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def build_schedule(request: Request, event_id: str, ws=Depends(workspace)):
    who = _writer(request, "events")
    if who is None:
        return _forbidden(request)
    try:
        events.schedule_stored_event(ws, event_id, who.name)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except BadInput as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.post("/events/{event_id}/meetings", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def record_meeting(request: Request, event_id: str, ws=Depends(workspace)):
    """Organisers tick off each meeting after the event: held, or not held and why."""
    who = _writer(request, "events")
    if who is None:
        return _forbidden(request)
    form = await request.form()
    result = str(form.get("result", ""))
    if result != "held" and result not in NOT_HELD_REASONS:
        return render(request, "error.html", status_code=400, message=f"result: {result!r}")
    try:
        events.record_meeting(
            ws,
            event_id,
            str(form.get("buyer_id", "")),
            str(form.get("supplier_id", "")),
            held=result == "held",
            reason=None if result == "held" else result,
            recorded_by=who.name,
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except BadInput as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse(f"/events/{event_id}#results", status_code=303)


@router.get("/events/{event_id}/agenda/{participant}", response_class=HTMLResponse)
def agenda(event_id: str, participant: str, ics: bool = False, format: str = "html", ws=Depends(workspace)):
    """A participant's printable agenda (?format=pdf for a PDF, ?ics=1 for their iCalendar file)."""
    try:
        event = events.load_event(ws, event_id)
        plan = events.current_schedule(ws, event_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    if participant not in events.participants(event):
        raise HTTPException(404, f"{participant!r} does not take part in {event_id!r}")
    people = events.directory(ws, event)
    if ics:
        return Response(
            agendas.to_ics(event, plan, participant, people),
            media_type="text/calendar",
            headers={"Content-Disposition": f'attachment; filename="{participant}.ics"'},
        )
    if format == "pdf":
        return Response(
            agendas.to_agenda_pdf(event, plan, participant, people),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{participant}.pdf"'},
        )
    return HTMLResponse(agendas.to_agenda_html(event, plan, participant, people))
