"""Consent by SMS code at the hub (issue 18): the code reaches the emulated phone and only it; a right
code confirms once, wrong ones count down to a lock, three minutes end it, numbers and devices are
throttled, and no audit row or log line holds the number or the code."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from config import clock
from config.consent import consent_set
from db.audit import verify_chain
from db.models import AuditEvent, SmsConsentChallenge
from kiosk.api import errors as codes
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.polling import wait_until

PHONE = "01098765432"
TEXTS = consent_set()
ITEMS = {item.id: item.required for item in TEXTS.items}  # the required ones granted, the rest refused


def body(phone: str, **changes: Any) -> dict[str, Any]:
    return {
        "phone": phone,
        "purpose": "kiosk",
        "text_version": TEXTS.version,
        "text_sha256": TEXTS.sha256,
        "items": ITEMS,
        "visit_id": None,
        **changes,
    }


def code_on_phone(hub: Hub, number: str, nth: int = 1) -> str:
    """The code as the person reads it on their phone (the emulated phone's inbox)."""
    sms = hub.sms
    assert sms is not None

    def arrived() -> list[str]:
        texts = sms.inbox(number)
        return texts if len(texts) >= nth else []

    texts = wait_until(arrived, 10, message="SMS")
    found = re.search(r"인증번호는 (\d{6})", texts[nth - 1])
    assert found, texts[nth - 1]
    return found.group(1)


@pytest.fixture(scope="module")
def shared_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """One hub for the module (a hub costs seconds to start); each test takes its own lobby device and
    its own phone number, so the throttles of one test never meet another's."""
    import db.models  # noqa: F401 - registers every table
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sms-consent') / 'hub.db'}")
    Base.metadata.create_all(engine)
    yield from make_hub(engine, "smpp")
    engine.dispose()


@pytest.fixture
def smpp_hub(shared_hub: Hub) -> Hub:
    return shared_hub


_numbers = iter(range(10_000_000, 99_999_999, 7919))


@pytest.fixture
def phone() -> str:
    """A number no other test of this module uses."""
    return f"010{next(_numbers)}"


@pytest.fixture
def lobby(smpp_hub: Hub) -> dict[str, str]:
    headers, _token = smpp_hub.enroll("lobby", label=f"lobby-{uuid.uuid4().hex[:6]}")
    return headers


def ask(hub: Hub, headers: dict[str, str], phone: str, **changes: Any) -> Any:
    return hub.http.post("/consent/sms/challenges", json=body(phone, **changes), headers=headers)


def confirm(hub: Hub, headers: dict[str, str], cid: str, code: str) -> Any:
    return hub.http.post(f"/consent/sms/challenges/{cid}/confirm", json={"code": code}, headers=headers)


def status_of(hub: Hub, headers: dict[str, str], cid: str) -> dict[str, Any]:
    r = hub.http.get(f"/consent/sms/challenges/{cid}", headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_the_code_from_the_phone_confirms_once(
    smpp_hub: Hub, lobby: dict[str, str], phone: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    typed = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    r = ask(smpp_hub, lobby, typed)
    assert r.status_code == 201, r.text
    issued = r.json()
    assert issued["to_masked"] == f"010-****-{phone[-4:]}"
    assert issued["tries_left"] == 5
    cid = issued["challenge_id"]
    code = code_on_phone(smpp_hub, phone)
    assert code not in r.text

    r = confirm(smpp_hub, lobby, cid, code)
    assert r.status_code == 200, r.text
    confirmed = r.json()
    assert confirmed["challenge_id"] == cid and confirmed["to_masked"] == issued["to_masked"]
    assert confirmed["message_id"] == issued["message_id"]

    # The carrier's report arrives on its own; the status shows it.
    status = wait_until(
        lambda: (s := status_of(smpp_hub, lobby, cid))["delivery_status"] == "DELIVRD" and s,
        10,
        message="delivery report",
    )
    assert status["status"] == "confirmed"

    again = confirm(smpp_hub, lobby, cid, code)
    assert again.status_code == 410
    assert again.json()["error"]["code"] == codes.SMS_CODE_USED

    with smpp_hub.sessions() as s:
        assert verify_chain(s).ok
        events = s.scalars(select(AuditEvent).where(AuditEvent.target == f"sms_consent:{cid}")).all()
        row = s.get(SmsConsentChallenge, uuid.UUID(cid))
        assert row is not None and code not in row.code_hash and phone.encode() not in row.to_enc
        every_event = repr(s.execute(select(AuditEvent.actor, AuditEvent.target, AuditEvent.detail)).all())
    assert [e.action for e in events] == ["sms_consent.issue", "sms_consent.confirm"]
    assert events[1].detail["delivery_status"] in (None, "DELIVRD")
    assert phone not in every_event and phone[-8:] not in every_event and code not in every_event
    logged = caplog.text
    assert phone not in logged and phone[3:7] not in logged and code not in logged


def test_wrong_codes_count_down_then_lock(smpp_hub: Hub, lobby: dict[str, str], phone: str) -> None:
    cid = ask(smpp_hub, lobby, phone).json()["challenge_id"]
    code = code_on_phone(smpp_hub, phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        r = confirm(smpp_hub, lobby, cid, wrong)
        assert r.status_code == 400
        error = r.json()["error"]
        assert error["code"] == codes.SMS_CODE_WRONG and f"{left}번 더" in error["message_ko"]
        assert status_of(smpp_hub, lobby, cid)["tries_left"] == left
    r = confirm(smpp_hub, lobby, cid, "12")  # mistyped: a wrong code too
    assert r.status_code == 410 and r.json()["error"]["code"] == codes.SMS_CODE_LOCKED
    r = confirm(smpp_hub, lobby, cid, code)  # the right one, too late
    assert r.status_code == 410 and r.json()["error"]["code"] == codes.SMS_CODE_LOCKED
    status = status_of(smpp_hub, lobby, cid)
    assert status["status"] == "locked" and status["tries_left"] == 0
    with smpp_hub.sessions() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.target == f"sms_consent:{cid}")).all()
        assert verify_chain(s).ok
    assert actions == ["sms_consent.issue", "sms_consent.locked"]


def test_a_code_is_good_for_three_minutes(smpp_hub: Hub, lobby: dict[str, str], phone: str) -> None:
    cid = ask(smpp_hub, lobby, phone).json()["challenge_id"]
    code = code_on_phone(smpp_hub, phone)
    with time_machine.travel(clock.now() + timedelta(minutes=3, seconds=1)):
        r = confirm(smpp_hub, lobby, cid, code)
        assert r.status_code == 410
        assert r.json()["error"]["code"] == codes.SMS_CODE_EXPIRED
        assert "3분" in r.json()["error"]["message_ko"]
        assert status_of(smpp_hub, lobby, cid)["status"] == "expired"


def test_a_code_just_before_three_minutes_still_confirms(
    smpp_hub: Hub, lobby: dict[str, str], phone: str
) -> None:
    cid = ask(smpp_hub, lobby, phone).json()["challenge_id"]
    code = code_on_phone(smpp_hub, phone)
    with time_machine.travel(clock.now() + timedelta(minutes=2, seconds=50)):
        r = confirm(smpp_hub, lobby, cid, code)
    assert r.status_code == 200, r.text


def test_a_number_gets_three_codes_per_ten_minutes(smpp_hub: Hub, lobby: dict[str, str], phone: str) -> None:
    for _ in range(3):
        assert ask(smpp_hub, lobby, phone).status_code == 201
    other, _ = smpp_hub.enroll("lobby", label="lobby-for-the-same-number")
    r = ask(smpp_hub, other, phone)  # the number is held, whoever asks
    assert r.status_code == 429
    error = r.json()["error"]
    assert error["code"] == codes.SMS_CODE_THROTTLED
    assert "이 번호로" in error["message_ko"] and "10분 뒤에 다시" in error["message_ko"]
    assert 540 < int(r.headers["Retry-After"]) <= 600
    with time_machine.travel(clock.now() + timedelta(minutes=10, seconds=5)):
        assert ask(smpp_hub, lobby, phone).status_code == 201


def test_a_device_gets_ten_codes_per_ten_minutes(smpp_hub: Hub, lobby: dict[str, str]) -> None:
    numbers = [f"010{next(_numbers)}" for _ in range(11)]
    for number in numbers[:10]:
        assert ask(smpp_hub, lobby, number).status_code == 201
    r = ask(smpp_hub, lobby, numbers[10])
    assert r.status_code == 429
    assert "이 기기에서" in r.json()["error"]["message_ko"]
    other, _ = smpp_hub.enroll("lobby", label="lobby-2")
    assert ask(smpp_hub, other, numbers[10]).status_code == 201  # another lobby is not held


@pytest.mark.parametrize("why", ["no gateway configured", "the gateway refused our credentials"])
def test_no_sms_means_503_in_korean(
    smpp_hub: Hub, lobby: dict[str, str], phone: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = smpp_hub.app.state.hub
    if why == "no gateway configured":
        monkeypatch.setattr(state, "sms", None)
    else:
        monkeypatch.setattr(state.sms.outbox, "auth_error", "ESME_RBINDFAIL")
    r = ask(smpp_hub, lobby, phone)
    assert r.status_code == 503
    error = r.json()["error"]
    assert error["code"] == codes.SMS_UNAVAILABLE
    assert error["message_ko"].startswith("문자 서비스를 지금 쓸 수 없어요")


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"phone": "02-123-4567"}, 400, codes.SMS_NOT_MOBILE),
        ({"phone": "+1 415 555 0100"}, 400, codes.SMS_NOT_MOBILE),
        ({"phone": "010-1234-567８"}, 400, codes.SMS_NOT_MOBILE),
        ({"phone": "0" * 21}, 422, codes.INVALID_REQUEST),
        ({"text_sha256": "XYZ" * 21 + "a"}, 422, codes.INVALID_REQUEST),
        ({"text_sha256": "ab"}, 422, codes.INVALID_REQUEST),
        ({"items": {f"item{n}": True for n in range(21)}}, 422, codes.INVALID_REQUEST),
        ({"items": {}}, 422, codes.INVALID_REQUEST),
        ({"purpose": "marketing"}, 422, codes.INVALID_REQUEST),
        ({"text_version": "010-2222-3333"}, 422, codes.INVALID_REQUEST),
        ({"visit_id": "not-a-uuid"}, 422, codes.INVALID_REQUEST),
        ({"extra": 1}, 422, codes.INVALID_REQUEST),
    ],
)
def test_bad_requests_are_clear_4xx_and_send_nothing(
    smpp_hub: Hub, lobby: dict[str, str], changes: dict[str, Any], status: int, code: str
) -> None:
    with smpp_hub.sessions() as s:
        before = len(s.scalars(select(SmsConsentChallenge.id)).all())
    r = ask(smpp_hub, lobby, **{"phone": PHONE, **changes})
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and error["message_ko"]
    if code == codes.SMS_NOT_MOBILE:
        assert "휴대전화 번호가 아니에요" in error["message_ko"]
    assert "010-2222-3333" not in r.text and "4567" not in r.text
    with smpp_hub.sessions() as s:
        assert len(s.scalars(select(SmsConsentChallenge.id)).all()) == before


