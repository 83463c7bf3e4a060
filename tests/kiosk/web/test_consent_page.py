"""The consent page a caller opens from the phone counseling's LMS: every item in full, chosen item by
item by the caller, confirmed with the SMS code — the desk hears it at once and records the consent
with exactly those choices. Wrong codes are counted and lock, late openers are told why, and any other
link or body gets a calm page."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from config import clock
from config.consent import consent_set
from db.models import AuditEvent, Consent, SmsConsentChallenge, WebLink
from kiosk.sms.consent_code import LINK_TTL, Requester, issue, page_choices
from kiosk.sms.templates import LMS_BYTES, default_templates
from kiosk.web.links import mint
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.polling import wait_until

TEXTS = consent_set()
ALL_YES = {item.id: "yes" for item in TEXTS.items}
OPTIONAL = [item.id for item in TEXTS.items if not item.required]
REQUIRED = [item.id for item in TEXTS.items if item.required]


def number(n: int) -> str:
    return "010" + "2345" + f"{6700 + n:04d}"  # built, so no source file holds a whole number


@pytest.fixture(scope="module")
def phone_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, dict[str, str]]]:
    """One hub for the module (argon2 for four counselors and an SMSC cost seconds per hub)."""
    import db.models  # noqa: F401
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('consent-page') / 'kiosk.db'}")
    Base.metadata.create_all(engine)
    for hub in make_hub(engine, "smpp"):
        _, desk_token = hub.enroll("desk")
        yield hub, hub.login("kim", desk_token)
    engine.dispose()


def _code_sent(hub: Hub, desk: dict[str, str], phone: str) -> tuple[str, str, str, str]:
    """A phone visit and its code, as the desk asks for them (the counselor ticked every item):
    (visit id, challenge id, the LMS's /m/c/ path, the code)."""
    opened = hub.http.post("/phone-consultations", json={"phone": phone}, headers=desk)
    assert opened.status_code == 201, opened.text
    visit_id = opened.json()["visit_id"]
    body = {
        "phone": phone, "purpose": "phone_counseling", "text_version": TEXTS.version,
        "text_sha256": TEXTS.sha256, "items": {item.id: True for item in TEXTS.items}, "visit_id": visit_id,
    }  # fmt: skip
    sent = hub.http.post("/consent/sms/challenges", json=body, headers=desk)
    assert sent.status_code == 201, sent.text
    assert hub.sms is not None
    text = wait_until(lambda: hub.sms.inbox(phone), 10, message="the LMS on the phone")[-1]  # type: ignore[union-attr]
    link = re.search(r"https?://\S+(/m/c/[A-Za-z0-9_-]{24})", text)
    assert link is not None and "항목마다 전문을 읽고 직접 고르기" in text
    code = re.findall(r"(?<!\d)(\d{6})(?!\d)", text)[0]
    return visit_id, sent.json()["challenge_id"], link.group(1), code


def _form(choices: dict[str, str], code: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode({**choices, "code": code}).encode()


def _tries(hub: Hub, challenge_id: str) -> int:
    with hub.sessions() as s:
        row = s.get(SmsConsentChallenge, uuid.UUID(challenge_id))
        assert row is not None
        return row.tries


def _main(page_html: str) -> str:
    return page_html[page_html.index("<main") :]


def test_the_caller_chooses_each_item_and_the_desk_records_exactly_those_choices(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, desk = phone_hub
    phone = number(1)
    visit_id, challenge_id, path, code = _code_sent(hub, desk, phone)
    page = hub.http.get(path)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    shown = html.unescape(page.text)
    for item in TEXTS.items:  # every item in full: each line of its text, its title and legal basis
        assert all(line.strip() in shown for line in item.text_ko.splitlines() if line.strip())
        assert item.legal_basis in shown
    assert _main(page.text).count('<span class="badge">필수</span>') == len(REQUIRED)
    assert " checked" not in page.text  # nothing chosen for the caller
    assert phone[3:7] not in page.text and phone[-4:] not in page.text  # no number, not even masked
    assert "<script" not in page.text  # works without JavaScript: a plain form
    english = hub.http.get(path + "?lang=en")
    assert "I do not agree" in english.text and TEXTS.items[0].title_en in english.text

    choices = {**ALL_YES, OPTIONAL[-1]: "no"}  # the caller refuses the last optional item themselves
    with hub.http.websocket_connect("/events", headers=desk) as ws:
        assert ws.receive_json()["type"] == "hello"
        answered = hub.http.post(path, content=_form(choices, code), follow_redirects=False)
        assert answered.status_code == 303, answered.text
        event = ws.receive_json()  # the desk hears it without asking
    assert event["type"] == "sms_consent.confirmed"
    assert event["data"] == {
        "challenge_id": challenge_id, "visit_id": visit_id, "status": "confirmed", "method": "web"
    }  # fmt: skip
    done = hub.http.get(answered.headers["location"])
    assert "동의가 확인됐어요 — 상담사에게 알려 드렸어요" in done.text
    assert 'name="code"' not in done.text  # no code field again
    assert f'data-item="{OPTIONAL[-1]}" data-granted="no"' in done.text
    assert f'data-item="{REQUIRED[0]}" data-granted="yes"' in done.text
    status = hub.http.get(f"/consent/sms/challenges/{challenge_id}", headers=desk).json()
    assert status["status"] == "confirmed"
    again = hub.http.post(path, content=_form(choices, code), follow_redirects=True)
    assert "동의가 확인됐어요" in again.text  # once only: the same page, nothing confirmed twice

    recorded = hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": challenge_id}, headers=desk
    )
    assert recorded.status_code == 200, recorded.text
    with hub.sessions() as s:
        consent = s.scalars(select(Consent).where(Consent.visit_id == uuid.UUID(visit_id))).one()
        assert {k: v["granted"] for k, v in consent.items.items()} == {
            k: v == "yes" for k, v in choices.items()
        }
        confirm_event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "sms_consent.confirm", AuditEvent.target == f"sms_consent:{challenge_id}"
            )
        ).one()
        assert confirm_event.detail["method"] == "web"
        assert confirm_event.detail["granted"] == sorted(k for k, v in choices.items() if v == "yes")
        assert phone[-4:] not in str(confirm_event.detail) and code not in str(confirm_event.detail)
        views = s.scalar(
            select(func.count()).where(
                AuditEvent.action == "sms_consent.web_view",
                AuditEvent.target == f"sms_consent:{challenge_id}",
            )
        )
        assert views and views >= 3  # every opening of the page is a read of the record


