"""내 서류 through the hub and the emulated SMSC: a document is signed at the counter, the desk sends the
link, the person's phone gets two messages (the link; the code apart), the page asks for the code,
a right code lists the signed documents and each download is the signed PDF itself, audited once per
download. Five wrong codes lock the link; a new link revokes the old one; seven days end it; nothing
of another visit opens; bad input gets a calm page."""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from config import clock
from db.models import AuditEvent, Document, SmsMessage, SmsOptOut, WebLink
from kiosk.sms.numbers import phone_blind_index
from kiosk.web import document_codes
from kiosk.web.links import mint
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission
from tests.kiosk.hub.test_tickets_documents import _desk_and_counter, _signature
from tests.polling import wait_until

_NUMBERS = (f"0105555{n:04d}" for n in itertools.count(1))  # one emulated phone per visit
_SEEDS = itertools.count(500)
GONE = "이 링크는 쓸 수 없어요"
LOCKED = "이 링크는 잠겼어요"
ASKS_CODE = "확인 코드 (숫자 6자리)"
TOKEN = re.compile(r"/m/d/([A-Za-z0-9_-]{24})")
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@dataclass
class Sent:
    """One visit of the test: its number, its signed document, and the two messages its phone got."""

    visit_id: str
    phone: str
    document_id: str
    token: str = ""
    code: str = ""
    link_text: str = ""
    code_text: str = ""
    answer: dict[str, Any] | None = None