def test_a_lobby_cannot_open_a_phone_counseling_consent(
    smpp_hub: Hub, lobby: dict[str, str], phone: str
) -> None:
    assert ask(smpp_hub, lobby, phone, purpose="phone_counseling").status_code == 403


def test_other_devices_and_centers_do_not_see_a_challenge(
    smpp_hub: Hub, lobby: dict[str, str], phone: str
) -> None:
    cid = ask(smpp_hub, lobby, phone).json()["challenge_id"]
    code = code_on_phone(smpp_hub, phone)
    other, _ = smpp_hub.enroll("lobby", label="lobby-2")
    far, _ = smpp_hub.enroll("lobby", center="gwanak")
    counselor = smpp_hub.login("kim")
    for headers in (other, far, counselor):
        assert confirm(smpp_hub, headers, cid, code).status_code == 403
        assert smpp_hub.http.get(f"/consent/sms/challenges/{cid}", headers=headers).status_code == 403
    unknown = smpp_hub.http.get(f"/consent/sms/challenges/{uuid.uuid4()}", headers=lobby)
    assert unknown.status_code == 404
    counter, _ = smpp_hub.enroll("counter")
    assert ask(smpp_hub, counter, phone).status_code == 403  # only lobbies and counselors ask
    assert smpp_hub.http.post("/consent/sms/challenges", json=body(phone)).status_code == 401
    # and the owner still can: nothing above cost it a try
    assert confirm(smpp_hub, lobby, cid, code).status_code == 200


