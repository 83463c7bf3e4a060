"""The visit state machine in-process, on SQLite and PostgreSQL: paths, back, start over, timeout."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from config.consent import consent_set, consent_text_sha256
from db.models import Consent, IdentityCheck, Intake, MatchResult, Ticket, Visit
from db.session import make_sessionmaker
from kiosk.matching import InvalidAnswers
from kiosk.visit import VisitError, VisitService
from tests.kiosk.visit.walk import BIRTH_DATE, SCRIPT, advance, answer_all, grant_all, identity

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 10:30 in Seoul


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def service(sessions: sessionmaker[Session]) -> VisitService:
    return VisitService(sessions, center_code="gwanak", clock=lambda: NOW)


def _count(sessions: sessionmaker[Session], model: type, visit_id: uuid.UUID) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.visit_id == visit_id)) or 0)


def test_full_consult_visit(service: VisitService, sessions: sessionmaker[Session]):
    flow = service.start("consult", "ko")
    assert flow.step == "identify"
    flow.complete_identify(identity())
    assert flow.step == "consent" and flow.answers == {"age": 46}  # 만 46 on 2026-03-02 (born 1979-05-02)
    flow.complete_consent(grant_all(), consent_set().version, consent_text_sha256())
    shown = flow.to_dict()
    assert shown["step"] == "needs" and shown["next_question"]["id"] == "purpose"
    asked = answer_all(flow)
    assert "age" not in asked  # the ID card told us
    assert "debt_now" in asked and "sme_employee" not in asked  # only what can change a verdict
    # "한 달 넘게 밀렸어요 (31~89일)" on the debts screen: kept as that range, no day count typed
    assert "delinquency" not in asked and flow.answers["delinquency_days"] == {"from": 31, "to": 89}
    flow.complete_needs()
    report = flow.results()
    assert report.verdict("ccrs.pre_workout").verdict == "eligible"
    assert report.verdict("ccrs.individual_workout").verdict == "ineligible"
    assert flow.suggested_line() == "B"
    flow.complete_results()
    info = flow.take_ticket()
    assert flow.step == "done" and flow.status == "completed"
    assert info.display == "B-001" and info.line_name_ko == "채무조정" and info.people_ahead == 0
    assert flow.answers == {}  # nothing personal kept in memory after the visit
    with sessions() as s:
        visit = s.get(Visit, flow.visit_id)
        assert visit is not None and (visit.status, visit.step) == ("completed", "ticket")
        assert visit.ended_at is not None and "draft" not in visit.state
        intake = s.scalars(select(Intake).where(Intake.visit_id == flow.visit_id)).one()
        assert intake.answers["total_debt_krw"] == 48_000_000 and intake.answers["age"] == 46
        assert intake.questionnaire_version == service.questionnaire.version
        consent = s.scalars(select(Consent).where(Consent.visit_id == flow.visit_id)).one()
        assert consent.items["unique_identifier"] == {"granted": True, "required": True}
        assert consent.text_sha256 == consent_text_sha256()
        result = s.scalars(select(MatchResult).where(MatchResult.visit_id == flow.visit_id)).one()
        assert (
            result.catalogue_version == report.catalogue_version
            and result.engine_version == report.engine_version
        )
        assert {v["id"] for v in result.verdicts} == set(service.catalogue.ids)
        assert result.intake_id == intake.id
        ticket = s.scalars(select(Ticket).where(Ticket.visit_id == flow.visit_id)).one()
        assert ticket.display == "B-001"
        check = s.scalars(select(IdentityCheck).where(IdentityCheck.visit_id == flow.visit_id)).one()
        assert check.method == "manual"


def test_ticket_only_path(service: VisitService, sessions: sessionmaker[Session]):
    flow = service.start("ticket_only", "en")
    assert flow.step == "ticket"
    info = flow.take_ticket("A")
    assert (flow.step, info.display) == ("done", "A-001")
    assert _count(sessions, Intake, flow.visit_id) == 0
    second = service.start("ticket_only").take_ticket("A")
    assert second.display == "A-002" and second.people_ahead == 1 and second.wait_minutes == 15


def test_steps_cannot_be_skipped(service: VisitService):
    flow = service.start()
    with pytest.raises(VisitError) as caught:
        flow.take_ticket("A")
    assert caught.value.code == "VISIT_WRONG_STEP" and caught.value.ko


def test_required_consent_refused_stops_at_consent(service: VisitService, sessions: sessionmaker[Session]):
    flow = service.start()
    flow.complete_identify(identity())
    items = grant_all() | {"unique_identifier": False}
    with pytest.raises(VisitError) as caught:
        flow.complete_consent(items, consent_set().version, consent_text_sha256())
    assert caught.value.code == "VISIT_CONSENT_REQUIRED" and "번호표" in caught.value.ko
    assert flow.step == "consent" and _count(sessions, Consent, flow.visit_id) == 0
    with pytest.raises(VisitError) as unknown:
        flow.complete_consent(
            {**grant_all(), "sell_my_data": True}, consent_set().version, consent_text_sha256()
        )
    assert unknown.value.code == "VISIT_CONSENT_UNKNOWN"
    optional_refused = grant_all() | {"marketing": False}
    flow.complete_consent(optional_refused, consent_set().version, consent_text_sha256())
    with sessions() as s:
        consent = s.scalars(select(Consent).where(Consent.visit_id == flow.visit_id)).one()
        assert consent.items["marketing"] == {"granted": False, "required": False}


def _at_needs(service: VisitService):
    flow = service.start()
    advance(flow)
    advance(flow)
    assert flow.step == "needs"
    return flow


def test_invalid_answer_is_refused_with_a_message(service: VisitService):
    flow = _at_needs(service)
    with pytest.raises(InvalidAnswers) as caught:
        flow.answer("annual_income", -100)
    assert "사이로 입력해 주세요" in caught.value.problems[0].ko
    with pytest.raises(InvalidAnswers):
        flow.answer("purpose", "lottery")
    with pytest.raises(InvalidAnswers):
        flow.answer("annual_income", "삼천")
    with pytest.raises(InvalidAnswers):
        flow.answer("household_size", None)  # not skippable
    assert flow.answer("annual_income", None) is not None  # "잘 모르겠어요" is allowed here
    assert flow.answers["annual_income_krw"] is None


def test_no_debt_means_no_debt_adjustment_questions(service: VisitService):
    flow = _at_needs(service)
    flow.answer("purpose", "living")
    seen = []
    question = flow.next_question()
    while question is not None:
        seen.append(question.id)
        # "없어요" on the debts screen (or 0, were the total asked on its own)
        no_debt = {"debt_now": [], "total_debt": 0}
        value = no_debt[question.id] if question.id in no_debt else SCRIPT.get(question.id)
        question = flow.answer(question.id, value)
    assert {"debt_now", "total_debt"} & set(seen)  # the debts were asked about
    assert not {"delinquency", "unsecured_debt", "secured_debt", "debt_last_6m"} & set(seen)
    assert flow.answers["total_debt_krw"] == 0


def test_back_inside_needs_returns_to_the_question_and_facts_stay(
    service: VisitService, sessions: sessionmaker[Session]
):
    flow = _at_needs(service)
    flow.answer("purpose", "debt")
    first = flow.next_question()
    assert first is not None
    flow.answer(first.id, SCRIPT[first.id])
    assert flow.back() == "needs"
    assert first.field not in flow.answers and flow.next_question().id == first.id  # type: ignore[union-attr]
    answer_all(flow)
    assert "delinquency_days" in flow.answers
    flow.answer("purpose", "living")  # changed mind: still 45 days overdue, which still decides CCRS
    assert "delinquency_days" in flow.answers
    # the draft survives a reload
    again = service.resume(flow.visit_id)
    assert again.answers == flow.answers


def test_back_from_results_and_a_second_intake_version(
    service: VisitService, sessions: sessionmaker[Session]
):
    flow = _at_needs(service)
    answer_all(flow)
    flow.complete_needs()
    assert flow.step == "results"
    assert flow.back() == "needs"
    flow.answer("delinquency", 120)
    flow.complete_needs()
    assert flow.results().verdict("ccrs.individual_workout").verdict == "eligible"
    with sessions() as s:
        versions = s.scalars(
            select(Intake.version).where(Intake.visit_id == flow.visit_id).order_by(Intake.version)
        ).all()
    assert versions == [1, 2]


def test_back_from_first_step_starts_over(service: VisitService, sessions: sessionmaker[Session]):
    flow = service.start()
    assert flow.back() == "welcome"
    with sessions() as s:
        assert s.get(Visit, flow.visit_id).status == "abandoned"  # type: ignore[union-attr]


@pytest.mark.parametrize("how", ["timeout", "start_over"])
def test_timeout_and_start_over_wipe_the_visit(
    service: VisitService, sessions: sessionmaker[Session], how: str
):
    flow = _at_needs(service)
    flow.answer("purpose", "debt")
    flow.answer("employment", "employed")
    getattr(flow, how)()
    assert flow.status == "abandoned" and flow.step == "welcome" and flow.answers == {}
    with sessions() as s:
        visit = s.get(Visit, flow.visit_id)
        assert visit is not None and visit.status == "abandoned" and visit.ended_at is not None
        assert visit.state == {"version": 1, "closed_reason": how, "path": "consult"}
    with pytest.raises(VisitError) as caught:
        service.resume(flow.visit_id)
    assert caught.value.code == "VISIT_CLOSED"


def test_two_drivers_cannot_complete_the_same_step(service: VisitService):
    lobby = service.start()
    hub = service.resume(lobby.visit_id)
    lobby.complete_identify(identity())
    with pytest.raises(VisitError) as caught:
        hub.complete_identify(identity())
    assert caught.value.code == "VISIT_STALE"


def test_resume_or_abandon_by_age(sessions: sessionmaker[Session]):
    clock = {"now": NOW}
    service = VisitService(sessions, center_code="nowon", clock=lambda: clock["now"])
    old = service.start()
    clock["now"] = NOW + timedelta(minutes=50)
    fresh = service.start()
    advance(fresh)
    clock["now"] = NOW + timedelta(minutes=55)
    found = {v.visit_id: v for v in service.resume_or_abandon_interrupted(timedelta(minutes=30))}
    assert found[old.visit_id].outcome == "abandoned" and found[old.visit_id].flow is None
    assert found[fresh.visit_id].outcome == "resumable" and found[fresh.visit_id].flow.step == "consent"


def test_identified_person_is_stored_encrypted_when_keys_are_given(sessions: sessionmaker[Session], tmp_path):
    import os

    from db.crypto import KeyRing
    from db.models import Person

    keys = KeyRing(keys={"k1": os.urandom(32)}, current_key_id="k1", blind_index_key=os.urandom(32))
    service = VisitService(sessions, center_code="gwanak", clock=lambda: NOW, keys=keys)
    flow = service.start()
    person = identity()
    person.name, person.rrn = "김테스트", "790502-1234567"
    flow.complete_identify(person)
    with sessions() as s:
        visit = s.get(Visit, flow.visit_id)
        stored = s.get(Person, visit.person_id)  # type: ignore[union-attr]
        assert stored is not None and stored.rrn_masked == "790502-1******"
        assert b"1234567" not in (stored.rrn_enc or b"")
    assert BIRTH_DATE.year == 1979


def test_service_from_settings_uses_the_configured_data_files(sqlite_engine: Engine, tmp_path):
    from config import load_settings

    lines = tmp_path / "lines.toml"
    lines.write_text(
        '[[line]]\ncode = "D"\nname_ko = "대출"\nname_en = "Loans"\ndescription_ko = "대출"\n'
        'description_en = "loans"\ndefault_service_minutes = 7\n',
        encoding="utf-8",
    )
    site = tmp_path / "site.toml"
    site.write_text(
        f'[app]\ncenter_code = "incheon"\n[visit]\nservice_lines_file = "{lines}"\n', encoding="utf-8"
    )
    service = VisitService.from_settings(make_sessionmaker(sqlite_engine), load_settings(site))
    info = service.start("ticket_only").take_ticket("D")
    assert info.display == "D-001" and service.center_code == "incheon"
    assert service.idle_timeout_seconds == 90
