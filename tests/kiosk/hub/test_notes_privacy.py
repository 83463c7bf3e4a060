"""Counselor notes and the chat hand-off: masked when written, encrypted at rest, readable in the case view.

A counselor types what the visitor says ("주민번호 850315-2718281, 010-3141-5926로 연락,
통장 110-271-828182"); the case view shows it masked, and neither the SQLite file nor its WAL nor a
PostgreSQL row holds those digits or the note's words.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import Engine, select, text

from db.crypto import blob_key_id
from db.models import Case
from db.rotation import encrypted_columns, rotate_keys
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission

PHRASE = "카드론 연체로 독촉 전화를 받고 있음"
NOTE = f"{PHRASE}. 주민번호 850315-2718281, 010-3141-5926로 연락, 통장 110-271-828182"
TRANSCRIPT = "방문자: 제 번호는 01031415926이고 계좌는 3333012718281828이에요"
# Each digit run as typed and without separators: none may be stored anywhere.
SECRETS = [
    "850315-2718281",
    "8503152718281",
    "2718281",
    "010-3141-5926",
    "01031415926",
    "3141-5926",
    "110-271-828182",
    "110271828182",
    "271-8281",
    "3333012718281828",
]


def _visit(hub: Hub, **extra: object) -> str:
    lobby, _ = hub.enroll("lobby")
    body = {**submission(5), **extra}
    r = hub.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 200, r.text
    return str(r.json()["visit_id"])


def _case_blob(hub: Hub, visit_id: str) -> bytes:
    with hub.sessions() as s:
        case = s.scalars(select(Case).where(Case.visit_id == uuid.UUID(visit_id))).one()
        assert case.notes_enc is not None
        return bytes(case.notes_enc)


def _sqlite_bytes(engine: Engine) -> bytes:
    database = Path(engine.url.database or "")
    files = [database, Path(f"{database}-wal")]
    assert files[1].exists(), "the hub writes through the WAL: it is part of what is on disk"
    return b"".join(f.read_bytes() for f in files)


def test_a_note_is_masked_in_the_case_view_and_nowhere_in_clear(hub: Hub, engine: Engine) -> None:
    visit_id = _visit(hub, handoff_transcript=TRANSCRIPT)
    counselor = hub.login("kim")
    added = hub.http.post(f"/visits/{visit_id}/notes", json={"text": NOTE}, headers=counselor)
    assert added.status_code == 200, added.text
    case = hub.http.get(f"/visits/{visit_id}/case", headers=counselor)
    assert case.status_code == 200
    notes = [n["text"] for n in case.json()["notes"]]
    assert len(notes) == 2 and notes[0].startswith("챗봇 대화")  # the hand-off first, then the note
    assert "010-****-5926" in notes[0] and "************1828" in notes[0]
    assert notes[1] == (f"{PHRASE}. 주민번호 850315-2******, 010-****-5926로 연락, 통장 ***-***-**8182")
    shown = added.text + case.text
    assert not [s for s in SECRETS if s in shown]

    blob = _case_blob(hub, visit_id)
    assert blob_key_id(blob) == hub.keys.current_key_id  # a db.crypto ciphertext, not JSON
    if engine.dialect.name == "sqlite":
        raw = _sqlite_bytes(engine)
        assert blob in raw  # these are the bytes the notes live in
    else:
        with engine.connect() as conn:
            row = conn.execute(text('SELECT * FROM "case" WHERE visit_id = :v'), {"v": uuid.UUID(visit_id)})
            raw = repr(row.one()._mapping).encode()
    leaked = [s for s in [*SECRETS, PHRASE, "챗봇 대화"] if s.encode() in raw]
    assert leaked == []


def test_notes_read_again_after_a_key_rotation(hub: Hub, engine: Engine, tmp_path: Path) -> None:
    assert "case.notes" in {enc.context for enc in encrypted_columns()}
    visit_id = _visit(hub)
    counselor = hub.login("kim")
    hub.http.post(f"/visits/{visit_id}/notes", json={"text": NOTE}, headers=counselor)
    hub.keys.source = tmp_path / "keys.json"  # rotation writes the new key to a file first
    hub.keys.save()
    old_key = hub.keys.current_key_id
    report = rotate_keys(engine, hub.keys)
    assert report.rotated["case.notes"] == 1
    assert blob_key_id(_case_blob(hub, visit_id)) == report.target_key_id != old_key
    notes = hub.http.get(f"/visits/{visit_id}/case", headers=counselor).json()["notes"]
    assert [n["text"] for n in notes] == [
        f"{PHRASE}. 주민번호 850315-2******, 010-****-5926로 연락, 통장 ***-***-**8182"
    ]


def test_a_bad_note_is_refused_and_stores_nothing(hub_sqlite: Hub) -> None:
    visit_id = _visit(hub_sqlite)
    counselor = hub_sqlite.login("kim")
    for bad in ({"text": ""}, {"text": "x" * 2001}, {"text": 42}, {"note": "x"}, {"text": "a", "extra": 1}):
        r = hub_sqlite.http.post(f"/visits/{visit_id}/notes", json=bad, headers=counselor)
        assert r.status_code == 422, (bad, r.status_code)
        assert r.json()["error"]["message_ko"]
    assert hub_sqlite.http.get(f"/visits/{visit_id}/case", headers=counselor).json()["notes"] == []
    with hub_sqlite.sessions() as s:
        case = s.scalars(select(Case).where(Case.visit_id == uuid.UUID(visit_id))).one()
        assert case.notes_enc is None
