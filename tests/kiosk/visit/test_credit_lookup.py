"""The credit inquiry during the questions (issue 21), from the visitor's side: with the consent and an
ID card, the totals and the days overdue are not asked (the list said them); without, they are asked as
before; a slow, failing or late answer never holds anyone up and never reaches the next visitor.

The hub here is the real one on SQLite (the route's own tests run it on PostgreSQL too), reached
through the kiosk's real client; the emulated credit port answers the synthetic identities.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from config.consent import consent_set, consent_text_sha256
from db.crypto import KeyRing
from db.session import make_engine, make_sessionmaker
from kiosk.api.credit_inquiry import CreditInquiryIn, CreditInquiryOut
from kiosk.client import HubClient, HubUnavailable
from kiosk.visit import IdentitySummary, VisitFlow, VisitService
from kiosk.visit.credit_lookup import CREDIT_FIELDS
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission, synthetic_rrn
from tests.kiosk.hub.test_credit_inquiry import _through, sealed_signature
from tests.kiosk.visit.walk import SCRIPT

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
DEBT_SCREENS = {"total_debt", "unsecured_debt", "secured_debt", "delinquency"}
LISTED_OPTIONS = {"owes", "overdue_30", "overdue_89", "overdue_90"}  # what the list settles on debt_now


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, str]]:
    import db.models  # noqa: F401 - registers every table
    from db.base import Base

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.db'}")
    Base.metadata.create_all(engine)
    for running in make_hub(engine):
        _, token = running.enroll("lobby")
        yield running, token
    engine.dispose()


@pytest.fixture
def service(tmp_path: Path) -> VisitService:
    import db.models  # noqa: F401
    from db.base import Base

    engine = make_engine(f"sqlite:///{tmp_path / 'kiosk.db'}")
    Base.metadata.create_all(engine)
    sessions: sessionmaker[Session] = make_sessionmaker(engine)
    return VisitService(sessions, center_code="gwanak", clock=lambda: NOW, keys=KeyRing.generate())


@pytest.fixture
def client(hub: tuple[Hub, str]) -> HubClient:
    running, token = hub
    return HubClient("http://hub", token, transport=_through(running))


def card(seed: int = 5, method: str = "image") -> IdentitySummary:
    return IdentitySummary(
        method=method,  # type: ignore[arg-type]
        document_kind="resident_card",
        result="verified" if method != "manual" else "not_checked",
        name="홍길동",
        rrn=synthetic_rrn(seed),
    )


def signature() -> dict[str, Any]:
    return sealed_signature(submission()["consent"]["signature"])


def consent(flow: VisitFlow, **refused: bool) -> None:
    items = {item.id: True for item in consent_set().items} | refused
    flow.complete_consent(items, consent_set().version, consent_text_sha256(), signature=signature())


def wait_for(check: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def answer_all(flow: VisitFlow) -> tuple[list[str], dict[str, list[Any]]]:
    """The synthetic person answers what is asked; a screen of options gets only what it offers."""
    asked, offered = [], {}
    question = flow.next_question()
    while question is not None:
        asked.append(question.id)
        value = SCRIPT.get(question.id)
        if question.compound:
            choices = [c.value for c in question.choices]
            offered[question.id] = choices
            value = [v for v in value or [] if v in choices]
        question = flow.answer(question.id, value)
    return asked, offered


class Sink:
    """The hub as the sink: the finished record is submitted, the ticket is a stand-in."""

    def __init__(self, running: Hub, token: str) -> None:
        self.running, self.token = running, token
        self.record: Any = None

    def take_ticket(self, record: Any, line: str) -> Any:
        self.record = record.to_submission()
        body = self.record.model_dump(mode="json")
        r = self.running.http.post("/visits", json=body, headers={"Authorization": f"Bearer {self.token}"})
        assert r.status_code == 200, r.text

        class Ticket:
            display, line_name_ko, line_name_en, people_ahead, wait_minutes = "B-001", "", "", 0, 0
            lookup_code, issued_at = "B-001", NOW

        Ticket.line = line  # type: ignore[attr-defined]
        return Ticket()


def test_with_the_list_the_totals_and_days_overdue_are_not_asked(
    service: VisitService, client: HubClient, hub: tuple[Hub, str]
) -> None:
    sink = Sink(*hub)
    flow = service.start("consult", "ko", sink=sink, credit=client)  # type: ignore[arg-type]
    flow.complete_identify(card(seed=5))
    consent(flow)
    wait_for(lambda: CREDIT_FIELDS <= set(flow.answers))  # no one waits for it; the test does
    listed = {name: flow.answers[name] for name in CREDIT_FIELDS}
    asked, offered = answer_all(flow)
    assert not DEBT_SCREENS & set(asked)
    # the debts screen, if asked at all, keeps only what a creditor list cannot know
    if "debt_now" in offered:
        assert not LISTED_OPTIONS & set(offered["debt_now"])
        assert {"new_borrowing", "court_in_progress", "ccrs_repaying"} <= set(offered["debt_now"])
    flow.complete_needs()
    assert all(flow.answers[name] == value for name, value in listed.items())  # matching uses them
    report = flow.results()
    overdue = listed["delinquency_days"]
    workout = report.verdict("ccrs.individual_workout").verdict
    assert (workout == "ineligible") == (overdue < 90)
    flow.complete_results()
    flow.take_ticket()
    # The submission named the inquiry: the desk sees the port's list without fetching.
    assert sink.record.credit_inquiry_id is not None
    running, _ = hub
    kim = running.login("kim")
    debts = running.http.get(f"/visits/{flow.visit_id}/debts", headers=kim).json()
    assert debts["source"] == "credit_port"
    assert sum(d["principal_krw"] for d in debts["debts"]) == listed["total_debt_krw"]


def test_without_the_consent_item_the_questions_are_asked(tmp_path: Path, client: HubClient) -> None:
    import db.models  # noqa: F401
    from db.base import Base

    engine = make_engine(f"sqlite:///{tmp_path / 'kiosk.db'}")
    Base.metadata.create_all(engine)
    # A center whose texts make the inquiry optional: the person may refuse it.
    optional = {item.id: item.required and item.id != "credit_inquiry" for item in consent_set().items}
    service = VisitService(make_sessionmaker(engine), center_code="gwanak", clock=lambda: NOW,
                           consent_items=lambda: optional)  # fmt: skip
    asking = Counting(client)
    flow = service.start("consult", "ko", credit=asking)
    flow.complete_identify(card(seed=6))
    consent(flow, credit_inquiry=False)
    asked, _ = answer_all(flow)
    assert "debt_now" in asked and "owes" in SCRIPT["debt_now"]
    assert "total_debt" in asked  # the follow-up of "갚아야 할 빚이 있어요", as before
    assert asking.calls == 0 and not CREDIT_FIELDS & set(flow.live.prefill())


def test_a_typed_identity_makes_no_inquiry(service: VisitService, client: HubClient) -> None:
    asking = Counting(client)
    flow = service.start("consult", "ko", credit=asking)
    flow.complete_identify(IdentitySummary(method="manual", document_kind="manual", result="not_checked"))
    consent(flow)
    assert flow.next_question() is not None and asking.calls == 0


class Counting:
    def __init__(self, inner: Any, gate: threading.Event | None = None) -> None:
        self.inner, self.gate, self.calls = inner, gate, 0

    def credit_inquiry(self, request: CreditInquiryIn) -> CreditInquiryOut:
        self.calls += 1
        if self.gate is not None:
            assert self.gate.wait(10)
        out: CreditInquiryOut = self.inner.credit_inquiry(request)
        return out


class Failing:
    def credit_inquiry(self, request: CreditInquiryIn) -> CreditInquiryOut:
        raise HubUnavailable("POST /credit-inquiries: hub answered 502", 502)


def test_a_failing_inquiry_leaves_the_questions_as_they_were(service: VisitService) -> None:
    flow = service.start("consult", "ko", credit=Failing())
    flow.complete_identify(card(seed=7))
    consent(flow)
    asked, _ = answer_all(flow)
    assert "debt_now" in asked and "total_debt" in asked
    assert flow.live.credit_inquiry_id() is None


def test_a_slow_answer_does_not_hold_the_questions_and_never_reaches_the_next_visitor(
    service: VisitService, client: HubClient
) -> None:
    gate = threading.Event()
    slow = Counting(client, gate)
    flow = service.start("consult", "ko", credit=slow)
    flow.complete_identify(card(seed=8))
    started = time.monotonic()
    consent(flow)  # returns at once: the inquiry waits on its own thread
    assert time.monotonic() - started < 5 and slow.calls == 1
    first = flow.next_question()
    assert first is not None and first.id == "purpose"
    live = flow.live
    flow.start_over()  # the person walks away before the answer
    gate.set()
    wait_for(
        lambda: not any(t.name == "kiosk-credit-inquiry" and t.is_alive() for t in threading.enumerate())
    )
    assert live.prefill() == {} and live.credit_inquiry_id() is None


def test_a_late_answer_keeps_what_the_person_said(service: VisitService, client: HubClient) -> None:
    gate = threading.Event()
    flow = service.start("consult", "ko", credit=Counting(client, gate))
    flow.complete_identify(card(seed=9))
    consent(flow)
    asked, _ = answer_all(flow)  # the debt questions came before the list: asked as today
    assert "debt_now" in asked and "total_debt" in asked
    said = flow.answers["total_debt_krw"]
    gate.set()
    wait_for(lambda: flow.live.credit_inquiry_id() is not None)
    assert flow.answers["total_debt_krw"] == said == 48_000_000  # the person's answer stays on top
    uuid.UUID(str(flow.live.credit_inquiry_id()))  # still named, so the desk gets the list


def test_a_resumed_visit_keeps_the_figures_and_names_its_inquiry(
    service: VisitService, client: HubClient
) -> None:
    flow = service.start("consult", "ko", credit=client)
    flow.complete_identify(card(seed=13))
    consent(flow)
    wait_for(lambda: flow.live.credit_inquiry_id() is not None)
    flow.answer("purpose", "debt")  # the draft is kept after each answer (a crash resumes from it)
    resumed = service.resume(flow.visit_id)
    assert resumed.live.credit_inquiry_id() == flow.live.credit_inquiry_id()
    assert {name: resumed.answers[name] for name in CREDIT_FIELDS} == {
        name: flow.answers[name] for name in CREDIT_FIELDS
    }
    assert resumed.next_question() is not None and resumed.next_question().id not in DEBT_SCREENS  # type: ignore[union-attr]