def test_phone_counseling_sends_an_lms_with_the_items(smpp_hub: Hub, phone: str) -> None:
    _desk, desk_token = smpp_hub.enroll("desk")
    counselor = smpp_hub.login("kim", desk_token)
    r = ask(smpp_hub, counselor, phone, purpose="phone_counseling")
    assert r.status_code == 201, r.text
    sms = smpp_hub.sms
    assert sms is not None
    text = wait_until(lambda: sms.inbox(phone), 10, message="LMS")[0]
    assert "전화 상담 개인정보 동의" in text and "개인(신용)정보 수집·이용 동의" in text
    agreed, refused = text.split("동의하지 않는 항목")
    assert "홍보·안내 정보 수신 동의" in refused and "홍보·안내 정보 수신 동의" not in agreed
    assert TEXTS.version in text
    code = code_on_phone(smpp_hub, phone)
    cid = r.json()["challenge_id"]
    assert confirm(smpp_hub, counselor, cid, code).status_code == 200
    lee = smpp_hub.login("lee")  # another counselor of the same center: not theirs
    assert confirm(smpp_hub, lee, cid, code).status_code == 403


def test_unknown_items_are_refused_for_a_phone_consent(smpp_hub: Hub, phone: str) -> None:
    counselor = smpp_hub.login("kim")
    r = ask(smpp_hub, counselor, phone, purpose="phone_counseling", items={"not_an_item": True})
    assert r.status_code == 422
    assert r.json()["error"]["message_ko"].startswith("알 수 없는 동의 항목")


