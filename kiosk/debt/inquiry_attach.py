"""The kiosk's credit inquiry becomes the visit's creditor list when the submission names it (issue 21).

``kiosk.hub.routes_credit_inquiry`` keeps the port's lines sealed under the inquiry id; the visit's
submission (``VisitSubmission.credit_inquiry_id``) names it, and ``attach_inquiry`` — run by the hub's
visits route once the visit is written — makes them the visit's ``debt_line`` rows (source
"credit_port") in one transaction, only for the same kiosk, visit, person (the RRN's blind index) and
consent. Anything else is audited and attaches nothing: the visit keeps the kiosk's totals, and the
visit itself is never refused for it. A replay (already attached) does nothing.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.audit import append_event
from db.models import CreditInquiryRecord, DebtList
from db.pii import InvalidRRN, parse_rrn
from kiosk.api.visits import ConsentIn, VisitSubmission
from kiosk.debt.inquiry_figures import open_lines
from kiosk.debt.visit_list import port_lines


class Caller(Protocol):
    """The lobby device that submits (kiosk.hub.auth.Principal)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def center_id(self) -> uuid.UUID: ...

    @property
    def actor(self) -> str: ...


def consent_sha256(consent: ConsentIn) -> str:
    """The consent part's digest: the submission must carry this very consent for the lines to attach."""
    dumped = json.dumps(consent.model_dump(mode="json"), sort_keys=True, default=str)
    return hashlib.sha256(dumped.encode()).hexdigest()


def _refusal(row: CreditInquiryRecord | None, principal: Caller, body: VisitSubmission, blind: str) -> str:
    """Why the inquiry cannot become this visit's list ("" when it can)."""
    if row is None:
        return "unknown"
    if row.device_id != principal.id or row.center_id != principal.center_id or row.visit_id != body.visit_id:
        return "other_visit"
    if body.consent is None or consent_sha256(body.consent) != row.consent_sha256:
        return "other_consent"
    if row.rrn_blind_index != blind:
        return "other_person"
    if row.lines_enc is None:
        return "attached"
    return ""


def _submitted_blind_index(keys: Any, body: VisitSubmission) -> str:
    rrn = body.identity.rrn if body.identity is not None else None
    try:
        return str(keys.blind_index(parse_rrn(rrn).digits)) if rrn else ""
    except InvalidRRN:
        return ""


def attach_inquiry(
    sessions: sessionmaker[Session], keys: Any, principal: Caller, body: VisitSubmission
) -> bool:
    """Make the inquiry the submission names the visit's creditor list (one transaction); False when
    it does not belong to this visit (audited, the visit keeps the kiosk's totals) or is attached.
    ``keys``: the hub's db.crypto.KeyRing."""
    assert body.credit_inquiry_id is not None
    blind = _submitted_blind_index(keys, body)
    with sessions() as session:
        row = session.get(CreditInquiryRecord, body.credit_inquiry_id)
        why = _refusal(row, principal, body, blind)
        if why == "attached":
            return False  # an outbox replay of a visit already attached
        target = f"visit:{body.visit_id}"
        if why or row is None:
            detail: dict[str, Any] = {"inquiry_id": str(body.credit_inquiry_id), "reason": why}
            append_event(session, principal.actor, "credit_inquiry.not_attached", target, detail)
            session.commit()
            return False
        meta = session.get(DebtList, body.visit_id)
        if meta is not None and meta.source != "kiosk_totals":
            return False  # the desk already fetched or typed the list: theirs stands
        assert row.lines_enc is not None
        lines = open_lines(keys, row.lines_enc)
        session.add_all(port_lines(body.visit_id, lines))
        meta = meta or DebtList(visit_id=body.visit_id)
        meta.source, meta.emulated, meta.fetched_at = "credit_port", row.emulated, row.created_at
        session.add(meta)
        row.lines_enc, row.attached_at = None, clock.now()  # one copy of the lines: the visit's
        append_event(
            session,
            principal.actor,
            "debts.attach",
            target,
            {"inquiry_id": str(row.id), "lines": len(lines), "emulated": row.emulated},
        )
        session.commit()
    return True