def test_wrong_codes_say_how_many_tries_are_left_and_the_fifth_locks(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, desk = phone_hub
    visit_id, challenge_id, path, code = _code_sent(hub, desk, number(2))
    wrong = "000000" if code != "000000" else "111111"
    choices = {**ALL_YES, OPTIONAL[0]: "no"}
    for left in (4, 3, 2, 1):
        r = hub.http.post(path, content=_form(choices, wrong))
        assert r.status_code == 400
        assert f"인증번호가 맞지 않아요. {left}번 더 넣을 수 있어요." in r.text
        assert f'name="{OPTIONAL[0]}" value="no" checked' in r.text  # the caller's choices stay
    en = hub.http.post(path + "?lang=en", content=_form(choices, wrong))
    assert "The code was wrong 5 times" in en.text
    assert _tries(hub, challenge_id) == 5
    late = hub.http.post(path, content=_form(choices, code), follow_redirects=True)
    assert "인증번호를 5번 틀려서 더 쓸 수 없어요" in late.text and 'name="code"' not in late.text
    with hub.sessions() as s:
        row = s.get(SmsConsentChallenge, uuid.UUID(challenge_id))
        assert row is not None and row.status.value == "locked" and row.confirmed_at is None
        locked = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "sms_consent.locked", AuditEvent.target == f"sms_consent:{challenge_id}"
            )
        ).one()
        assert locked.detail["method"] == "web"
    r = hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": challenge_id}, headers=desk
    )
    assert r.status_code == 422  # a locked code backs no consent


