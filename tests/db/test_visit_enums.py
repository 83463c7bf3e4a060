"""A visit's step, status and path, and its identity check's and consent's method and result, are closed
sets: a value outside them is refused at write, a stored row reads back as the member, and the column
still holds the plain value an older reader (or a report query) expects."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import StatementError

from db.models import (
    Consent,
    ConsentMethod,
    IdentityCheck,
    IdentityMethod,
    IdentityResult,
    Visit,
    VisitPath,
    VisitStatus,
    VisitStep,
)
from db.session import make_sessionmaker


def _visit(**changes: Any) -> Visit:
    return Visit(id=uuid.uuid4(), state={}, **changes)


def test_a_visit_reads_back_as_members_and_is_stored_as_the_plain_value(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    visit = _visit(step=VisitStep.NEEDS, status=VisitStatus.OPEN, path=VisitPath.TICKET_ONLY)
    with sessions.begin() as session:
        session.add(visit)
        session.flush()  # no relationship() orders the inserts: the visit row first, for the foreign keys
        session.add(
            IdentityCheck(
                visit_id=visit.id,
                method=IdentityMethod.IC_CHIP,
                document_kind="resident_card",
                result=IdentityResult.NOT_CHECKED,
            )
        )
        session.add(Consent(visit_id=visit.id, items={}, text_version="v1", text_sha256="0" * 64))
    with sessions() as session:
        stored = session.get(Visit, visit.id)
        assert stored is not None
        assert (stored.step, stored.status, stored.path) == (VisitStep.NEEDS, VisitStatus.OPEN, "ticket_only")
        assert type(stored.step) is VisitStep and type(stored.path) is VisitPath
        check = session.scalars(select(IdentityCheck).where(IdentityCheck.visit_id == visit.id)).one()
        assert (check.method, check.result) == (IdentityMethod.IC_CHIP, IdentityResult.NOT_CHECKED)
        consent = session.scalars(select(Consent).where(Consent.visit_id == visit.id)).one()
        assert consent.method is ConsentMethod.SIGNATURE  # the default
        raw = session.execute(text("SELECT step, status, path FROM visit")).one()
        assert tuple(raw) == ("needs", "open", "ticket_only") and type(raw[0]) is str
        raw_check = session.execute(text("SELECT method, result FROM identity_check")).one()
        assert tuple(raw_check) == ("ic_chip", "not_checked")


@pytest.mark.parametrize(
    "changes",
    [{"step": "waiting"}, {"status": "waiting"}, {"status": "OPEN"}, {"path": "consult "}, {"step": ""}],
)
def test_a_visit_value_outside_its_set_is_refused_and_nothing_is_stored(
    engine: Engine, changes: dict[str, str]
) -> None:
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        session.add(_visit(**changes))
        with pytest.raises(StatementError, match="is not a valid Visit"):
            session.commit()
    with sessions() as session:
        assert session.scalars(select(Visit)).all() == []


@pytest.mark.parametrize(
    ("model", "changes"),
    [
        (IdentityCheck, {"method": "fingerprint", "result": IdentityResult.VERIFIED}),
        (IdentityCheck, {"method": IdentityMethod.IMAGE, "result": "probably"}),
        (Consent, {"method": "email"}),
    ],
)
def test_an_identity_or_consent_method_outside_its_set_is_refused(
    engine: Engine, model: type[IdentityCheck] | type[Consent], changes: dict[str, Any]
) -> None:
    sessions = make_sessionmaker(engine)
    visit = _visit()
    with sessions.begin() as session:
        session.add(visit)
    extra: dict[str, Any] = (
        {"document_kind": "manual"}
        if model is IdentityCheck
        else {"items": {}, "text_version": "v1", "text_sha256": "0" * 64}
    )
    with sessions() as session:
        session.add(model(visit_id=visit.id, **extra, **changes))
        with pytest.raises(StatementError, match=r"is not a valid (Identity|Consent)"):
            session.commit()
    with sessions() as session:
        assert session.scalars(select(model)).all() == []
