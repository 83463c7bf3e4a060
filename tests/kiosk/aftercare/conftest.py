"""A hub on SQLite sending through the emulated SMSC, and follow-ups of people with a phone number."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing
from db.models import Case, Center, Consent, Counselor, FollowUp, FollowUpStatus, Visit
from db.people import store_person
from kiosk.aftercare.reminders import AFTERCARE_CONSENT_ITEM
from tests.kiosk.hub.conftest import Hub, make_hub

PHONE = "01055556666"
NAME = "홍길동"
RRN = "900101-1234567"


@pytest.fixture
def smpp_hub(sqlite_engine: Engine) -> Iterator[Hub]:
    yield from make_hub(sqlite_engine, "smpp")


def add_followup(
    sessions: sessionmaker[Session],
    keys: KeyRing,
    due: date,
    *,
    phone: str | None = PHONE,
    rrn: str | None = None,
    name: str = NAME,
    consent: bool = True,
    kind: str = "repayment_check",
    counselor: str = "kim",
    center: str = "seoul-central",
) -> uuid.UUID:
    """A counseled person (name, RRN, phone), their visit's consent, a case and one planned follow-up."""
    with sessions() as s:
        center_id = s.scalar(select(Center.id).where(Center.code == center))
        counselor_id = s.scalar(select(Counselor.id).where(Counselor.username == counselor))
        person = store_person(s, keys, name=name, rrn=rrn, phone=phone)
        s.flush()
        visit = Visit(center_id=center_id, person_id=person.id)
        s.add(visit)
        s.flush()
        s.add(
            Consent(
                visit_id=visit.id,
                items={AFTERCARE_CONSENT_ITEM: {"granted": consent, "required": True}},
                text_version="2026.1",
                text_sha256="0" * 64,
            )
        )
        case = Case(visit_id=visit.id, counselor_id=counselor_id, outcome="debt_adjustment_applied")
        s.add(case)
        s.flush()
        followup = FollowUp(
            case_id=case.id,
            counselor_id=counselor_id,
            due_date=due,
            kind=kind,
            status=FollowUpStatus.PLANNED,
            note="첫 변제금 납부 확인",
        )
        s.add(followup)
        s.commit()
        return followup.id


def seed_center(sessions: sessionmaker[Session]) -> None:
    """The center and counselor `add_followup` expects, for tests without a hub."""
    from kiosk.hub.bootstrap import add_counselor, ensure_center

    with sessions() as s:
        add_counselor(s, ensure_center(s, "seoul-central"), "kim", "correct-horse-42", "counselor", "김상담")
        s.commit()
