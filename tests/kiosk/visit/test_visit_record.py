"""The flow's one typed record: what each step adds to it, where it goes at the ticket, and the typed
`Visit.state` every writer goes through."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Ticket, Visit
from db.session import make_sessionmaker
from kiosk.api.visits import VisitRecord, VisitSubmission
from kiosk.visit import IdentityMethod, IdentityResult, IdentitySummary, VisitService
from kiosk.visit.state import VisitState
from tests.kiosk.visit.walk import advance

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


@dataclass(frozen=True)
class _Ticket:
    display: str
    line: str
    line_name_ko: str = "금융상담"
    line_name_en: str = "Financial counselling"
    people_ahead: int = 0
    wait_minutes: int = 0
    lookup_code: str = "H-001"
    issued_at: datetime = NOW


@dataclass
class _HubStandIn:
    """A sink that keeps what it was handed, as the hub would."""

    handed: list[VisitSubmission] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def take_ticket(self, record: VisitRecord, line: str) -> _Ticket:
        self.handed.append(record.to_submission())
        self.lines.append(line)
        return _Ticket(display="H-001", line=line)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def service(sessions: sessionmaker[Session]) -> VisitService:
    return VisitService(sessions, center_code="gwanak", clock=lambda: NOW)


def _named() -> IdentitySummary:
    return IdentitySummary(
        method="manual", document_kind="manual", result="not_checked", name="김민수",
        birth_date=date(1979, 5, 2),
    )  # fmt: skip


def _tickets(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Ticket)) or 0)


def test_each_step_fills_the_record_and_the_hub_numbers_the_ticket(
    service: VisitService, sessions: sessionmaker[Session]
):
    hub = _HubStandIn()
    flow = service.start("consult", "ko", sink=hub, handoff_transcript="상담 원해요")
    flow.complete_identify(_named())
    assert flow.record.identity is not None and flow.record.identity.name == "김민수"
    advance(flow)  # consent
    assert flow.record.consent is not None and all(i.granted for i in flow.record.consent.items.values())
    advance(flow)  # needs
    assert flow.record.intake is not None and flow.record.intake.answers["purpose"] == "debt"
    advance(flow)  # results
    assert flow.record.match is not None and flow.record.match.verdicts

    ticket = flow.take_ticket()
    assert ticket.display == "H-001" and flow.step == "done"
    # The hub got the whole visit, with the line the results pointed to, and no local number was made.
    (sent,) = hub.handed
    assert sent.visit_id == flow.visit_id and sent.identity is not None and sent.intake is not None
    assert sent.handoff_transcript == "상담 원해요" and hub.lines == [flow.record.line or ""]
    assert _tickets(sessions) == 0
    # Nothing of the person stays in memory once the visit is handed over.
    assert flow.record.identity is None and flow.record.intake is None


def test_without_a_hub_the_kiosk_numbers_the_ticket_itself(
    service: VisitService, sessions: sessionmaker[Session]
):
    flow = service.start("ticket_only", "ko")
    ticket = flow.take_ticket("A")
    assert ticket.display.startswith("A-") and _tickets(sessions) == 1


def test_an_abandoned_visit_forgets_the_record(service: VisitService):
    hub = _HubStandIn()
    flow = service.start("consult", "ko", sink=hub)
    flow.complete_identify(_named())
    flow.timeout()
    assert flow.record.identity is None and hub.handed == []


def test_visit_state_is_written_versioned_and_read_checked(
    service: VisitService, sessions: sessionmaker[Session]
):
    flow = service.start("consult", "ko")
    advance(flow)  # identify
    with sessions() as s:
        visit = s.get(Visit, flow.visit_id)
        assert visit is not None
        stored = VisitState.read(visit.state)
    assert visit.state["version"] == 1 and stored.identity is not None and stored.prefill == {"age": 46}
    assert VisitState.read({}) == VisitState()  # a row written before the schema had a version


@pytest.mark.parametrize(
    "bad",
    [{"version": 2}, {"draft": "not a mapping"}, {"closed_reason": "bored"}, {"someone_elses_key": 1}],
)
def test_a_visit_state_outside_the_schema_is_refused(bad: dict[str, object]):
    with pytest.raises(ValueError, match="unreadable visit state"):
        VisitState.read(bad)


def test_a_record_part_the_hub_would_refuse_fails_at_its_own_step():
    record = VisitRecord(visit_id=uuid.uuid4())
    with pytest.raises(ValueError):
        record.language = "fr"  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("method", "result"), [("fingerprint", "verified"), ("manual", "ok"), ("IMAGE", "verified")]
)
def test_an_identity_read_outside_the_known_methods_and_results_is_refused_at_the_identify_step(
    method: str, result: str
) -> None:
    with pytest.raises(ValueError, match="is not a valid Identity"):
        IdentitySummary(method=method, document_kind="manual", result=result)  # type: ignore[arg-type]


def test_an_identity_given_as_plain_values_holds_the_members_and_prints_no_person() -> None:
    identity = _named()
    assert identity.method is IdentityMethod.MANUAL and identity.result is IdentityResult.NOT_CHECKED
    assert repr(identity) == "IdentitySummary(method='manual', result='not_checked', person_id=None)"