def test_a_required_item_refused_is_recorded_and_the_page_says_the_counseling_cannot_go_on(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, desk = phone_hub
    visit_id, challenge_id, path, code = _code_sent(hub, desk, number(3))
    choices = {**ALL_YES, REQUIRED[0]: "no"}
    done = hub.http.post(path, content=_form(choices, code), follow_redirects=True)
    assert done.status_code == 200
    assert (
        "필수 항목에 동의하지 않으셔서 상담 기록을 이어갈 수 없어요. 상담사가 전화로 설명해 드릴 거예요."
        in done.text
    )
    english = hub.http.get(str(done.url).split("?")[0] + "?lang=en")
    assert "The counselor will explain on the phone" in english.text
    r = hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": challenge_id}, headers=desk
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "consent_required_refused"


def test_a_late_opener_is_told_the_code_ran_out_and_the_link_ends_a_little_later(
    phone_hub: tuple[Hub, dict[str, str]], time_machine
) -> None:
    hub, desk = phone_hub
    _visit_id, challenge_id, path, code = _code_sent(hub, desk, number(4))
    time_machine.move_to(clock.now() + timedelta(minutes=4))
    page = hub.http.get(path)
    assert page.status_code == 200
    assert "인증번호의 3분이 지났어요, 상담사에게 새 번호를 받아 주세요" in page.text
    assert 'name="code"' not in page.text
    r = hub.http.post(path, content=_form(ALL_YES, code), follow_redirects=True)
    assert "3분이 지났어요" in r.text
    assert hub.http.get(f"/consent/sms/challenges/{challenge_id}", headers=desk).json()["status"] == "expired"
    time_machine.move_to(clock.now() + LINK_TTL)
    gone = hub.http.get(path)
    assert gone.status_code == 404 and "이 링크는 쓸 수 없어요" in gone.text


def test_unknown_malformed_and_another_centers_links_get_the_calm_page(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, desk = phone_hub
    _visit_id, challenge_id, path, code = _code_sent(hub, desk, number(5))
    token = path.rsplit("/", 1)[1]
    with hub.sessions() as s:
        until = clock.now() + timedelta(minutes=5)
        forged = mint(s, "consent", hub.other_center_id, uuid.UUID(challenge_id), until)
        as_ticket = mint(s, "ticket", hub.center_id, uuid.UUID(challenge_id), until)
        nothing = mint(s, "consent", hub.center_id, uuid.uuid4(), until)
        s.commit()
    bad = ("A" * 24, "short", "..%2F..%2Fetc", "x" * 5000, token[:-1] + ("A" if token[-1] != "A" else "B"))
    for other in (*bad, forged, as_ticket, nothing):
        for r in (
            hub.http.get(f"/m/c/{other}"),
            hub.http.post(f"/m/c/{other}", content=_form(ALL_YES, code)),
        ):
            assert r.status_code == 404 and "이 링크는 쓸 수 없어요" in r.text, other
            assert "Traceback" not in r.text and "2345" not in r.text
    assert _tries(hub, challenge_id) == 0  # none of them touched the real challenge


def test_huge_odd_and_scripted_bodies_are_refused_calmly_and_never_echoed(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, _desk = phone_hub
    _visit_id, challenge_id, path, code = _code_sent(hub, _desk, number(6))
    huge = hub.http.post(path, content=b"code=" + b"1" * 100_000)
    assert huge.status_code == 413 and "보낸 내용이 너무 길어요" in huge.text
    many = hub.http.post(path, content=b"&".join(b"f%d=1" % i for i in range(200)))
    assert many.status_code == 413
    assert _tries(hub, challenge_id) == 0  # a body that is not our form is not a try
    partial = hub.http.post(path, content=_form({REQUIRED[0]: "yes"}, code))
    assert partial.status_code == 400 and "모든 항목에" in partial.text
    assert f'name="{REQUIRED[0]}" value="yes" checked' in partial.text
    script = "<script>alert(1)</script>"
    odd = hub.http.post(path, content=_form({**ALL_YES, OPTIONAL[0]: script}, script))
    assert odd.status_code == 400 and "<script>alert" not in odd.text
    assert _tries(hub, challenge_id) == 0  # not all chosen: the code is not even looked at
    scripted_code = hub.http.post(path, content=_form(ALL_YES, script))
    assert scripted_code.status_code == 400 and "<script>alert" not in scripted_code.text
    assert "4번 더" in scripted_code.text  # a malformed code is a wrong code
    binary = hub.http.post(path, content=b"\xff\xfe\x00code=\xff")
    assert binary.status_code == 400 and "Traceback" not in binary.text
    right = hub.http.post(path, content=_form(ALL_YES, code), follow_redirects=False)
    assert right.status_code == 303  # the right one still works


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300) | st.dictionaries(st.text(max_size=30), st.text(max_size=30), max_size=8))
def test_any_body_gets_a_page_never_a_crash(
    phone_hub: tuple[Hub, dict[str, str]], body: bytes | dict[str, str]
) -> None:
    from urllib.parse import urlencode

    hub, _desk = phone_hub
    content = body if isinstance(body, bytes) else urlencode(body).encode()
    r = hub.http.post("/m/c/" + "Q" * 24, content=content)
    assert r.status_code == 404 and "Traceback" not in r.text


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([item.id for item in TEXTS.items] + ["code", "other"]),
        st.sampled_from(["yes", "no", "", "YES", "1", "<b>"]),
    )
)
def test_the_form_is_read_as_a_choice_for_every_item_or_as_nothing(fields: dict[str, str]) -> None:
    chosen = page_choices(fields)
    ids = [item.id for item in TEXTS.items]
    if all(fields.get(i) in ("yes", "no") for i in ids):
        assert chosen == {i: fields[i] == "yes" for i in ids}
    else:
        assert chosen is None  # an item left out is never taken as agreed nor refused


