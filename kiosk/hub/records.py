"""The hub's shared reads and writes of one visit's rows, for every route that needs them.

Routes import this, never each other (an import-linter contract): loading a visit checks the caller's
center, loading a case makes the row on first use, a signature is stored the same way from the lobby's
consent and the counter's document.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case, Signature, Visit
from kiosk.api import SignatureIn
from kiosk.hub.deps import check_center
from kiosk.hub.errors import not_found
from kiosk.hub.visit_store import signature_values


def store_signature(session: Session, visit_id: uuid.UUID, sig: SignatureIn) -> Signature:
    row = Signature(**signature_values(visit_id, sig))
    session.add(row)
    session.flush()
    return row


def load_visit(session: Session, principal: Any, visit_id: uuid.UUID) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise not_found("방문 기록", "Visit")
    check_center(principal, visit.center_id)
    return visit


def load_case(session: Session, visit: Visit) -> Case:
    case = session.scalars(select(Case).where(Case.visit_id == visit.id)).first()
    if case is None:
        case = Case(visit_id=visit.id)
        session.add(case)
        session.flush()
    return case
