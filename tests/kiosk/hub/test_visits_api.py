"""Visit submission, the audited case view, and bad input: clear 4xx in Korean and English."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import AuditEvent, Person, Visit
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission, synthetic_rrn


def _visit_count(hub: Hub) -> int:
    with hub.sessions() as s:
        return s.scalar(select(func.count()).select_from(Visit)) or 0


def test_submit_replay_and_conflict(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    body = submission(7)
    first = hub.http.post("/visits", json=body, headers=lobby)
    assert first.status_code == 200
    replay = hub.http.post("/visits", json=body, headers=lobby)
    assert replay.status_code == 200 and replay.json() == first.json()
    changed = dict(body, intake={"answers": {"purpose": "living"}})
    conflict = hub.http.post("/visits", json=changed, headers=lobby)
    assert conflict.status_code == 409 and conflict.json()["error"]["message_ko"]
    assert _visit_count(hub) == 1


def test_returning_visitor_found_by_blind_index(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    rrn = synthetic_rrn(11)
    first = hub.http.post("/visits", json=submission(11, rrn=rrn), headers=lobby).json()
    second = hub.http.post("/visits", json=submission(11, rrn=rrn), headers=lobby).json()
    assert not first["returning_visitor"] and second["returning_visitor"]
    assert first["person_id"] == second["person_id"]
    counselor = hub.login("kim")
    case = hub.http.get(f"/visits/{second['visit_id']}/case", headers=counselor).json()
    assert [v["visit_id"] for v in case["earlier_visits"]] == [first["visit_id"]]


def test_case_view_is_masked_and_audited_reveal_is_audited(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    rrn = synthetic_rrn(5)
    visit_id = hub.http.post("/visits", json=submission(5, rrn=rrn), headers=lobby).json()["visit_id"]
    counselor = hub.login("kim")
    r = hub.http.get(f"/visits/{visit_id}/case", headers=counselor)
    case = r.json()
    assert case["person"]["name_masked"] == "홍*동"
    assert case["person"]["rrn_masked"].startswith(rrn[:8]) and rrn not in r.text
    assert "010-1234-5678" not in r.text
    assert case["consent"]["signed"] and case["verdicts"][0]["id"] == "ccrs.pre_workout"
    revealed = hub.http.post(f"/visits/{visit_id}/person/reveal", headers=counselor).json()
    assert revealed["rrn"] == rrn and revealed["phone"] == "010-1234-5678"
    with hub.sessions() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()]
        assert "case.view" in actions and "person.read" in actions
        raw = str([e.detail for e in s.scalars(select(AuditEvent)).all()])
        assert rrn not in raw


def test_plain_rrn_never_stored(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    rrn = synthetic_rrn(21)
    hub.http.post("/visits", json=submission(21, rrn=rrn), headers=lobby)
    with hub.sessions() as s:
        person = s.scalars(select(Person)).one()
        assert rrn.replace("-", "") not in str(person.rrn_enc) and person.rrn_masked.endswith("******")


def test_malformed_json_is_400_with_korean_message(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    r = hub_sqlite.http.post(
        "/visits", content=b'{"visit_id": ', headers={**lobby, "Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "malformed_json" and "JSON" in r.json()["error"]["message_ko"]
    assert _visit_count(hub_sqlite) == 0


def test_wrong_types_are_422_naming_fields_without_echoing_values(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    body = submission(3)
    body["identity"]["result"] = 12
    body["intake"]["answers"] = "lots"
    r = hub_sqlite.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 422
    err = r.json()["error"]
    assert "body.identity.result" in err["fields"] and err["message_ko"]
    assert body["identity"]["rrn"] not in r.text
    assert _visit_count(hub_sqlite) == 0


def test_a_program_name_too_long_is_refused_and_nothing_stored(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    body = submission(4)
    body["match"]["verdicts"][0]["name_ko"] = "가" * 201
    r = hub_sqlite.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 422
    assert any("name_ko" in field for field in r.json()["error"]["fields"])
    assert _visit_count(hub_sqlite) == 0


def test_program_names_reach_the_case_view(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    body = submission(5)
    body["match"]["verdicts"][0] |= {"name_ko": "사전채무조정 (프리워크아웃)", "name_en": "Pre-workout"}
    visit_id = hub_sqlite.http.post("/visits", json=body, headers=lobby).json()["visit_id"]
    case = hub_sqlite.http.get(f"/visits/{visit_id}/case", headers=hub_sqlite.login("kim")).json()
    assert case["verdicts"][0]["name_ko"] == "사전채무조정 (프리워크아웃)"


def test_invalid_rrn_is_refused(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    r = hub_sqlite.http.post("/visits", json=submission(3, rrn="991399-1234567"), headers=lobby)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_rrn"
    assert _visit_count(hub_sqlite) == 0


def test_oversized_body_is_413(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    body = submission(4)
    body["consent"]["signature"]["png_b64"] = "A" * (
        hub_sqlite.app.state.hub.settings.hub.max_body_bytes + 10
    )
    r = hub_sqlite.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
    assert _visit_count(hub_sqlite) == 0


_LOBBIES: dict[int, dict[str, str]] = {}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=12,
    )
)
def test_any_json_body_gets_a_4xx_never_a_crash(hub_sqlite: Hub, junk: object) -> None:
    # Hypothesis reuses the fixture across examples: enroll one lobby per hub, not per example.
    if id(hub_sqlite) not in _LOBBIES:
        _LOBBIES[id(hub_sqlite)] = hub_sqlite.enroll("lobby")[0]
    headers = _LOBBIES[id(hub_sqlite)]
    r = hub_sqlite.http.post("/visits", json=junk, headers=headers)
    assert 400 <= r.status_code < 500
    assert r.json()["error"]["message_ko"]


def test_notes_and_outcome(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    visit_id = hub_sqlite.http.post("/visits", json=submission(8), headers=lobby).json()["visit_id"]
    counselor = hub_sqlite.login("kim")
    notes = hub_sqlite.http.post(
        f"/visits/{visit_id}/notes", json={"text": "채무 목록 확인"}, headers=counselor
    )
    assert notes.json()[0]["text"] == "채무 목록 확인"
    r = hub_sqlite.http.put(
        f"/visits/{visit_id}/outcome", json={"outcome": "debt_adjustment_applied"}, headers=counselor
    )
    assert r.status_code == 200
    case = hub_sqlite.http.get(f"/visits/{visit_id}/case", headers=counselor).json()
    assert case["outcome"] == "debt_adjustment_applied" and case["status"] == "completed"
    missing = hub_sqlite.http.get(f"/visits/{uuid.uuid4()}/case", headers=counselor)
    assert missing.status_code == 404 and missing.json()["error"]["message_ko"]