class Center:
    """A lobby, a desk with its paired counter, and the emulated phones, on one hub."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.lobby = hub.enroll("lobby")[0]
        self.counselor, self.counter = _desk_and_counter(hub)

    def visit(self, phone: str | None = "", sign: bool = True) -> Sent:
        body = submission(next(_SEEDS))
        number = next(_NUMBERS) if phone == "" else phone
        body["identity"]["phone"] = number
        visit_id = self.hub.http.post("/visits", json=body, headers=self.lobby).json()["visit_id"]
        doc = self.hub.http.post(
            f"/visits/{visit_id}/documents", json={"template": "consent"}, headers=self.counselor
        ).json()
        if sign:
            self.sign(doc["id"], doc["sha256"])
        return Sent(visit_id, number or "", doc["id"])

    def sign(self, document_id: str, sha: str) -> None:
        assert self.hub.http.post(f"/documents/{document_id}/push", headers=self.counselor).status_code == 200
        signed = self.hub.http.post(
            f"/documents/{document_id}/sign",
            json=_signature(sha),
            headers={**self.counter, "Idempotency-Key": f"doc-{uuid.uuid4().hex[:12]}"},
        )
        assert signed.status_code == 200, signed.text

    def send(self, sent: Sent) -> Sent:
        """The desk's button, then the phone's two new messages (delivery is asynchronous)."""
        assert self.hub.sms is not None
        before = len(self.hub.sms.inbox(sent.phone))
        r = self.hub.http.post(f"/visits/{sent.visit_id}/document-link", headers=self.counselor)
        assert r.status_code == 200, r.text
        sms = self.hub.sms

        def arrived() -> list[str]:
            texts = sms.inbox(sent.phone)
            return texts[before:] if len(texts) >= before + 2 else []

        texts = wait_until(arrived, 10.0, message="the link and the code on the emulated phone")
        (link_text,) = [t for t in texts if TOKEN.search(t)]
        (code_text,) = [t for t in texts if t is not link_text]
        sent.link_text, sent.code_text, sent.answer = link_text, code_text, r.json()
        sent.token = TOKEN.findall(link_text)[0]
        sent.code = CODE.findall(code_text)[0]
        return sent

    def unlock(self, sent: Sent) -> Any:
        r = self.hub.http.post(f"/m/d/{sent.token}", data={"code": sent.code})
        assert r.status_code == 200, r.text  # followed the 303 to the list
        return r

    def link_row(self, token: str) -> WebLink:
        with self.hub.sessions() as s:
            row = s.scalar(select(WebLink).where(WebLink.token_sha256 == document_codes.token_hash(token)))
            assert row is not None
            s.expunge(row)
            return row


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    """One hub on SQLite sending through the emulated SMSC (a hub with SMS costs seconds to build)."""
    import db.models  # noqa: F401
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{Path(tmp_path_factory.mktemp('documents')) / 'hub.db'}")
    Base.metadata.create_all(engine)
    for hub in make_hub(engine, "smpp"):
        yield Center(hub)
    engine.dispose()


@pytest.fixture
def center(shared: Center) -> Center:
    shared.hub.http.cookies.clear()  # every test starts as a phone that has unlocked nothing
    return shared


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _audits(center: Center, action: str, target: str) -> int:
    with center.hub.sessions() as s:
        return len(
            s.scalars(
                select(AuditEvent.seq).where(AuditEvent.action == action, AuditEvent.target == target)
            ).all()
        )


def test_link_and_code_go_apart_and_a_right_code_downloads_the_signed_pdf(center: Center) -> None:
    sent = center.send(center.visit())
    assert sent.answer is not None
    assert sent.answer["to_masked"] == f"010-****-{sent.phone[-4:]}" and sent.phone not in str(sent.answer)
    expires = datetime.fromisoformat(sent.answer["expires_at"])
    assert abs(expires - (clock.now() + timedelta(days=7))) < timedelta(minutes=1)
    # Two messages: the link without the code, the code without the link.
    assert sent.code not in sent.link_text and "/m/d/" not in sent.code_text
    assert "홍*동님" in sent.link_text and "홍길동" not in sent.link_text
    with center.hub.sessions() as s:
        rows = s.scalars(
            select(SmsMessage).where(SmsMessage.template.in_(["document_link", "document_code"]))
        )
        for row in rows:
            for column in SmsMessage.__table__.columns:
                value = getattr(row, column.key)
                shown = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                assert sent.phone not in shown and "홍길동" not in shown, column.key
                assert sent.code not in shown or column.key in ("id", "gateway_id"), column.key
        link = s.scalar(select(WebLink).where(WebLink.token_sha256 == document_codes.token_hash(sent.token)))
        assert link is not None and link.code_hash and sent.code not in link.code_hash
    # The page asks for the code; a wrong one says how many tries are left.
    page = center.hub.http.get(f"/m/d/{sent.token}")
    assert page.status_code == 200 and ASKS_CODE in page.text and "홍" not in page.text
    wrong = center.hub.http.post(f"/m/d/{sent.token}", data={"code": _wrong(sent.code)})
    assert wrong.status_code == 400 and "4번 더 넣을 수 있어요" in wrong.text
    listed = center.unlock(sent)
    assert "개인(신용)정보 동의서" in listed.text and "서명" in listed.text
    assert "홍" not in listed.text and "길동" not in listed.text  # no name, no RRN on the list
    cookie = listed.history[0].headers["set-cookie"].lower()
    assert (
        "httponly" in cookie and "samesite=strict" in cookie and f"path=/m/d/{sent.token}".lower() in cookie
    )
    assert "max-age=900" in cookie
    # Each download is the signed PDF itself, and each one leaves its own audit event.
    target = f"document:{sent.document_id}"
    for n in (1, 2):
        pdf = center.hub.http.get(f"/m/d/{sent.token}/{sent.document_id}.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["cache-control"] == "no-store"
        disposition = pdf.headers["content-disposition"]
        assert disposition.startswith("attachment; filename=") and disposition.isascii()
        with center.hub.sessions() as s:
            doc = s.get(Document, uuid.UUID(sent.document_id))
            assert doc is not None and doc.status.value == "signed" and pdf.content == doc.pdf
        assert _audits(center, "document.download", target) == n
    with center.hub.sessions() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "document.download", AuditEvent.target == target)
        ).first()
        assert event is not None and event.actor == "web:document-holder"
        assert event.detail == {"link_id": str(link.id)}
    assert _audits(center, "document.link", f"visit:{sent.visit_id}") == 1


def test_five_wrong_codes_lock_the_link_and_a_new_link_works(center: Center) -> None:
    sent = center.send(center.visit())
    answers = [center.hub.http.post(f"/m/d/{sent.token}", data={"code": _wrong(sent.code)}) for _ in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 410]
    assert "1번 더" in answers[3].text and LOCKED in answers[4].text and "새 링크" in answers[4].text
    row = center.link_row(sent.token)
    assert row.tries == 5 and row.revoked_at is not None
    right = center.hub.http.post(f"/m/d/{sent.token}", data={"code": sent.code})
    assert right.status_code == 410 and LOCKED in right.text  # the right code comes too late
    assert LOCKED in center.hub.http.get(f"/m/d/{sent.token}").text
    locked_token = sent.token
    fresh = center.send(sent)  # the desk sends again
    assert fresh.token != locked_token and "개인(신용)정보 동의서" in center.unlock(fresh).text


def test_sending_again_revokes_the_earlier_link_and_its_cookie(center: Center) -> None:
    sent = center.send(center.visit())
    old_token, old_code = sent.token, sent.code
    center.unlock(sent)
    assert center.hub.http.get(f"/m/d/{old_token}/{sent.document_id}.pdf").status_code == 200
    center.send(sent)
    assert sent.token != old_token
    gone = center.hub.http.get(f"/m/d/{old_token}")
    assert gone.status_code == 404 and GONE in gone.text
    assert center.hub.http.get(f"/m/d/{old_token}/{sent.document_id}.pdf").status_code == 404
    assert center.hub.http.post(f"/m/d/{old_token}", data={"code": old_code}).status_code == 404
    assert (
        center.hub.http.get(f"/m/d/{sent.token}/{sent.document_id}.pdf").status_code == 403
    )  # no cookie here


def test_the_cookie_lasts_15_minutes_and_the_link_7_days(center: Center, time_machine) -> None:  # type: ignore[no-untyped-def]
    sent = center.send(center.visit())
    center.unlock(sent)
    pdf = f"/m/d/{sent.token}/{sent.document_id}.pdf"
    time_machine.move_to(clock.now() + timedelta(minutes=16))
    asked = center.hub.http.get(pdf)
    assert asked.status_code == 403 and ASKS_CODE in asked.text  # asks for the code again
    center.unlock(sent)
    assert center.hub.http.get(pdf).status_code == 200
    time_machine.move_to(clock.now() + timedelta(days=7))
    for r in (
        center.hub.http.get(f"/m/d/{sent.token}"),
        center.hub.http.post(f"/m/d/{sent.token}", data={"code": sent.code}),
        center.hub.http.get(pdf),
    ):
        assert r.status_code == 404 and GONE in r.text


def test_only_that_visits_signed_documents_open(center: Center) -> None:
    mine = center.send(center.visit())
    theirs = center.visit()
    unsigned = center.hub.http.post(
        f"/visits/{mine.visit_id}/documents", json={"template": "intake_summary"}, headers=center.counselor
    ).json()["id"]
    center.unlock(mine)
    for document_id in (theirs.document_id, unsigned, str(uuid.uuid4()), "nope", "../../etc/passwd"):
        r = center.hub.http.get(f"/m/d/{mine.token}/{document_id}.pdf")
        assert r.status_code == 404 and GONE in r.text and r.headers["content-type"].startswith("text/html")
    assert unsigned not in center.hub.http.get(f"/m/d/{mine.token}").text  # not listed either
    assert _audits(center, "document.download", f"document:{theirs.document_id}") == 0
    # Another link's cookie does not open this one, even sent on purpose to its address.
    mine_cookie = center.hub.http.cookies["docs_open"]
    other = center.send(theirs)
    center.hub.http.cookies.clear()
    stolen = center.hub.http.get(
        f"/m/d/{other.token}/{other.document_id}.pdf", headers={"Cookie": f"docs_open={mine_cookie}"}
    )
    assert stolen.status_code == 403 and ASKS_CODE in stolen.text
    assert _audits(center, "document.download", f"document:{other.document_id}") == 0


def test_unknown_malformed_and_other_kinds_of_token_get_the_calm_page(center: Center) -> None:
    sent = center.send(center.visit())
    with center.hub.sessions() as s:  # a valid link of another kind, for the same visit
        ticket_like = mint(
            s, "ticket", center.hub.center_id, uuid.UUID(sent.visit_id), clock.now() + timedelta(days=1)
        )
        s.commit()
    flipped = sent.token[:-1] + ("A" if sent.token[-1] != "A" else "B")
    for bad in ("A" * 24, "short", "x" * 5000, "..%2F..%2Fetc", flipped, ticket_like):
        for r in (
            center.hub.http.get(f"/m/d/{bad}"),
            center.hub.http.post(f"/m/d/{bad}", data={"code": sent.code}),
            center.hub.http.get(f"/m/d/{bad}/{sent.document_id}.pdf"),
        ):
            assert r.status_code == 404 and GONE in r.text and "Traceback" not in r.text, bad


def test_bad_input_counts_no_try_and_says_what_a_code_is(center: Center) -> None:
    sent = center.send(center.visit())
    url = f"/m/d/{sent.token}"
    for code in ("12345a", "１２３４５６", "1234567", "", "<script>alert(1)</script>", "12 34 56", "-12345"):
        r = center.hub.http.post(url, data={"code": code})
        assert r.status_code == 400 and "숫자 6자리예요" in r.text and "<script>alert" not in r.text, code
    huge = center.hub.http.post(
        url, content=b"code=" + b"1" * 20_000, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert huge.status_code in (413,) and "Traceback" not in huge.text
    many = center.hub.http.post(url, content="&".join(f"f{i}=1" for i in range(50)).encode())
    assert many.status_code == 413
    assert center.link_row(sent.token).tries == 0  # none of these was a guess
    assert "개인(신용)정보 동의서" in center.unlock(sent).text


def test_the_desk_is_told_plainly_when_it_cannot_send(center: Center) -> None:
    http, counselor = center.hub.http, center.counselor
    unsigned = center.visit(sign=False)
    r = http.post(f"/visits/{unsigned.visit_id}/document-link", headers=counselor)
    assert r.status_code == 409 and "서명한 서류가 없어요" in r.json()["error"]["message_ko"]
    nobody = center.visit(phone=None)
    r = http.post(f"/visits/{nobody.visit_id}/document-link", headers=counselor)
    assert r.status_code == 409 and "휴대전화 번호가 없어서" in r.json()["error"]["message_ko"]
    landline = center.visit(phone="02-123-4567")
    assert http.post(f"/visits/{landline.visit_id}/document-link", headers=counselor).status_code == 400
    sent = center.visit()
    assert http.post(f"/visits/{sent.visit_id}/document-link", headers=center.lobby).status_code == 403
    assert (
        http.post(f"/visits/{sent.visit_id}/document-link", headers=center.hub.login("kim")).status_code
        == 403
    )
    assert (
        http.post(f"/visits/{sent.visit_id}/document-link", headers=center.hub.login("park")).status_code
        == 403
    )
    assert http.post(f"/visits/{uuid.uuid4()}/document-link", headers=counselor).status_code == 404
    with center.hub.sessions() as s:
        assert not s.scalars(select(WebLink).where(WebLink.subject_id == uuid.UUID(sent.visit_id))).all()
    # A number that answered "거부" gets nothing, and the desk is told why.
    with center.hub.sessions() as s:
        s.add(SmsOptOut(blind_index=phone_blind_index(center.hub.keys, sent.phone), source="reply"))
        s.commit()
    r = http.post(f"/visits/{sent.visit_id}/document-link", headers=counselor)
    assert r.status_code == 409 and "수신을 거부" in r.json()["error"]["message_ko"]
    with center.hub.sessions() as s:
        assert not s.scalars(select(WebLink).where(WebLink.subject_id == uuid.UUID(sent.visit_id))).all()
        assert not s.scalars(select(SmsMessage).where(SmsMessage.to_masked.endswith(sent.phone[-4:]))).all()


def test_the_flow_on_sqlite_and_postgresql(engine: Engine) -> None:
    """Send, unlock, download and lock on each database (row locks and UUIDs differ)."""
    for hub in make_hub(engine, "smpp"):
        desk = Center(hub)
        sent = desk.send(desk.visit())
        assert "개인(신용)정보 동의서" in desk.unlock(sent).text
        assert hub.http.get(f"/m/d/{sent.token}/{sent.document_id}.pdf").content.startswith(b"%PDF")
        assert _audits(desk, "document.download", f"document:{sent.document_id}") == 1
        hub.http.cookies.clear()
        again = desk.send(sent)
        codes = [hub.http.post(f"/m/d/{again.token}", data={"code": _wrong(again.code)}) for _ in range(5)]
        assert codes[-1].status_code == 410 and desk.link_row(again.token).tries == 5


def test_a_hub_without_sms_refuses_in_korean(sqlite_engine: Engine) -> None:
    for hub in make_hub(sqlite_engine):
        desk = Center(hub)
        sent = desk.visit()
        r = hub.http.post(f"/visits/{sent.visit_id}/document-link", headers=desk.counselor)
        assert r.status_code == 503 and "문자 서비스를 지금 쓸 수 없어요" in r.json()["error"]["message_ko"]


class _Keys:
    blind_index_key = b"k" * 32


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=12))
def test_only_the_very_code_opens_and_every_other_text_is_a_counted_try(text: str) -> None:
    link = WebLink(id=uuid.uuid4(), tries=0)
    link.code_hash = document_codes.code_hash(_Keys(), link.id, "042917")
    opened = document_codes.check(_Keys(), link, text, clock.now())
    assert opened == (text.strip() == "042917")
    assert link.tries == (0 if opened else 1)