def test_the_lms_has_the_link_only_with_a_web_address_and_only_for_a_phone_counseling(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, _desk = phone_hub
    assert default_templates()["consent_code_call"].longest_bytes() <= LMS_BYTES
    assert hub.sms is not None
    service = hub.app.state.hub.sms
    requester = Requester(hub.center_id, None, None)
    cases = [
        (number(7), "phone_counseling", ""),  # no address at all: no link
        (number(8), "phone_counseling", "https://" + "m" * 300 + ".example"),  # longer than the LMS allows
        (number(9), "kiosk", "https://m.center.example"),  # the kiosk's own code: consent on its screen
    ]
    for phone, purpose, base in cases:
        with hub.sessions() as s:
            links_before = s.scalar(select(func.count()).select_from(WebLink))
            issue(
                s, service, hub.keys, requester, phone=phone, purpose=purpose, text_version=TEXTS.version,
                text_sha256=TEXTS.sha256, items={i.id: True for i in TEXTS.items}, visit_id=None,
                now=clock.now(), link_base=base,
            )  # fmt: skip
            s.commit()
            assert s.scalar(select(func.count()).select_from(WebLink)) == links_before
        service.wake()
        text = wait_until(lambda p=phone: hub.sms.inbox(p), 10, message="the code on the phone")[-1]  # type: ignore[union-attr]
        assert "/m/c/" not in text and "직접 고르기" not in text and re.search(r"\d{6}", text)
        if purpose == "phone_counseling":
            assert "인증번호는" in text and "\n\n동의하는 항목" in text  # the layout without the line


def test_texts_changed_since_the_code_was_sent_ask_for_a_new_code(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, desk = phone_hub
    _visit_id, challenge_id, path, code = _code_sent(hub, desk, number(10))
    with hub.sessions() as s:  # as if the center updated its texts after the counselor sent the code
        row = s.get(SmsConsentChallenge, uuid.UUID(challenge_id))
        assert row is not None
        row.text_sha256 = "0" * 64
        s.commit()
    page = hub.http.get(path)
    assert "동의 문구가 그 사이에 바뀌었어요" in page.text and 'name="code"' not in page.text
    hub.http.post(path, content=_form(ALL_YES, code))
    assert hub.http.get(f"/consent/sms/challenges/{challenge_id}", headers=desk).json()["status"] == "sent"


@pytest.fixture
def pg_hub(postgres_url: str) -> Iterator[Hub]:
    """PostgreSQL too: the page locks the challenge's row while it checks the code."""
    import db.models  # noqa: F401 - registers every table
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(postgres_url)
    Base.metadata.create_all(engine)
    yield from make_hub(engine, "smpp")
    engine.dispose()


@pytest.mark.postgres
def test_the_page_confirms_and_the_desk_records_on_postgresql(pg_hub: Hub) -> None:
    from db.audit import verify_chain

    _, desk_token = pg_hub.enroll("desk")
    desk = pg_hub.login("kim", desk_token)
    visit_id, challenge_id, path, code = _code_sent(pg_hub, desk, number(11))
    wrong = "000000" if code != "000000" else "111111"
    assert pg_hub.http.post(path, content=_form(ALL_YES, wrong)).status_code == 400
    choices = {**ALL_YES, OPTIONAL[0]: "no"}
    assert pg_hub.http.post(path, content=_form(choices, code), follow_redirects=False).status_code == 303
    r = pg_hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": challenge_id}, headers=desk
    )
    assert r.status_code == 200, r.text
    with pg_hub.sessions() as s:
        consent = s.scalars(select(Consent).where(Consent.visit_id == uuid.UUID(visit_id))).one()
        assert consent.items[OPTIONAL[0]]["granted"] is False and consent.items[REQUIRED[0]]["granted"]
        assert verify_chain(s).ok
