"""Ticket calls by SMS through the hub and the emulated SMSC (issue 18 item 5): a person opts in at the
kiosk, the desk moves the queue, and the emulated phone shows "곧 차례예요" once when two are ahead and
"N번 창구로 와 주세요" when called — nothing without an opt-in, a clear Korean 400 for a number that is
not a mobile, only the issuing kiosk may ask, and a hub without SMS says 503 (and /sms/status says so)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models import AuditEvent, SmsMessage
from db.models.ticket_sms import TicketSms
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission
from tests.polling import wait_until

SOON = "곧 차례예요"
_PHONES = (f"0109876{n:04d}" for n in itertools.count(1))  # one emulated phone per test
_SEEDS = itertools.count(100)


class Center:
    """A lobby, a counselor and the queue as the tests drive them, with this test's own phone."""

    def __init__(
        self, hub: Hub, lobby: dict[str, str] | None = None, desk: dict[str, str] | None = None
    ) -> None:
        self.hub = hub
        self.lobby = lobby or hub.enroll("lobby")[0]
        self.desk = desk or hub.login("kim")
        self.phone = next(_PHONES)
        # The hub is shared by this module's tests (a hub costs seconds to build): whoever still waits
        # from an earlier test is called now, so each test starts with empty lines.
        for line in ("A", "B", "C"):
            while (
                self.hub.http.post(
                    f"/queue/{line}/call-next", json={"desk": "0"}, headers=self.desk
                ).status_code
                == 200
            ):
                pass
        self.messages_before = self.count_messages()

    def count_messages(self) -> int:
        with self.hub.sessions() as s:
            return len(s.scalars(select(SmsMessage.id)).all())

    def ticket(self, line: str = "A", lobby: dict[str, str] | None = None) -> dict[str, Any]:
        headers = lobby or self.lobby
        visit = self.hub.http.post("/visits", json=submission(next(_SEEDS)), headers=headers)
        assert visit.status_code in (200, 201), visit.text
        body = {"line": line, "visit_id": visit.json()["visit_id"]}
        key = f"sms-{uuid.uuid4().hex[:12]}"
        r = self.hub.http.post("/tickets", json=body, headers={**headers, "Idempotency-Key": key})
        assert r.status_code == 200, r.text
        return dict(r.json())

    def opt_in(self, ticket: dict[str, Any], phone: str = "", **extra: Any) -> Any:
        body = {"phone": phone or self.phone, **extra}
        return self.hub.http.post(f"/tickets/{ticket['id']}/sms", json=body, headers=self.lobby)

    def call_next(self, line: str = "A", desk: str = "3") -> dict[str, Any]:
        r = self.hub.http.post(f"/queue/{line}/call-next", json={"desk": desk}, headers=self.desk)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def inbox(self) -> list[str]:
        assert self.hub.sms is not None
        return self.hub.sms.inbox(self.phone)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, dict[str, str], dict[str, str]]]:
    """One hub on SQLite sending through the emulated SMSC, its lobby and its counselor's session."""
    import db.models  # noqa: F401
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{Path(tmp_path_factory.mktemp('ticket-sms')) / 'hub.db'}")
    Base.metadata.create_all(engine)
    for hub in make_hub(engine, "smpp"):
        yield hub, hub.enroll("lobby")[0], hub.login("kim")
    engine.dispose()


@pytest.fixture
def center(shared: tuple[Hub, dict[str, str], dict[str, str]]) -> Center:
    hub, lobby, desk = shared
    return Center(hub, lobby, desk)


def _delivered(center: Center, count: int) -> list[str]:
    """The phone's texts once it shows ``count`` messages (delivery is asynchronous, through the SMSC)."""

    def shown() -> list[str]:
        texts = center.inbox()
        return texts if len(texts) >= count else []

    return wait_until(shown, 10.0, message=f"{count} message(s) on the emulated phone")


def _new_messages(center: Center) -> int:
    return center.count_messages() - center.messages_before


