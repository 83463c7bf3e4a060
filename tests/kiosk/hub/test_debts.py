"""The hub's debt routes (issue 21): the creditor list from the kiosk's totals, the credit-information port
and the counselor, each change audited, and the plan estimate that follows the desk's term.

One hub on SQLite serves the module (a hub's start and a login cost seconds; every test makes its own
visit and looks only at that visit's rows); the whole round runs once more on each engine.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, DebtLine, DebtList, Document
from kiosk.debt.credit_port import EmulatedCreditPort
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission
from tests.printers.test_debt_application import pdftotext

ANSWERS = {
    "purpose": "debt",
    "annual_income_krw": 36_000_000,
    "household_size": 1,
    "total_debt_krw": 30_000_000,
    "unsecured_debt_krw": 22_000_000,
    "secured_debt_krw": 5_000_000,
    "delinquency_days": {"from": 90, "to": None},
}


@dataclass
class Desk:
    hub: Hub
    kim: dict[str, str]
    park: dict[str, str]  # a counselor of another center
    lobby: dict[str, str]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    import db.models  # noqa: F401 - registers every table
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('debts') / 'kiosk.db'}")
    Base.metadata.create_all(engine)
    for hub in make_hub(engine):
        lobby, _ = hub.enroll("lobby")
        yield Desk(hub, hub.login("kim"), hub.login("park"), lobby)
    engine.dispose()


@pytest.fixture
def port(desk: Desk) -> Iterator[None]:
    """Restores the emulated port a test replaced."""
    yield
    desk.hub.app.state.credit_port = EmulatedCreditPort()


def _visit(
    desk: Desk, *, credit_inquiry: bool = True, seed: int = 7, answers: dict[str, Any] | None = None
) -> str:
    body = submission(seed)
    body["consent"]["items"]["credit_inquiry"] = {"granted": credit_inquiry, "required": False}
    body["intake"]["answers"] = answers if answers is not None else ANSWERS
    r = desk.hub.http.post("/visits", json=body, headers=desk.lobby)
    assert r.status_code == 200, r.text
    return str(r.json()["visit_id"])


def _events(hub: Hub, visit: str, prefix: str = "debts.") -> list[AuditEvent]:
    """The visit's audit events: on the visit, or on one of its lines (named in the detail)."""
    with hub.sessions() as s:
        rows = s.scalars(
            select(AuditEvent).where(AuditEvent.action.like(f"{prefix}%")).order_by(AuditEvent.seq)
        ).all()
        return [r for r in rows if r.target == f"visit:{visit}" or r.detail.get("visit_id") == visit]


def _actions(hub: Hub, visit: str) -> list[str]:
    return [e.action for e in _events(hub, visit)]


def _stored(hub: Hub, visit: str) -> tuple[int, int]:
    vid = uuid.UUID(visit)
    with hub.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(DebtLine).where(DebtLine.visit_id == vid)) or 0,
            s.scalar(select(func.count()).select_from(DebtList).where(DebtList.visit_id == vid)) or 0,
        )


LINE = {
    "creditor": "가온카드",
    "kind": "card",
    "principal_krw": 8_000_000,
    "annual_rate": 0.179,
    "overdue_days": 400,
    "written_off": True,
}


def _workout(plan: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in plan["plans"] if p["program"] == "ccrs.individual_workout")