@pytest.fixture
def pg_hub(postgres_url: str) -> Iterator[Hub]:
    """PostgreSQL too (row locks, aware times from aggregates): SQLite is the module's shared hub."""
    import db.models  # noqa: F401 - registers every table
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(postgres_url)
    Base.metadata.create_all(engine)
    yield from make_hub(engine, "smpp")
    engine.dispose()


@pytest.mark.postgres
def test_issue_throttle_and_confirm_on_postgresql(pg_hub: Hub) -> None:
    headers, _ = pg_hub.enroll("lobby")
    cid = ask(pg_hub, headers, PHONE).json()["challenge_id"]
    code = code_on_phone(pg_hub, PHONE)
    assert confirm(pg_hub, headers, cid, code).status_code == 200
    for _ in range(2):
        assert ask(pg_hub, headers, PHONE).status_code == 201
    r = ask(pg_hub, headers, PHONE)
    assert r.status_code == 429 and 540 < int(r.headers["Retry-After"]) <= 600


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    junk=st.fixed_dictionaries(
        {},
        optional={
            "phone": _json | st.from_regex(r"\+?[0-9 \-]{0,16}", fullmatch=True),
            "purpose": _json | st.sampled_from(["kiosk", "phone_counseling"]),
            "text_version": _json,
            "text_sha256": _json,
            "items": _json,
            "visit_id": _json,
        },
    ),
    code=_json | st.text(max_size=14),
)
def test_any_body_gets_a_clear_answer_never_a_crash(
    smpp_hub: Hub, lobby: dict[str, str], junk: dict[str, Any], code: Any
) -> None:
    r = smpp_hub.http.post("/consent/sms/challenges", json=junk, headers=lobby)
    assert r.status_code in (201, 400, 403, 409, 422, 429), r.text
    assert r.json().get("error", {"message_ko": "ok"})["message_ko"]
    r = smpp_hub.http.post(
        f"/consent/sms/challenges/{uuid.uuid4()}/confirm", json={"code": code}, headers=lobby
    )
    assert r.status_code in (404, 422), r.text
