"""Tickets (idempotent issue, call, recall, done, offline reservations) and the document signing flow."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import func, select

from db.models import Document, Signature, Ticket
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission


def _signature(document_sha256: str) -> dict[str, Any]:
    """A record sealed the way the counter seals it (devices.signature), sent as kiosk.client sends it."""
    from config.sections.signature import SignatureSection
    from devices.signature.record import Resolution, SignaturePoint, make_record
    from kiosk.client.signatures import signature_payload

    # A zig-zag about 5 cm long, drawn over a second on a 410 dpi pad: enough ink to be accepted.
    points = [
        SignaturePoint(100 + 40 * i, 100 + (150 if i % 2 else 0), None, 60 * i, True) for i in range(20)
    ]
    record = make_record(
        points, "screen", Resolution(2000, 600, 410.0, 410.0), document_sha256, None, SignatureSection()
    )
    return signature_payload(record)


def test_ticket_issue_is_idempotent_and_called_by_number_only(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    visit_id = hub.http.post("/visits", json=submission(1), headers=lobby).json()["visit_id"]
    body = {"line": "B", "visit_id": visit_id}
    first = hub.http.post("/tickets", json=body, headers={**lobby, "Idempotency-Key": "k-000001"})
    assert first.status_code == 200, first.text
    again = hub.http.post("/tickets", json=body, headers={**lobby, "Idempotency-Key": "k-000001"})
    assert again.json() == first.json()
    other = hub.http.post("/tickets", json={"line": "A"}, headers={**lobby, "Idempotency-Key": "k-000001"})
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_conflict"
    missing_key = hub.http.post("/tickets", json=body, headers=lobby)
    assert missing_key.status_code == 422
    with hub.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1

    counselor = hub.login("kim")
    with hub.http.websocket_connect("/events", headers=counselor) as ws:
        assert ws.receive_json()["type"] == "hello"
        called = hub.http.post("/queue/B/call-next", json={"desk": "3"}, headers=counselor)
        assert called.json()["display"] == first.json()["display"] and called.json()["desk"] == "3"
        event = ws.receive_json()
        assert event["type"] == "ticket.called"
        assert event["data"]["display"] == first.json()["display"] and event["data"]["desk"] == "3"
        assert "홍" not in str(event) and "visit" not in str(event["data"])
    assert hub.http.post("/queue/B/call-next", json={"desk": "3"}, headers=counselor).status_code == 204
    ticket_id = called.json()["id"]
    assert hub.http.post(f"/tickets/{ticket_id}/recall", headers=counselor).status_code == 200
    done = hub.http.post(f"/tickets/{ticket_id}/done", headers=counselor)
    assert done.status_code == 200 and done.json()["status"] == "done"
    again_done = hub.http.post(f"/tickets/{ticket_id}/done", headers=counselor)
    assert again_done.status_code == 409 and again_done.json()["error"]["message_ko"]


def test_unknown_line_is_refused(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    r = hub_sqlite.http.post("/tickets", json={"line": "Z"}, headers={**lobby, "Idempotency-Key": "k-000002"})
    assert r.status_code == 422 and r.json()["error"]["message_ko"]


def test_reserved_tickets_are_skipped_until_claimed(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    other_lobby, _ = hub.enroll("lobby")
    reserved = hub.http.post("/tickets/reserve", json={"line": "A", "count": 2}, headers=lobby).json()
    assert [t["status"] for t in reserved] == ["reserved", "reserved"]
    online = hub.http.post(
        "/tickets", json={"line": "A"}, headers={**lobby, "Idempotency-Key": "k-online1"}
    ).json()
    assert online["number"] == reserved[-1]["number"] + 1  # reserved numbers are never issued again
    counselor = hub.login("kim")
    assert (
        hub.http.post("/queue/A/call-next", json={"desk": "1"}, headers=counselor).json()["id"]
        == online["id"]
    )
    assert hub.http.post("/queue/A/call-next", json={"desk": "1"}, headers=counselor).status_code == 204
    visit_id = hub.http.post("/visits", json=submission(2), headers=lobby).json()["visit_id"]
    stolen = hub.http.post(
        f"/tickets/{reserved[0]['id']}/claim",
        json={"visit_id": visit_id},
        headers={**other_lobby, "Idempotency-Key": "claim-x1"},
    )
    assert stolen.status_code == 409
    claim = hub.http.post(
        f"/tickets/{reserved[0]['id']}/claim",
        json={"visit_id": visit_id},
        headers={**lobby, "Idempotency-Key": "claim-x2"},
    )
    assert claim.status_code == 200 and claim.json()["status"] == "waiting"
    replay = hub.http.post(
        f"/tickets/{reserved[0]['id']}/claim",
        json={"visit_id": visit_id},
        headers={**lobby, "Idempotency-Key": "claim-x2"},
    )
    assert replay.json() == claim.json()
    assert (
        hub.http.post("/queue/A/call-next", json={"desk": "1"}, headers=counselor).json()["id"]
        == reserved[0]["id"]
    )


def _desk_and_counter(hub: Hub) -> tuple[dict[str, str], dict[str, str]]:
    _desk_headers, desk_token = hub.enroll("desk", label="상담석 3")
    counselor = hub.login("kim", desk_token=desk_token)
    counter, _ = hub.enroll("counter", label="창구 3")
    code = hub.http.post("/desk/counter-code", headers=counselor).json()["code"]
    paired = hub.http.post("/devices/pair", json={"code": code}, headers=counter)
    assert paired.status_code == 200 and paired.json()["desk_label"] == "상담석 3"
    return counselor, counter


def test_generate_push_sign_archive(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    visit_id = hub.http.post("/visits", json=submission(9), headers=lobby).json()["visit_id"]
    counselor, counter = _desk_and_counter(hub)
    doc = hub.http.post(f"/visits/{visit_id}/documents", json={"template": "consent"}, headers=counselor)
    assert doc.status_code == 200, doc.text
    doc_id, sha = doc.json()["id"], doc.json()["sha256"]
    # Not pushed yet: the counter can neither read nor sign it.
    assert hub.http.get(f"/documents/{doc_id}/pdf", headers=counter).status_code == 403
    with hub.http.websocket_connect("/events", headers=counter) as ws:
        ws.receive_json()
        pushed = hub.http.post(f"/documents/{doc_id}/push", headers=counselor)
        assert pushed.json()["status"] == "pushed"
        event = ws.receive_json()
        assert event["type"] == "document.pushed" and event["data"]["sha256"] == sha
    pdf = hub.http.get(f"/documents/{doc_id}/pdf", headers=counter)
    assert pdf.content.startswith(b"%PDF") and hashlib.sha256(pdf.content).hexdigest() == sha
    assert [d["id"] for d in hub.http.get("/counter/documents", headers=counter).json()] == [doc_id]

    # A signature bound to another document is refused; so is a counter it was not pushed to.
    wrong = hub.http.post(
        f"/documents/{doc_id}/sign",
        json=_signature("0" * 64),
        headers={**counter, "Idempotency-Key": "sign-0001"},
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "signature_not_bound"
    stranger, _ = hub.enroll("counter")
    foreign = hub.http.post(
        f"/documents/{doc_id}/sign",
        json=_signature(sha),
        headers={**stranger, "Idempotency-Key": "sign-0002"},
    )
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "not_pushed_here"
    other_desk_token = hub.enroll("desk")[1]
    other_counselor = hub.login("lee", desk_token=other_desk_token)
    desk_sign = hub.http.post(
        f"/documents/{doc_id}/sign",
        json=_signature(sha),
        headers={**other_counselor, "Idempotency-Key": "sign-0003"},
    )
    assert desk_sign.status_code == 403
    # A record changed on the way (a stroke moved) or with a made-up hash is refused, ko+en.
    moved = _signature(sha)
    moved["points"][3]["x"] += 25
    made_up = {**_signature(sha), "record_sha256": hashlib.sha256(b"record").hexdigest()}
    for n, body in enumerate((moved, made_up)):
        bad = hub.http.post(
            f"/documents/{doc_id}/sign", json=body, headers={**counter, "Idempotency-Key": f"sign-bad-{n}"}
        )
        assert bad.status_code == 422, bad.text
        error = bad.json()["error"]
        assert error["code"] == "signature_record_mismatch" and error["message_ko"] and error["message_en"]
    assert hub.http.get(f"/documents/{doc_id}", headers=counselor).json()["status"] == "pushed"
    with hub.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Signature)) == 1  # the consent's own signature only

    signed = hub.http.post(
        f"/documents/{doc_id}/sign", json=_signature(sha), headers={**counter, "Idempotency-Key": "sign-0004"}
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "signed" and signed.json()["sha256"] != sha
    replay = hub.http.post(
        f"/documents/{doc_id}/sign", json=_signature(sha), headers={**counter, "Idempotency-Key": "sign-0004"}
    )
    assert replay.json() == signed.json()
    twice = hub.http.post(
        f"/documents/{doc_id}/sign", json=_signature(sha), headers={**counter, "Idempotency-Key": "sign-0005"}
    )
    assert twice.status_code == 409
    archived = hub.http.post(f"/documents/{doc_id}/archive", headers=counselor)
    assert archived.json()["status"] == "archived"
    files = list(hub.app.state.hub.archive_dir.rglob(f"{doc_id}.pdf"))
    assert len(files) == 1 and hashlib.sha256(files[0].read_bytes()).hexdigest() == signed.json()["sha256"]
    with hub.sessions() as s:
        row = s.get(Document, uuid.UUID(doc_id))
        assert row is not None and row.signature_id is not None
        assert s.get(Signature, row.signature_id).document_sha256 == sha  # type: ignore[union-attr]


def test_push_needs_a_paired_counter(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    visit_id = hub_sqlite.http.post("/visits", json=submission(4), headers=lobby).json()["visit_id"]
    counselor = hub_sqlite.login("kim")
    doc_id = hub_sqlite.http.post(
        f"/visits/{visit_id}/documents", json={"template": "intake_summary"}, headers=counselor
    ).json()["id"]
    r = hub_sqlite.http.post(f"/documents/{doc_id}/push", headers=counselor)
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_paired_counter"
