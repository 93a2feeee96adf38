"""Supplier profiles: the public page, contacts for those who may see them, editing one's own,
confirming it is still accurate, and officers' certificate verification."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from matchmaker.errors import BadInput, NotFound
from matchmaker.matching import service as matching
from matchmaker.records import certificates, importing, provenance
from matchmaker.records.profiles import (
    PUBLIC_FIELDS,
    completeness,
    opportunity_gap,
    private_details,
    public_profile,
)
from models.supplier import Supplier, SupplierIn
from web.auth import workspace
from web.pages.rendering import forbidden, form_errors, form_values, render, writer
from web.session import (
    check_csrf,
    current_principal,
    language,
)

router = APIRouter(include_in_schema=False)


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


CONTACT_VIEWERS = {"buyer", "officer", "admin"}


OPPORTUNITY_FLOOR = 0.2


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
        return forbidden(request)
    provenance.confirm(ws, supplier_id, who.name)
    return RedirectResponse(f"/suppliers/{supplier_id}", status_code=303)


@router.post(
    "/suppliers/{supplier_id}/certificates/verify",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def verify_certificate(request: Request, supplier_id: str, ws=Depends(workspace)):
    """An officer marks a certificate verified, with a link to the evidence."""
    who = writer(request, "records")
    if who is None:
        return forbidden(request)
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


@router.get("/suppliers/{supplier_id}/edit", response_class=HTMLResponse)
def edit_supplier(request: Request, supplier_id: str, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None or not who.may_write("suppliers", supplier_id):
        return forbidden(request)
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
    values = form_values(await request.form(), SUPPLIER_FIELDS)
    who = current_principal(request)
    if who is None or not who.may_write("suppliers", values.get("id")):
        return forbidden(request)
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
        errors = form_errors(exc, language(request))
        return render(request, "supplier_form.html", status_code=422, values=values, errors=errors)
    importing.save_record(ws, "suppliers", row, source=f"web:{who.name}")
    return RedirectResponse(f"/suppliers/{row.id}", status_code=303)