def test_the_whole_round_on_each_engine(hub: Hub, tmp_path: Path) -> None:
    """Fetch → correct → plan at a term → the application's fields, and another center refused."""
    lobby, _ = hub.enroll("lobby")
    kim, park = hub.login("kim"), hub.login("park")
    round_desk = Desk(hub, kim, park, lobby)
    visit = _visit(round_desk)
    fetched = hub.http.post(f"/visits/{visit}/debts/fetch", headers=kim)
    assert fetched.status_code == 200, fetched.text
    lines = fetched.json()["debts"]
    assert fetched.json()["source"] == "credit_port" and fetched.json()["emulated"] is True
    edited = [{**lines[0], "principal_krw": lines[0]["principal_krw"] + 1_000}, *lines[1:]]
    put = hub.http.put(f"/visits/{visit}/debts", json={"debts": edited}, headers=kim)
    assert put.status_code == 200, put.text
    assert put.json()["source"] == "counselor" and put.json()["emulated"] is True  # port lines kept
    plan = hub.http.get(f"/visits/{visit}/debt-plan", params={"term_months": 60}, headers=kim)
    assert plan.status_code == 200, plan.text
    doc = hub.http.post(f"/visits/{visit}/documents", json={"template": "debt_application"}, headers=kim)
    assert doc.status_code == 200, doc.text
    with hub.sessions() as s:
        stored = s.get(Document, uuid.UUID(doc.json()["id"]))
        assert stored is not None
        debt = stored.render_fields["debt"]
    assert [c["creditor"] for c in debt["creditors"]] == [d["creditor"] for d in lines]
    assert debt["plan"]["term_months"] == _workout(plan.json())["term_months"] == 60
    assert debt["consent"]["credit_inquiry"] is True
    # The counter's large-type figures travel with the document: the plan's numbers as rendered, no more.
    figures = {
        "program": debt["plan"]["program"],
        "principal_before_krw": debt["plan"]["principal_before_krw"],
        "principal_after_krw": debt["plan"]["principal_after_krw"],
        "term_months": 60,
        "monthly_krw": debt["plan"]["monthly_payment_krw"],
    }
    assert doc.json()["figures"] == figures
    assert hub.http.get(f"/documents/{doc.json()['id']}", headers=kim).json()["figures"] == figures
    pdf = hub.http.get(f"/documents/{doc.json()['id']}/pdf", headers=kim)
    text = pdftotext(pdf.content, tmp_path)
    assert f"{figures['monthly_krw']:,}원" in text
    assert all(line["creditor"] in text for line in lines)
    assert "예상치예요 — 최종 결정은 신용회복위원회 심사 후에 나요" in text.replace("\n", " ")
    assert _actions(hub, visit) == ["debts.fetch", "debts.line_edited", "debts.put", "debts.plan"]
    for method, path in (
        ("GET", f"/visits/{visit}/debts"),
        ("POST", f"/visits/{visit}/debts/fetch"),
        ("GET", f"/visits/{visit}/debt-plan"),
        ("PUT", f"/visits/{visit}/debts"),
    ):
        r = hub.http.request(method, path, headers=park, json={"debts": [LINE]} if method == "PUT" else None)
        assert r.status_code == 403 and r.json()["error"]["message_ko"], (method, path)
    assert hub.http.get(f"/visits/{visit}/debts", headers=lobby).status_code == 403  # counselors only


def test_without_a_list_the_kiosk_totals_stand_in_one_line_per_kind(desk: Desk) -> None:
    visit = _visit(desk)
    r = desk.hub.http.get(f"/visits/{visit}/debts", headers=desk.kim)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"] == "kiosk_totals" and body["emulated"] is False and body["fetched_at"] is None
    kinds = {d["kind"]: d["principal_krw"] for d in body["debts"]}
    assert kinds == {"secured_loan": 5_000_000, "unsecured_loan": 22_000_000, "other": 3_000_000}
    assert all(d["overdue_days"] == 90 and d["id"] is None for d in body["debts"])
    assert _actions(desk.hub, visit) == ["debts.read"]  # the read is on the audit trail
    assert _stored(desk.hub, visit) == (0, 0)  # the totals are read, never copied


def test_fetch_needs_the_credit_inquiry_consent(desk: Desk) -> None:
    visit = _visit(desk, credit_inquiry=False)
    r = desk.hub.http.post(f"/visits/{visit}/debts/fetch", headers=desk.kim)
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "consent_missing" and "신용정보 조회" in error["message_ko"]
    assert _stored(desk.hub, visit) == (0, 0)


def test_fetch_stores_the_emulated_list_and_tells_the_desks(desk: Desk) -> None:
    hub, visit = desk.hub, _visit(desk)
    with hub.http.websocket_connect("/events", headers=desk.kim) as ws:
        assert ws.receive_json()["type"] == "hello"
        r = hub.http.post(f"/visits/{visit}/debts/fetch", headers=desk.kim)
        assert r.status_code == 200, r.text
        event = ws.receive_json()
    assert event["type"] == "debts.updated" and event["data"] == {"visit_id": visit}
    body = r.json()
    assert body["source"] == "credit_port" and body["emulated"] is True and body["fetched_at"]
    assert 1 <= len(body["debts"]) <= 6
    assert max(d["overdue_days"] for d in body["debts"]) >= 90  # the kiosk said 90 days or more
    assert hub.http.get(f"/visits/{visit}/debts", headers=desk.kim).json()["debts"] == body["debts"]
    (fetch,) = [e for e in _events(hub, visit) if e.action == "debts.fetch"]
    assert set(fetch.detail) == {"lines", "emulated", "consent_id"}
    with hub.sessions() as s:  # the RRN was decrypted for the inquiry: that read is audited too
        reads = s.scalars(select(AuditEvent).where(AuditEvent.action == "person.read")).all()
        assert any(r.detail == {"purpose": "credit_inquiry"} for r in reads)


