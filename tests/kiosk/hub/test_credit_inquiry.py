"""The lobby's credit inquiry during the questions (issue 21): `POST /credit-inquiries`, then the visit's
submission naming it makes the port's lines the visit's list — the desk sees them without fetching.

The round trip and the failures that must store nothing run on SQLite and PostgreSQL; the refusals run
on one SQLite hub for the module (a hub's start costs seconds).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import AuditEvent, CreditInquiryRecord, DebtLine, DebtList
from kiosk.api import SignatureIn
from kiosk.api.credit_inquiry import CreditInquiryIn, CreditInquiryOut
from kiosk.client import HubClient, HubRefused, HubUnavailable
from kiosk.debt.credit_port import EmulatedCreditPort
from kiosk.hub.signature_check import expected_record_sha256
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission, synthetic_rrn

ANSWERS = {"purpose": "debt", "annual_income_krw": 36_000_000, "household_size": 1}


def sealed_signature(sig: dict[str, Any]) -> dict[str, Any]:
    """The factory's signature with a resolution and its true record hash (as the counter seals it)."""
    sig = {**sig, "resolution": {"width": 800, "height": 300, "x_dpi": 96, "y_dpi": 96}}
    sig["record_sha256"] = expected_record_sha256(SignatureIn.model_validate(sig))
    return sig


def visit_body(seed: int = 3, *, granted: bool = True, method: str = "image") -> dict[str, Any]:
    """A lobby visit whose consent grants (or refuses) the credit inquiry, its signature sealed."""
    body = submission(seed)
    body["identity"]["method"] = method
    body["consent"]["items"]["credit_inquiry"] = {"granted": granted, "required": False}
    body["consent"]["signature"] = sealed_signature(body["consent"]["signature"])
    body["intake"]["answers"] = dict(ANSWERS)
    return body


def inquiry_of(body: dict[str, Any]) -> dict[str, Any]:
    return {"visit_id": body["visit_id"], "identity": body["identity"], "consent": body["consent"]}


def count(hub: Hub, model: Any, **where: Any) -> int:
    with hub.sessions() as s:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(s.scalar(query) or 0)


def actions(hub: Hub, prefix: str) -> list[AuditEvent]:
    with hub.sessions() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action.like(f"{prefix}%"))))


