"""Officers' pages: duplicate review and merges, and importing files after checking them."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Path as FastPath
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from matchmaker.errors import BadInput, NotFound
from matchmaker.matching import indexing
from matchmaker.records import certificates, importing, merging, provenance
from matchmaker.records import duplicates as dups
from models.supplier import Supplier
from web.auth import workspace
from web.pages.rendering import forbidden, render, writer
from web.session import (
    check_csrf,
    current_principal,
)

router = APIRouter(include_in_schema=False)


@router.get("/records", response_class=HTMLResponse)
def records_page(request: Request, ws=Depends(workspace)):
    """Duplicates to review, merges to undo, stale profiles, certificates about to lapse."""
    who = writer(request, "records")
    if who is None:
        return forbidden(request)
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
        merges=merging.merges(ws)[:50],
        stale=provenance.stale_suppliers(ws)[:100],
        expiring=certificates.expiring(ws)[:100],
    )


@router.post("/records/merge", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def merge_records(request: Request, ws=Depends(workspace)):
    who = writer(request, "records")
    if who is None:
        return forbidden(request)
    form = await request.form()
    try:
        merging.merge(
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
    who = writer(request, "records")
    if who is None:
        return forbidden(request)
    try:
        merging.undo(ws, merge_id, by=who.name)
    except (BadInput, NotFound) as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse("/records#merges", status_code=303)


IMPORT_ROLES = {"officer", "admin"}


def _may_import(request: Request) -> bool:
    who = current_principal(request)
    return who is not None and who.role in IMPORT_ROLES


def _import_kind(form) -> str:
    return "requirements" if form.get("kind") == "requirements" else "suppliers"


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request):
    if not _may_import(request):
        return forbidden(request)
    return render(request, "import.html", report=None, upload=None, kind="suppliers", done=None)


@router.post("/import", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def import_check(request: Request, ws=Depends(workspace)):
    """Step 1: keep the upload and show what it would do (every bad row, or the counts)."""
    if not _may_import(request):
        return forbidden(request)
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
        return forbidden(request)
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