@pytest.mark.usefixtures("port")
@pytest.mark.parametrize("mode", ["timeout", "garbage"])
def test_a_failing_port_is_a_502_and_nothing_is_stored(desk: Desk, mode: str) -> None:
    visit = _visit(desk)
    desk.hub.app.state.credit_port = EmulatedCreditPort(mode=mode)  # type: ignore[arg-type]
    r = desk.hub.http.post(f"/visits/{visit}/debts/fetch", headers=desk.kim)
    assert r.status_code == 502
    error = r.json()["error"]
    assert error["code"] == "credit_port_failed" and "신용정보" in error["message_ko"]
    assert _stored(desk.hub, visit) == (0, 0)
    assert _actions(desk.hub, visit) == ["debts.fetch_failed"]


@pytest.mark.usefixtures("port")
def test_no_port_configured_says_so(desk: Desk) -> None:
    visit = _visit(desk)
    desk.hub.app.state.credit_port = None
    r = desk.hub.http.post(f"/visits/{visit}/debts/fetch", headers=desk.kim)
    assert r.status_code == 503 and r.json()["error"]["code"] == "credit_port_off"


def test_put_audits_each_added_edited_and_removed_line(desk: Desk) -> None:
    hub, visit = desk.hub, _visit(desk)
    loan = {**LINE, "creditor": "한빛은행", "kind": "unsecured_loan", "principal_krw": 12_000_000}
    first = hub.http.put(f"/visits/{visit}/debts", json={"debts": [LINE, loan]}, headers=desk.kim)
    assert first.status_code == 200, first.text
    assert first.json()["source"] == "counselor" and first.json()["emulated"] is False
    card_id = first.json()["debts"][0]["id"]
    assert _actions(hub, visit).count("debts.line_added") == 2
    # The card's amount corrected (named by id), the loan dropped, a new line typed.
    other = {
        **LINE,
        "creditor": "미래신협",
        "kind": "other",
        "principal_krw": 1_000_000,
        "written_off": False,
    }
    second = hub.http.put(
        f"/visits/{visit}/debts",
        json={"debts": [{**LINE, "id": card_id, "principal_krw": 7_500_000}, other]},
        headers=desk.kim,
    )
    assert second.status_code == 200, second.text
    assert [(d["creditor"], d["principal_krw"]) for d in second.json()["debts"]] == [
        ("가온카드", 7_500_000),
        ("미래신협", 1_000_000),
    ]
    assert second.json()["debts"][0]["id"] == card_id  # the same line, edited
    actions = _actions(hub, visit)
    assert actions.count("debts.line_added") == 3
    assert actions.count("debts.line_edited") == 1 and actions.count("debts.line_removed") == 1
    (edited,) = [e for e in _events(hub, visit) if e.action == "debts.line_edited"]
    assert edited.detail["fields"] == ["principal_krw"]  # names, not amounts
    assert "7500000" not in str(edited.detail)
    unchanged = hub.http.put(
        f"/visits/{visit}/debts", json={"debts": second.json()["debts"]}, headers=desk.kim
    )
    assert unchanged.status_code == 200
    assert _actions(hub, visit).count("debts.line_edited") == 1  # sending the same list changes nothing


BAD_LINES: list[tuple[dict[str, Any], str]] = [
    ({**LINE, "principal_krw": -5}, "원금"),
    ({**LINE, "principal_krw": 99_000_000_000}, "너무 커요"),
    ({**LINE, "annual_rate": 15.9}, "100%"),
    ({**LINE, "overdue_days": -3}, "앞으로 올 날짜"),
    ({**LINE, "kind": "mortgage"}, "보기에 없는"),
    ({**LINE, "creditor": "   "}, "채권자"),
    ({**LINE, "since": "2999-01-01"}, "앞으로 올 날짜"),
    ({**LINE, "principal_krw": "800만"}, "요청 내용"),  # not a number at all: the body's own check
]