# --- on both engines ----------------------------------------------------------------------------------
def test_the_list_found_during_the_questions_becomes_the_visits_list(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    port = EmulatedCreditPort()
    hub.app.state.credit_port = port
    body = visit_body()
    r = hub.http.post("/credit-inquiries", json=inquiry_of(body), headers=lobby)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["emulated"] is True and out["creditors"] >= 1
    parts = out["card_krw"] + out["unsecured_loan_krw"] + out["secured_loan_krw"] + out["other_krw"]
    assert out["total_debt_krw"] == parts > 0
    assert set(out) == set(CreditInquiryOut.model_fields)  # figures only: totals, days, a count
    assert body["identity"]["rrn"] not in r.text and "since" not in r.text  # no identity, no line
    with hub.sessions() as s:
        row = s.scalars(select(CreditInquiryRecord)).one()
        # sealed: no creditor name, no RRN in the row; the person only by the blind index
        assert row.lines_enc is not None and "카드".encode() not in row.lines_enc
        assert body["identity"]["rrn"].encode() not in row.lines_enc
    assert [e.target for e in actions(hub, "credit_inquiry")] == [f"credit_inquiry:{out['inquiry_id']}"]

    # The submission names it: the desk reads the port's list, with no fetch of its own.
    body["credit_inquiry_id"] = out["inquiry_id"]
    r = hub.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 200, r.text
    kim = hub.login("kim")
    debts = hub.http.get(f"/visits/{body['visit_id']}/debts", headers=kim).json()
    assert debts["source"] == "credit_port" and debts["emulated"] is True
    assert sum(d["principal_krw"] for d in debts["debts"]) == out["total_debt_krw"]
    assert max(d["overdue_days"] for d in debts["debts"]) == out["longest_overdue_days"]
    assert port.calls == 1
    # An outbox replay of the same visit attaches nothing twice; the sealed copy is gone.
    again = hub.http.post("/visits", json=body, headers=lobby)
    assert again.status_code == 200, again.text
    assert count(hub, DebtLine, visit_id=uuid.UUID(body["visit_id"])) == len(debts["debts"])
    with hub.sessions() as s:
        row = s.scalars(select(CreditInquiryRecord)).one()
        assert row.lines_enc is None and row.attached_at is not None


@pytest.mark.parametrize("mode", ["timeout", "garbage"])
def test_a_failing_port_stores_nothing_and_the_kiosk_goes_on(hub: Hub, mode: str) -> None:
    lobby, token = hub.enroll("lobby")
    hub.app.state.credit_port = EmulatedCreditPort(mode=mode)  # type: ignore[arg-type]
    body = visit_body()
    r = hub.http.post("/credit-inquiries", json=inquiry_of(body), headers=lobby)
    assert r.status_code == 502 and r.json()["error"]["code"] == "credit_port_failed"
    assert "질문에 직접 답해 주세요" in r.json()["error"]["message_ko"]
    assert count(hub, CreditInquiryRecord) == 0
    assert [e.detail["reason"] for e in actions(hub, "credit_inquiry.failed")] == [mode]
    # The kiosk's client hears "no answer now" (HubUnavailable), which the flow takes as "ask as before".
    client = HubClient("http://hub", token, transport=_through(hub))
    with pytest.raises(HubUnavailable) as failed:
        client.credit_inquiry(CreditInquiryIn.model_validate(inquiry_of(visit_body(seed=4))))
    assert failed.value.status == 502


def _through(hub: Hub) -> httpx.BaseTransport:
    """An httpx transport into the test client's app (the kiosk's real client, no sockets)."""

    class Through(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            r = hub.http.request(
                request.method, str(request.url.path), content=request.content, headers=dict(request.headers)
            )
            return httpx.Response(r.status_code, headers=r.headers, content=r.content)

    return Through()


# --- refusals, on one SQLite hub -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def one(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, dict[str, str], str]]:
    import db.models  # noqa: F401 - registers every table
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('credit') / 'kiosk.db'}")
    Base.metadata.create_all(engine)
    for hub in make_hub(engine):
        lobby, token = hub.enroll("lobby")
        yield hub, lobby, token
    engine.dispose()


@pytest.fixture
def port(one: tuple[Hub, dict[str, str], str]) -> Iterator[EmulatedCreditPort]:
    emulated = EmulatedCreditPort()
    one[0].app.state.credit_port = emulated
    yield emulated
    one[0].app.state.credit_port = EmulatedCreditPort()


def test_without_the_consent_item_nothing_is_asked(one: Any, port: EmulatedCreditPort) -> None:
    hub, lobby, _ = one
    r = hub.http.post("/credit-inquiries", json=inquiry_of(visit_body(granted=False)), headers=lobby)
    assert r.status_code == 403, r.text
    error = r.json()["error"]
    assert error["code"] == "credit_consent_missing"
    assert error["message_ko"].startswith("신용정보 조회에 동의하지 않아서")
    body = visit_body()
    del body["consent"]["items"]["credit_inquiry"]
    assert hub.http.post("/credit-inquiries", json=inquiry_of(body), headers=lobby).status_code == 403
    assert port.calls == 0


def test_an_unsigned_or_altered_consent_is_no_evidence(one: Any, port: EmulatedCreditPort) -> None:
    hub, lobby, _ = one
    unsigned = visit_body()
    unsigned["consent"]["signature"] = None
    r = hub.http.post("/credit-inquiries", json=inquiry_of(unsigned), headers=lobby)
    assert r.status_code == 403 and r.json()["error"]["code"] == "credit_consent_missing"
    altered = visit_body()
    altered["consent"]["signature"]["points"][0]["x"] = 2  # the strokes changed after sealing
    r = hub.http.post("/credit-inquiries", json=inquiry_of(altered), headers=lobby)
    assert r.status_code == 422 and r.json()["error"]["code"] == "signature_record_mismatch"
    assert port.calls == 0


def test_a_typed_identity_is_no_basis_to_inquire(one: Any, port: EmulatedCreditPort) -> None:
    hub, lobby, _ = one
    r = hub.http.post("/credit-inquiries", json=inquiry_of(visit_body(method="manual")), headers=lobby)
    assert r.status_code == 403 and r.json()["error"]["code"] == "credit_identity_missing"
    assert "신분증" in r.json()["error"]["message_ko"]
    assert port.calls == 0


def test_only_a_lobby_asks_and_a_center_without_port_says_so(one: Any, port: EmulatedCreditPort) -> None:
    hub, lobby, _ = one
    kim = hub.login("kim")
    assert hub.http.post("/credit-inquiries", json=inquiry_of(visit_body()), headers=kim).status_code == 403
    hub.app.state.credit_port = None
    r = hub.http.post("/credit-inquiries", json=inquiry_of(visit_body(seed=9)), headers=lobby)
    assert r.status_code == 503 and r.json()["error"]["code"] == "credit_port_off"


def test_one_inquiry_per_visit_a_retry_gets_the_same_answer(one: Any, port: EmulatedCreditPort) -> None:
    hub, lobby, _ = one
    body = visit_body(seed=11)
    first = hub.http.post("/credit-inquiries", json=inquiry_of(body), headers=lobby)
    again = hub.http.post("/credit-inquiries", json=inquiry_of(body), headers=lobby)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    other = copy.deepcopy(body)
    other["identity"]["rrn"] = synthetic_rrn(12)  # another person under the same visit id
    r = hub.http.post("/credit-inquiries", json=inquiry_of(other), headers=lobby)
    assert r.status_code == 409 and r.json()["error"]["code"] == "credit_inquiry_conflict"
    assert port.calls == 1


@pytest.mark.parametrize("change", ["other_person", "other_consent", "other_device", "unknown"])
def test_an_inquiry_attaches_only_to_its_own_visit(one: Any, port: EmulatedCreditPort, change: str) -> None:
    hub, lobby, _ = one
    body = visit_body(seed=20 + len(change))
    r = hub.http.post("/credit-inquiries", json=inquiry_of(body), headers=lobby)
    assert r.status_code == 200, r.text
    body["credit_inquiry_id"] = r.json()["inquiry_id"]
    sender = lobby
    if change == "other_person":
        body["identity"]["rrn"] = synthetic_rrn(99)
    elif change == "other_consent":
        body["consent"]["items"]["marketing"]["granted"] = True
    elif change == "other_device":
        sender, _ = hub.enroll("lobby")
    else:
        body["credit_inquiry_id"] = str(uuid.uuid4())
    r = hub.http.post("/visits", json=body, headers=sender)
    assert r.status_code == 200, r.text  # the visit itself is never refused for it
    visit = uuid.UUID(body["visit_id"])
    assert count(hub, DebtLine, visit_id=visit) == 0 and count(hub, DebtList, visit_id=visit) == 0
    kim = hub.login("kim")
    assert hub.http.get(f"/visits/{visit}/debts", headers=kim).json()["source"] == "kiosk_totals"
    reasons = [
        e.detail["reason"]
        for e in actions(hub, "credit_inquiry.not_attached")
        if e.target == f"visit:{visit}"
    ]
    assert reasons == [change if change != "other_device" else "other_visit"]


# Bodies a broken or hostile lobby might send: every one is a 4xx, and none reaches the port.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


def _mangled(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    paths = [("visit_id",), ("identity",), ("identity", "rrn"), ("identity", "method"), ("consent",),
             ("consent", "items"), ("consent", "method"), ("consent", "signature"),
             ("consent", "text_sha256")]  # fmt: skip

    def put(path: tuple[str, ...], value: Any) -> dict[str, Any]:
        body = copy.deepcopy(base)
        place = body
        for key in path[:-1]:
            place = place[key]
        place[path[-1]] = value
        return body

    return st.builds(put, st.sampled_from(paths), _json) | _json.filter(lambda v: not isinstance(v, dict))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_bad_bodies_are_refused_and_reach_no_port(
    one: Any, port: EmulatedCreditPort, data: st.DataObject
) -> None:
    hub, lobby, _ = one
    base = inquiry_of(visit_body(seed=40))
    body = data.draw(_mangled(base))
    before = count(hub, CreditInquiryRecord)
    r = hub.http.post("/credit-inquiries", json=body, headers=lobby)
    if r.status_code == 200:  # only a change that left the evidence whole and valid may pass
        return
    assert 400 <= r.status_code < 500, r.text
    assert set(r.json()["error"]) >= {"code", "message_ko", "message_en"}
    assert count(hub, CreditInquiryRecord) == before


def test_the_kiosk_client_sees_a_refusal_as_a_refusal(one: Any, port: EmulatedCreditPort) -> None:
    hub, _, token = one
    client = HubClient("http://hub", token, transport=_through(hub))
    with pytest.raises(HubRefused) as refused:
        client.credit_inquiry(CreditInquiryIn.model_validate(inquiry_of(visit_body(seed=50, granted=False))))
    assert refused.value.status == 403 and refused.value.code == "credit_consent_missing"
    out = client.credit_inquiry(CreditInquiryIn.model_validate(inquiry_of(visit_body(seed=51))))
    assert out.total_debt_krw == out.unsecured_debt_krw + out.secured_loan_krw + out.other_krw


def test_a_plan_from_the_kiosk_totals_says_its_assumptions_and_one_from_the_list_does_not(
    one: Any, port: EmulatedCreditPort
) -> None:
    hub, lobby, _ = one
    kim = hub.login("kim")
    answers = {**ANSWERS, "total_debt_krw": 20_000_000, "unsecured_debt_krw": 20_000_000,
               "delinquency_days": {"from": 90, "to": None}}  # fmt: skip
    totals = visit_body(seed=60)
    totals["intake"]["answers"] = answers
    assert hub.http.post("/visits", json=totals, headers=lobby).status_code == 200
    plan = hub.http.get(f"/visits/{totals['visit_id']}/debt-plan", headers=kim).json()
    for each in plan["plans"]:
        assert any("연 15%로 가정했어요" in r for r in each["reasons_ko"])
        assert any("원금 감면은 계산에 넣지 않았어요" in r for r in each["reasons_ko"])
    listed = visit_body(seed=61)
    listed["intake"]["answers"] = answers
    r = hub.http.post("/credit-inquiries", json=inquiry_of(listed), headers=lobby)
    listed["credit_inquiry_id"] = r.json()["inquiry_id"]
    assert hub.http.post("/visits", json=listed, headers=lobby).status_code == 200
    plan = hub.http.get(f"/visits/{listed['visit_id']}/debt-plan", headers=kim).json()
    assert not any("가정했어요" in r for each in plan["plans"] for r in each["reasons_ko"])
