"""Certificates as facts: what each one is worth today, officers' verification with evidence,
and reminders before expiry. Only a certificate that is granted and valid today satisfies a
requirement (see indexer.certifications.status_on); the rest is said, never counted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from matchmaker.errors import BadInput, NotFound
from matchmaker.matching.indexing import index_records
from matchmaker.records.provenance import add_version
from matchmaker.workspace import Workspace
from models.base import utcnow
from models.supplier import VERIFICATION_FIELDS, Supplier, evidence_reference
from models.vocabulary.certifications import canonical, status_on

REMIND_DAYS = 90  # suppliers and officers see a certificate this long before it lapses


def standing(cert: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """A certificate as shown: status `verified`, `claimed`, `expired`, `not_yet_valid` or
    `in_progress`, whether it counts for requirements, why not, and days left if it lapses soon."""
    today = today or date.today()
    status, reason = status_on(cert, today)
    shown = status if status != "held" else ("verified" if cert.get("status") == "verified" else "claimed")
    out = {**cert, "standing": shown, "counts": status == "held", "reason": reason}
    until = cert.get("valid_until")
    if status == "held" and until:
        left = (date.fromisoformat(until) - today).days
        if left <= REMIND_DAYS:
            out["expires_in_days"] = left
    return out


def expiring(ws: Workspace, *, within_days: int = REMIND_DAYS, today: date | None = None) -> list[dict]:
    """Certificates that lapse within the window, soonest first (for reminders)."""
    today = today or date.today()
    horizon = today + timedelta(days=within_days)
    out = []
    with ws.sessions() as session:
        rows = session.execute(
            select(Supplier.id, Supplier.name, Supplier.certifications).where(Supplier.merged_into.is_(None))
        ).all()
    for supplier_id, name, certs in rows:
        for cert in certs or []:
            until = cert.get("valid_until")
            if (
                until
                and today <= date.fromisoformat(until) <= horizon
                and status_on(cert, today)[0] == "held"
            ):
                out.append(
                    {
                        "supplier_id": supplier_id,
                        "supplier_name": name,
                        "standard": cert["standard"],
                        "valid_until": until,
                        "days_left": (date.fromisoformat(until) - today).days,
                    }
                )
    return sorted(out, key=lambda c: (c["days_left"], c["supplier_id"]))


def verify(
    ws: Workspace, supplier_id: str, standard: str, *, by: str, evidence: str | None = None
) -> dict[str, Any]:
    """An officer checked a certificate (against the issuer, or a scan): it becomes `verified`,
    with who, when and the evidence. Recorded as a new version of the profile."""
    wanted = canonical(standard) or standard
    with ws.sessions() as session:
        supplier = session.get(Supplier, supplier_id)
        if supplier is None:
            raise NotFound(f"no supplier with id {supplier_id!r}")
        certs = [dict(c) for c in supplier.certifications or []]
        found = next((c for c in certs if c["standard"] == wanted), None)
        if found is None:
            held = ", ".join(c["standard"] for c in certs) or "none"
            raise BadInput(f"{supplier_id} lists no {wanted} certificate (it lists: {held})")
        if found.get("status") in ("in_progress", "expired"):
            raise BadInput(
                f"{wanted} is {found['status'].replace('_', ' ')} at {supplier_id}: there is nothing"
                " valid to verify (the profile must be updated first)"
            )
        try:
            evidence = evidence_reference(evidence)
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
        found.update(status="verified", verified_by=by, verified_at=utcnow().date().isoformat())
        if evidence:
            found["evidence"] = evidence
        supplier.certifications = certs
        add_version(session, "supplier", supplier_id, {"certifications": certs}, f"officer:{by}")
        session.commit()
    index_records(ws, "supplier", [supplier_id])
    return standing(found)


def carry_verification(current: list[dict[str, Any]], incoming: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Incoming certificates (from a profile write, which cannot verify) keep the verification
    an officer recorded for the same certificate: same standard, and same number where both
    give one."""
    verified = [c for c in current or [] if c.get("status") == "verified"]
    out = []
    for cert in incoming:
        match = next(
            (
                v
                for v in verified
                if v["standard"] == cert["standard"]
                and (not v.get("number") or not cert.get("number") or v["number"] == cert["number"])
            ),
            None,
        )
        if match is not None:
            cert = {**cert, "status": "verified"}
            cert.update({k: match[k] for k in VERIFICATION_FIELDS if k in match})
        out.append(cert)
    return out


def keep_known(current: list[dict[str, Any]], entries: list) -> list:
    """A profile form gives certificates back as text; entries naming a certificate already on
    file keep its facts (number, dates, verification) instead of becoming bare claims."""
    known = {}
    for cert in current or []:
        for key in (cert.get("raw"), cert.get("standard")):
            if key:
                known[key.strip().lower()] = cert
    kept = []
    for entry in entries:
        cert = known.get(entry.strip().lower()) if isinstance(entry, str) else None
        kept.append(cert if cert is not None else entry)
    return kept
