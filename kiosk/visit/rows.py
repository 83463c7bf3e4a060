"""The kiosk's own rows for each step of a visit: the local sink of the visit (always written, so a lobby
works without a hub).

Apart from the flow so the state machine stays about steps: each function adds one step's rows to the
step's transaction (``kiosk.visit.store.VisitStore.complete``) and decides nothing about the visit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.crypto import KeyRing
from db.models import Consent, IdentityCheck, Intake, MatchResult, Visit
from db.models.enums import ConsentMethod, IdentityResult
from db.people import store_person
from kiosk.api.visits import AnswerValue, ConsentItemState
from kiosk.matching.engine import MatchReport
from kiosk.visit.steps import IdentitySummary


def add_identity(
    session: Session,
    visit_id: uuid.UUID,
    check_id: uuid.UUID,
    identity: IdentitySummary,
    keys: KeyRing | None,
    now: datetime,
) -> None:
    """The identity check, and the person (stored encrypted) when the kiosk keeps persons."""
    person_id = identity.person_id
    if person_id is None and identity.name and keys is not None:
        person = store_person(
            session,
            keys,
            name=identity.name,
            rrn=identity.rrn,
            phone=identity.phone,
            birth_date=identity.birth_date,
            verified=identity.result == IdentityResult.VERIFIED,
        )
        session.flush()
        person_id = person.id
    if person_id is not None:
        session.execute(update(Visit).where(Visit.id == visit_id).values(person_id=person_id))
    session.add(
        IdentityCheck(
            id=check_id,
            visit_id=visit_id,
            method=identity.method,
            document_kind=identity.document_kind,
            result=identity.result,
            verifier=identity.verifier,
            masked_image_png=identity.masked_image_png,
            confidence=dict(identity.confidence),
            created_at=now,
        )
    )


def add_consent(
    session: Session,
    visit_id: uuid.UUID,
    consent_id: uuid.UUID,
    granted: Mapping[str, ConsentItemState],
    *,
    text_version: str,
    text_sha256: str,
    method: ConsentMethod,
    signature_id: uuid.UUID | None,
    now: datetime,
) -> None:
    session.add(
        Consent(
            id=consent_id,
            visit_id=visit_id,
            items={item: state.model_dump() for item, state in granted.items()},
            text_version=text_version,
            text_sha256=text_sha256,
            method=method,
            signature_id=signature_id,
            created_at=now,
        )
    )


def add_intake(
    session: Session,
    visit_id: uuid.UUID,
    intake_id: uuid.UUID,
    answers: Mapping[str, AnswerValue],
    questionnaire_version: str,
    now: datetime,
) -> int:
    """A new Intake version (a visit that goes back and answers again keeps both); returns its number."""
    latest = session.scalar(select(func.max(Intake.version)).where(Intake.visit_id == visit_id))
    version = (latest or 0) + 1
    session.add(
        Intake(
            id=intake_id,
            visit_id=visit_id,
            version=version,
            questionnaire_version=questionnaire_version,
            answers=dict(answers),
            created_at=now,
        )
    )
    return version


def add_match(
    session: Session, visit_id: uuid.UUID, intake_id: uuid.UUID | None, report: MatchReport, now: datetime
) -> None:
    """The verdicts in compact form (the catalogue's texts stay in the catalogue)."""
    compact = [
        {
            "id": v.id,
            "verdict": v.verdict,
            "rank": v.rank,
            "recommended": v.recommended,
            "limit_krw": v.limit_krw,
            "reasons": [r.to_dict() for r in v.reasons],
        }
        for v in report.programs
    ]
    session.add(
        MatchResult(
            visit_id=visit_id,
            intake_id=intake_id,
            catalogue_version=report.catalogue_version,
            engine_version=report.engine_version,
            verdicts=compact,
            created_at=now,
        )
    )
