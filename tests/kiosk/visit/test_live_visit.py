"""The one in-memory copy of the visitor (`kiosk.visit.LiveVisit`): the lobby writes it, the flow fills
it, both see the same answers, consents, report and ticket, and the wipes drop what they must."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from config.consent import consent_set, consent_text_sha256
from db.models import Visit
from db.session import make_sessionmaker
from kiosk.api.visits import AnswerValue
from kiosk.visit import IdentitySummary, VisitService
from kiosk.visit.live import LiveVisit
from kiosk.visit.state import VisitState
from tests.kiosk.visit.walk import SCRIPT, advance, answer_all, grant_all, identity

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def service(sessions: sessionmaker[Session]) -> VisitService:
    return VisitService(sessions, center_code="gwanak", clock=lambda: NOW)


def test_the_flow_fills_the_live_visit_the_lobby_already_wrote(service: VisitService):
    live = LiveVisit("consult")
    live.set_answer("purpose", "debt")  # a screen answered before the flow was open on the worker
    flow = service.start("consult", "ko", live=live)
    assert flow.live is live and flow.answers == {"purpose": "debt"}

    flow.complete_identify(identity())
    assert live.answers()["age"] == 46  # the ID card's age, where the needs screen reads it
    first = next(iter(grant_all()))
    live.set_consent(first, True)  # the consent screen's tap, before the step is complete
    flow.complete_consent(grant_all(), consent_set().version, consent_text_sha256())
    assert live.consents() == grant_all()
    answer_all(flow)
    assert live.answers() == flow.answers and live.answers()["delinquency_days"] == {"from": 31, "to": 89}
    flow.complete_needs()
    report = flow.results()
    assert live.report is report  # the results screen shows the flow's report, not a copy
    flow.complete_results()
    ticket = flow.take_ticket()
    assert live.ticket is ticket and live.line == ticket.line
    # The visit is closed: nothing the person gave stays, the number stays to be printed.
    assert live.answers() == {} and live.consents() == {} and live.report is None


def test_the_flow_prunes_the_one_copy_the_screen_reads(service: VisitService):
    flow = service.start("consult", "ko")
    flow.complete_identify(IdentitySummary(method="manual", document_kind="manual", result="not_checked"))
    advance(flow)  # consent
    answer_all(flow)
    before = flow.live.answers()
    assert before["purpose"] == "debt" and before == flow.answers
    flow.answer("purpose", "living")  # changed mind: answers the questionnaire no longer wants go
    expected = service.questionnaire.prune({**before, "purpose": "living"})
    assert flow.live.answers() == expected == flow.answers


def test_reads_are_copies_and_the_kiosk_wipe_drops_everything():
    live = LiveVisit()
    live.set_answer("purpose", "debt")
    live.set_manual({"name": "김민수", "phone": "01012345678"})
    copy = live.answers()
    copy["purpose"] = "changed"
    assert live.answers() == {"purpose": "debt"}  # a reader cannot change the visit by accident
    live.forget_person()  # the flow's wipe: the phone stays for the ticket's SMS
    assert live.answers() == {} and live.manual()["phone"] == "01012345678"
    live.forget()
    assert live.manual() == {} and live.ticket is None and live.line == ""
    assert "김민수" not in repr(live) and "0101234" not in repr(live)


def test_a_reader_never_sees_answers_half_pruned():
    """The worker prunes while the GUI thread reads: every snapshot is one the rules allow."""
    live = LiveVisit()

    def prune(answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
        kept = dict(answers)
        if kept.get("purpose") != "debt":
            kept.pop("delinquency_days", None)
        return kept

    done = threading.Event()
    bad: list[dict[str, AnswerValue]] = []

    def write() -> None:
        for i in range(3000):
            live.give({"purpose": "debt"}, prune)
            live.give({"delinquency_days": i}, prune)
            live.give({"purpose": "living"}, prune)
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    while not done.is_set():
        seen = live.answers()
        if "delinquency_days" in seen and seen.get("purpose") != "debt":
            bad.append(seen)
    writer.join()
    assert bad == []
    assert live.answers() == {"purpose": "living"}


def test_a_resumed_visit_brings_its_answers_back(service: VisitService, sessions: sessionmaker[Session]):
    flow = service.start("consult", "ko")
    advance(flow)
    advance(flow)
    flow.answer("purpose", SCRIPT["purpose"])
    again = service.resume(flow.visit_id)
    assert again.live is not flow.live and again.answers == flow.answers


_NOT_AN_ANSWER = st.one_of(
    st.dictionaries(st.text(max_size=3), st.integers(), min_size=1),  # a nested object
    st.lists(st.integers(), min_size=1),  # a list of numbers (choices are words)
    st.text(min_size=1).map(lambda s: s + "\x00"),  # a control character
)


@given(bad=_NOT_AN_ANSWER, where=st.sampled_from(["draft", "prefill"]))
def test_a_stored_state_with_a_bad_answer_is_refused(bad: object, where: str):
    # The stored state comes from the database: checked as the answers it claims to be, not trusted.
    with pytest.raises(ValueError, match="unreadable visit state"):
        VisitState.read({where: {"purpose": bad}})


def test_resume_refuses_a_tampered_state(service: VisitService, sessions: sessionmaker[Session]):
    flow = service.start("consult", "ko")
    with sessions.begin() as s:
        s.execute(update(Visit).where(Visit.id == flow.visit_id).values(state={"draft": {"x": {"y": 1}}}))
    with pytest.raises(ValueError):
        service.resume(flow.visit_id)
