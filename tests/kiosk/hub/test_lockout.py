"""Guessing and lockout on the real hub app: pairing codes are throttled and die, logins slow down but
never lock for good, failures are audited (and the chain still verifies), a password reset ends sessions.

The clock is pinned with time-machine (no sleeps); other client addresses are other TestClients.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import select

from db.audit import verify_chain
from db.models import AuditEvent, Counselor, Device, HubSession
from kiosk.cli import main
from kiosk.hub.bootstrap import add_counselor, ensure_center, issue_pairing_code
from tests.kiosk.hub.conftest import PASSWORD, Hub

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
NEW_PASSWORD = "battery-staple-77"


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as t:
        yield t


def at(hub: Hub, address: str) -> TestClient:
    """The hub as seen from another client address."""
    return TestClient(hub.app, client=(address, 40000))


def new_code(hub: Hub, minutes: int = 10) -> tuple[uuid.UUID, str]:
    with hub.sessions() as s:
        device_id, code = issue_pairing_code(s, ensure_center(s, "seoul-central"), "lobby", "", minutes)
        s.commit()
    return device_id, code


def wrong(*codes: str) -> str:
    """An 8-digit code that is none of `codes`."""
    return next(c for c in (f"{n:08d}" for n in range(100)) if c not in codes)


def audit_rows(hub: Hub, action: str) -> list[AuditEvent]:
    with hub.sessions() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


def login(client: TestClient, username: str, password: str = PASSWORD) -> tuple[int, int | None]:
    r = client.post("/auth/login", json={"username": username, "password": password})
    retry = r.headers.get("Retry-After")
    if r.status_code == 429:
        body = r.json()["error"]
        assert body["code"] == "login_throttled" and "초 뒤" in body["message_ko"] and body["message_en"]
        assert retry is not None
    return r.status_code, int(retry) if retry is not None else None


# --- pairing codes ---------------------------------------------------------------------------------


def test_thirty_wrong_codes_from_one_address_are_refused_after_ten(
    hub_sqlite: Hub, traveller: time_machine.Traveller
) -> None:
    guesser = at(hub_sqlite, "10.0.0.66")
    answers = [guesser.post("/devices/enroll", json={"code": f"{n:08d}"}) for n in range(30)]
    assert [r.status_code for r in answers] == [400] * 10 + [429] * 20
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "pairing_throttled"
    assert "초 뒤" in refused.json()["error"]["message_ko"] and refused.json()["error"]["message_en"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    # While it waits, even the right code is not looked at (and so not used up)...
    _device_id, code = new_code(hub_sqlite, minutes=30)
    assert guesser.post("/devices/enroll", json={"code": code}).status_code == 429
    # ...and once the window has passed, it works.
    traveller.shift(timedelta(minutes=15))
    assert guesser.post("/devices/enroll", json={"code": code}).status_code == 200


def test_a_code_dies_after_five_wrong_guesses(hub_sqlite: Hub, traveller: time_machine.Traveller) -> None:
    survivor_id, survivor = new_code(hub_sqlite)
    for _ in range(4):
        r = at(hub_sqlite, "10.0.0.7").post("/devices/enroll", json={"code": wrong(survivor)})
        assert r.status_code == 400
    assert at(hub_sqlite, "10.0.0.8").post("/devices/enroll", json={"code": survivor}).status_code == 200

    doomed_id, doomed = new_code(hub_sqlite)
    for address in ("10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.5"):  # any addresses
        assert (
            at(hub_sqlite, address).post("/devices/enroll", json={"code": wrong(doomed)}).status_code == 400
        )
    r = at(hub_sqlite, "10.0.0.8").post("/devices/enroll", json={"code": doomed})
    assert r.status_code == 400 and r.json()["error"]["code"] == "pairing_code_invalid"
    with hub_sqlite.sessions() as s:
        device = s.get(Device, doomed_id)
        assert device is not None and device.pairing_code_hash is None and device.token_hash is None
    spent = audit_rows(hub_sqlite, "device.pairing_code_spent")
    assert [e.target for e in spent] == [f"device:{doomed_id}"]
    assert f"device:{survivor_id}" not in [e.target for e in spent]


def test_the_hub_wide_limit_spans_addresses(hub_sqlite: Hub, traveller: time_machine.Traveller) -> None:
    for n in range(3):  # three addresses, each within its own limit of ten
        guesser = at(hub_sqlite, f"10.0.2.{n}")
        codes = [guesser.post("/devices/enroll", json={"code": f"{n}{i:07d}"}).status_code for i in range(10)]
        assert codes == [400] * 10
    _device_id, code = new_code(hub_sqlite, minutes=30)  # outlives the wait
    newcomer = at(hub_sqlite, "10.0.2.99")
    r = newcomer.post("/devices/enroll", json={"code": code})
    assert r.status_code == 429 and r.json()["error"]["code"] == "pairing_throttled"
    assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60
    traveller.shift(timedelta(seconds=int(r.headers["Retry-After"])))
    assert newcomer.post("/devices/enroll", json={"code": code}).status_code == 200


def test_a_counter_guessing_desk_codes_is_throttled_and_audited(
    hub_sqlite: Hub, traveller: time_machine.Traveller
) -> None:
    counter, _ = hub_sqlite.enroll("counter")
    statuses = [
        hub_sqlite.http.post("/devices/pair", json={"code": f"{n:08d}"}, headers=counter).status_code
        for n in range(12)
    ]
    assert statuses == [400] * 10 + [429] * 2
    counter_id = hub_sqlite.http.get("/auth/me", headers=counter).json()["id"]
    assert {e.actor for e in audit_rows(hub_sqlite, "device.pair_failed")} == {f"device:{counter_id}"}
    assert len(audit_rows(hub_sqlite, "device.pair_failed")) == 10


# --- the audit chain --------------------------------------------------------------------------------


def test_failed_logins_and_enrollments_are_audited_and_the_chain_verifies(
    hub: Hub, traveller: time_machine.Traveller, capsys: pytest.CaptureFixture[str]
) -> None:
    typed_name, typed_password = "홍길동", "my-secret-guess-1"
    assert login(hub.http, "kim", typed_password)[0] == 401
    assert login(hub.http, typed_name, typed_password)[0] == 401
    assert hub.http.post("/devices/enroll", json={"code": "12345678"}).status_code == 400
    with hub.sessions() as s:
        kim = s.scalars(select(Counselor).where(Counselor.username == "kim")).one()
        failed = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all())
        assert [(e.target, e.detail["reason"]) for e in failed] == [
            (f"counselor:{kim.id}", "wrong_password"),
            (failed[1].target, "unknown_username"),
        ]
        assert failed[1].target.startswith("username:") and len(failed[1].target) == len("username:") + 64
        assert all(e.detail["address"] == "testclient" for e in failed)
        enroll_failed = s.scalars(select(AuditEvent).where(AuditEvent.action == "device.enroll_failed")).one()
        assert enroll_failed.actor == "anonymous" and enroll_failed.target == "pairing_code"
        # Nothing typed is kept in clear: not the unknown name, not the password, not the code.
        everything = str([(e.actor, e.target, e.detail) for e in s.scalars(select(AuditEvent)).all()])
        for typed in (typed_name, typed_password, "12345678"):
            assert typed not in everything
        assert verify_chain(s).ok
    url = hub.sessions.kw["bind"].url.render_as_string(hide_password=False)
    assert main(["--db", url, "audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


# --- logins: progressive delay, never a lock ---------------------------------------------------------


def test_the_account_delay_doubles_caps_and_then_the_right_password_works(
    hub: Hub, traveller: time_machine.Traveller
) -> None:
    counselor = at(hub, "10.0.3.1")
    # Four failures are free; from the fifth, 10 s doubling to the 5-minute cap (hub defaults).
    expected = {5: 10, 6: 20, 7: 40, 8: 80, 9: 160, 10: 300, 11: 300, 12: 300}
    for failure in range(1, 13):
        # Each wrong guess from a fresh address: this measures the account, not an address.
        assert login(at(hub, f"10.0.4.{failure}"), "kim", "wrong-password")[0] == 401
        if failure < 5:
            continue
        wait = expected[failure]
        assert login(counselor, "kim") == (429, wait)
        traveller.shift(timedelta(seconds=wait - 1))
        assert login(counselor, "kim") == (429, 1)  # waiting does not add to the wait
        traveller.shift(timedelta(seconds=1))
    assert login(counselor, "kim")[0] == 200
    with hub.sessions() as s:
        kim = s.scalars(select(Counselor).where(Counselor.username == "kim")).one()
        assert kim.failed_logins == 0 and kim.locked_until is None


def test_one_attacker_address_holds_a_counselor_back_at_most_the_cap(
    hub_sqlite: Hub, traveller: time_machine.Traveller
) -> None:
    attacker, counselor = at(hub_sqlite, "10.0.5.66"), at(hub_sqlite, "10.0.5.7")
    checked = 0
    while checked < 18:  # guess as fast as the hub allows
        status, retry = login(attacker, "kim", "wrong-password")
        if status == 429:
            assert retry is not None
            traveller.shift(timedelta(seconds=retry))
        else:
            assert status == 401
            checked += 1
    # The account waits at most its cap (5 min) for everyone...
    status, account_wait = login(counselor, "kim")
    assert status == 429 and account_wait == 300
    # ...while the guessing address waits longer: up to 15 min, so it renews the account's wait
    # at most once per 15 minutes.
    assert login(attacker, "kim", "wrong-password") == (429, 900)
    traveller.shift(timedelta(seconds=300))
    assert login(counselor, "kim")[0] == 200
    assert login(attacker, "kim", PASSWORD) == (429, 600)  # even the right password: the address waits


def test_an_address_delay_spares_other_addresses_and_accounts(
    hub_sqlite: Hub, traveller: time_machine.Traveller
) -> None:
    shared = at(hub_sqlite, "10.0.6.1")
    for username, times in (("kim", 4), ("lee", 4), ("boss", 2)):  # each account below its own limit
        for _ in range(times):
            assert login(shared, username, "wrong-password")[0] == 401
    # Ten from one address: the address waits (5 s), whatever account it asks for.
    assert login(shared, "lee") == (429, 5)
    # Another address is not affected, and the accounts themselves are not delayed.
    assert login(at(hub_sqlite, "10.0.6.2"), "lee")[0] == 200
    traveller.shift(timedelta(seconds=5))
    assert login(shared, "kim")[0] == 200


def test_unknown_usernames_answer_like_real_ones(hub_sqlite: Hub, traveller: time_machine.Traveller) -> None:
    answers = {}
    for username in ("kim", "nobody-here"):
        for n in range(5):
            assert login(at(hub_sqlite, f"10.0.7.{n}"), username, "wrong-password")[0] == 401
        answers[username] = login(at(hub_sqlite, "10.0.7.200"), username, "wrong-password")
    # A guesser cannot tell from the answers which usernames exist.
    assert answers["kim"] == answers["nobody-here"] == (429, 10)


# --- password reset ---------------------------------------------------------------------------------


def test_resetting_a_password_ends_the_accounts_sessions_at_once(hub: Hub) -> None:
    at_desk, at_home = hub.login("kim"), hub.login("kim")
    lee = hub.login("lee")
    for headers in (at_desk, at_home, lee):
        assert hub.http.get("/auth/me", headers=headers).status_code == 200
    with hub.sessions() as s:
        add_counselor(s, ensure_center(s, "seoul-central"), "kim", NEW_PASSWORD, "counselor")
        s.commit()
    for headers in (at_desk, at_home):
        r = hub.http.get("/auth/me", headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    assert hub.http.get("/auth/me", headers=lee).status_code == 200  # other accounts keep theirs
    assert login(hub.http, "kim", PASSWORD)[0] == 401
    assert login(hub.http, "kim", NEW_PASSWORD)[0] == 200
    with hub.sessions() as s:
        kim = s.scalars(select(Counselor).where(Counselor.username == "kim")).one()
        assert len(s.scalars(select(HubSession).where(HubSession.counselor_id == kim.id)).all()) == 1
    reset = audit_rows(hub, "counselor.password_reset")
    assert [(e.target, e.detail["sessions_ended"]) for e in reset] == [(f"counselor:{kim.id}", 2)]


def test_a_reset_also_lifts_the_login_delay(hub_sqlite: Hub, traveller: time_machine.Traveller) -> None:
    for n in range(5):
        assert login(at(hub_sqlite, f"10.0.8.{n}"), "kim", "wrong-password")[0] == 401
    assert login(hub_sqlite.http, "kim")[0] == 429
    with hub_sqlite.sessions() as s:
        add_counselor(s, ensure_center(s, "seoul-central"), "kim", NEW_PASSWORD, "counselor")
        s.commit()
    assert login(hub_sqlite.http, "kim", NEW_PASSWORD)[0] == 200