def test_soon_once_when_two_are_ahead_then_the_call_with_the_window(center: Center) -> None:
    tickets = [center.ticket() for _ in range(5)]  # A-001 … A-005
    mine = tickets[4]
    r = center.opt_in(mine)
    assert r.status_code == 200, r.text
    assert r.json()["to_masked"] == f"010-****-{center.phone[-4:]}" and center.phone not in r.text
    assert center.inbox() == []  # opting in sends nothing by itself

    center.call_next()  # A-001 called: three ahead of A-005
    center.call_next()  # A-002 called: two ahead now
    texts = _delivered(center, 1)
    assert SOON in texts[0] and mine["display"] in texts[0]
    center.call_next()  # one ahead: no second "곧 차례예요"
    center.call_next()  # nobody ahead
    called = center.call_next(desk="7")  # A-005 itself
    assert called["display"] == mine["display"]
    texts = _delivered(center, 2)
    assert texts[1] == f"[서민금융센터] {mine['display']}번 손님, 7번 창구로 와 주세요."
    assert sum(SOON in t for t in texts) == 1

    # A recall is the hall repeating the call: the phone already has it, nothing more is sent.
    recall = center.hub.http.post(f"/tickets/{mine['id']}/recall", headers=center.desk)
    assert recall.status_code == 200
    with center.hub.sessions() as s:
        row = s.scalars(select(TicketSms).where(TicketSms.ticket_id == uuid.UUID(mine["id"]))).one()
        assert row.soon_message_id and row.called_message_id
        assert center.phone not in row.phone_masked and center.phone.encode() not in row.phone_enc
        actions = [e.action for e in s.scalars(select(AuditEvent))]
        assert "ticket.sms_opt_in" in actions
    assert _new_messages(center) == 2  # exactly the two messages, each stored before it was sent
    assert len(center.inbox()) == 2


def test_without_an_opt_in_the_phone_stays_empty(center: Center) -> None:
    for _ in range(4):
        center.ticket()
    for _ in range(4):
        center.call_next()
    assert _new_messages(center) == 0
    assert center.inbox() == []


def test_someone_who_opted_in_with_two_ahead_is_not_told_soon_again(center: Center) -> None:
    tickets = [center.ticket() for _ in range(3)]
    assert center.opt_in(tickets[2]).status_code == 200  # the screen said "앞에 2명" a moment ago
    center.call_next()
    center.call_next()
    center.call_next()
    texts = _delivered(center, 1)
    assert len(texts) == 1 and "창구로 와 주세요" in texts[0]


def test_no_show_moves_the_line_and_transfer_takes_the_opt_in_along(center: Center) -> None:
    tickets = [center.ticket() for _ in range(4)]
    assert center.opt_in(tickets[3]).status_code == 200  # three ahead
    gone = center.hub.http.post(f"/tickets/{tickets[0]['id']}/no-show", headers=center.desk)
    assert gone.status_code == 200, gone.text
    texts = _delivered(center, 1)  # the no-show left two ahead
    assert SOON in texts[0]
    center.call_next()
    center.call_next()
    called = center.call_next()
    assert called["display"] == tickets[3]["display"]
    moved = center.hub.http.post(
        f"/tickets/{called['id']}/transfer", json={"line": "B", "note": "채무조정 상담"}, headers=center.desk
    )
    assert moved.status_code == 200, moved.text
    new_number = moved.json()["display"]
    assert new_number.startswith("B-")
    center.call_next("B", desk="5")
    texts = _delivered(center, 3)
    assert texts[2] == f"[서민금융센터] {new_number}번 손님, 5번 창구로 와 주세요."


def test_the_number_by_sms_when_the_printer_failed(center: Center) -> None:
    ticket = center.ticket()
    r = center.opt_in(ticket, calls=False, send_number=True)
    assert r.status_code == 200, r.text
    assert r.json()["number_message_id"] and r.json()["calls"] is False
    texts = _delivered(center, 1)
    assert f"번호표는 {ticket['display']}번이에요" in texts[0]
    again = center.opt_in(ticket, calls=False, send_number=True)  # a second tap sends nothing twice
    assert again.status_code == 200 and again.json()["number_message_id"] is None
    center.call_next()  # not opted in to calls: the call sends nothing
    assert _new_messages(center) == 1