@pytest.mark.parametrize(("line", "words"), BAD_LINES)
def test_bad_lines_are_refused_in_korean_and_nothing_is_stored(
    desk: Desk, line: dict[str, Any], words: str
) -> None:
    visit = _visit(desk)
    r = desk.hub.http.put(f"/visits/{visit}/debts", json={"debts": [line]}, headers=desk.kim)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert words in error["message_ko"] and error["fields"]
    assert _stored(desk.hub, visit) == (0, 0) and _actions(desk.hub, visit) == []


def test_duplicates_and_500_creditors_are_refused(desk: Desk) -> None:
    visit = _visit(desk)
    dup = desk.hub.http.put(f"/visits/{visit}/debts", json={"debts": [LINE, LINE]}, headers=desk.kim)
    assert dup.status_code == 422 and "합쳐" in dup.json()["error"]["message_ko"]
    many = [{**LINE, "creditor": f"채권자{i}"} for i in range(500)]
    big = desk.hub.http.put(f"/visits/{visit}/debts", json={"debts": many}, headers=desk.kim)
    assert big.status_code == 422 and "100곳" in big.json()["error"]["message_ko"]
    empty = desk.hub.http.put(f"/visits/{visit}/debts", json={"debts": []}, headers=desk.kim)
    assert empty.status_code == 422 and "하나 이상" in empty.json()["error"]["message_ko"]
    assert _stored(desk.hub, visit) == (0, 0)


def test_an_unknown_line_id_is_a_conflict(desk: Desk) -> None:
    visit = _visit(desk)
    body = {"debts": [{**LINE, "id": str(uuid.uuid4())}]}
    r = desk.hub.http.put(f"/visits/{visit}/debts", json=body, headers=desk.kim)
    assert r.status_code == 409 and r.json()["error"]["code"] == "debt_list_changed"
    assert _stored(desk.hub, visit) == (0, 0)


def test_the_plan_follows_the_term_the_desk_asks(desk: Desk) -> None:
    hub, visit = desk.hub, _visit(desk)
    assert hub.http.put(f"/visits/{visit}/debts", json={"debts": [LINE]}, headers=desk.kim).status_code == 200
    default = hub.http.get(f"/visits/{visit}/debt-plan", headers=desk.kim)
    assert default.status_code == 200, default.text
    assert set(default.json()) == {"plans", "available_income_monthly_krw"}  # the CLI's shape
    assert _workout(default.json())["reasons_ko"][-1].startswith("예상치예요")
    short = _workout(
        hub.http.get(f"/visits/{visit}/debt-plan", params={"term_months": 24}, headers=desk.kim).json()
    )
    long = _workout(
        hub.http.get(f"/visits/{visit}/debt-plan", params={"term_months": 96}, headers=desk.kim).json()
    )
    assert short["term_months"] == 24 and long["term_months"] == 96
    assert short["monthly_payment_krw"] > long["monthly_payment_krw"]
    with hub.sessions() as s:
        meta = s.get(DebtList, uuid.UUID(visit))
        assert meta is not None and meta.plan_term_months == 96  # the application will show this term
    for bad in (0, 601, "열두"):
        r = hub.http.get(f"/visits/{visit}/debt-plan", params={"term_months": bad}, headers=desk.kim)
        assert r.status_code == 422 and r.json()["error"]["message_ko"]


def test_no_debt_at_all_has_no_plan_and_no_application(desk: Desk) -> None:
    visit = _visit(desk, answers={"purpose": "debt", "total_debt_krw": 0})
    r = desk.hub.http.get(f"/visits/{visit}/debt-plan", headers=desk.kim)
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_debt_list"
    assert "빚 목록" in r.json()["error"]["message_ko"]
    doc = desk.hub.http.post(
        f"/visits/{visit}/documents", json={"template": "debt_application"}, headers=desk.kim
    )
    assert doc.status_code == 409 and doc.json()["error"]["code"] == "document_incomplete"


def test_an_unknown_visit_is_404(desk: Desk) -> None:
    r = desk.hub.http.get(f"/visits/{uuid.uuid4()}/debts", headers=desk.kim)
    assert r.status_code == 404 and r.json()["error"]["message_ko"]