NOT_MOBILE = ["02-123-4567", "010-12", "+1 415 555 0100", "공일공", "0101234567890", "010-0123-4567"]


def test_a_number_that_is_not_a_korean_mobile_is_a_clear_400(center: Center) -> None:
    ticket = center.ticket()
    for phone in NOT_MOBILE:
        r = center.opt_in(ticket, phone=phone)
        assert r.status_code == 400, (phone, r.text)
        error = r.json()["error"]
        assert error["code"] == "SMS_NOT_MOBILE" and "휴대전화 번호가 아니에요" in error["message_ko"]
        digits = "".join(ch for ch in phone if ch.isdigit())
        assert len(digits) < 4 or digits not in r.text  # the refusal never repeats the number
    with center.hub.sessions() as s:
        assert s.scalars(select(TicketSms).where(TicketSms.ticket_id == uuid.UUID(ticket["id"]))).all() == []


def test_a_malformed_body_is_a_422(center: Center) -> None:
    ticket = center.ticket()
    bodies: list[Any] = [{}, {"phone": ""}, {"phone": 1012345678}, {"phone": center.phone, "extra": 1}]
    bodies += [{"phone": "010\n1234"}, {"phone": "0" * 21}, {"phone": center.phone, "calls": "yes"}, []]
    for body in bodies:
        r = center.hub.http.post(f"/tickets/{ticket['id']}/sms", json=body, headers=center.lobby)
        assert r.status_code == 422, (body, r.text)


def test_only_the_issuing_kiosk_may_ask_and_unknown_tickets_are_404(center: Center) -> None:
    ticket = center.ticket()
    other_lobby, _ = center.hub.enroll("lobby", label="lobby-2")
    body = {"phone": center.phone}
    r = center.hub.http.post(f"/tickets/{ticket['id']}/sms", json=body, headers=other_lobby)
    assert r.status_code == 403 and "이 기기에서 받은 번호표가 아니에요" in r.json()["error"]["message_ko"]
    far_lobby, _ = center.hub.enroll("lobby", center="gwanak")
    r = center.hub.http.post(f"/tickets/{ticket['id']}/sms", json=body, headers=far_lobby)
    assert r.status_code == 403
    r = center.hub.http.post(f"/tickets/{uuid.uuid4()}/sms", json=body, headers=center.lobby)
    assert r.status_code == 404
    r = center.hub.http.post(f"/tickets/{ticket['id']}/sms", json=body, headers=center.desk)
    assert r.status_code == 403  # a counselor is not the person's kiosk
    bare = center.hub.http.post(  # a ticket with no visit: nobody can say which kiosk the person is at
        "/tickets", json={"line": "A"}, headers={**center.lobby, "Idempotency-Key": f"sms-{uuid.uuid4().hex}"}
    )
    r = center.hub.http.post(f"/tickets/{bare.json()['id']}/sms", json=body, headers=center.lobby)
    assert r.status_code == 403
    assert center.hub.http.get("/sms/status", headers=center.lobby).json() == {"available": True}


def test_a_finished_ticket_takes_no_opt_in(center: Center) -> None:
    ticket = center.ticket()
    center.call_next()
    r = center.opt_in(ticket)
    assert r.status_code == 409 and "이미 호출됐거나 끝난 번호표예요" in r.json()["error"]["message_ko"]


def test_a_hub_without_sms_says_so_and_queues_nothing(hub_sqlite: Hub) -> None:
    center = Center(hub_sqlite)  # a hub of its own: sms.backend = off
    ticket = center.ticket()
    assert hub_sqlite.http.get("/sms/status", headers=center.lobby).json() == {"available": False}
    r = center.opt_in(ticket)
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "SMS_UNAVAILABLE"
    assert "문자 서비스를 지금 쓸 수 없어요" in r.json()["error"]["message_ko"]
    center.call_next()  # the queue works as before
    with hub_sqlite.sessions() as s:
        assert s.scalars(select(TicketSms)).all() == [] and s.scalars(select(SmsMessage)).all() == []
