"""`kiosk hq keygen` and `kiosk hq push --once`, run in this process against the fake HQ."""

from __future__ import annotations

import base64
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from db import sync_log
from db.audit import append_event
from db.session import make_engine, make_sessionmaker
from kiosk.hub.bootstrap import ensure_center
from tests.db.conftest import Run
from tests.kiosk.hq_sync.fake_hq import FakeHq, HqStore


@pytest.fixture
def hq() -> Iterator[FakeHq]:
    server = FakeHq(HqStore("seoul-central", b"\0" * 32)).start()
    try:
        yield server
    finally:
        server.stop()


def _keygen(kiosk: Run, data_dir: Path) -> bytes:
    made = kiosk("hq", "keygen")
    assert made.returncode == 0, made.stderr
    private = data_dir / "hq" / "center-ed25519.pem"
    public_file = data_dir / "hq" / "center-ed25519.pub.pem"
    assert str(private) in made.stdout and str(public_file) in made.stdout
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    public = serialization.load_pem_public_key(public_file.read_bytes())
    assert isinstance(public, Ed25519PublicKey)
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert base64.b64encode(raw).decode() in made.stdout
    return raw


def test_keygen_makes_the_key_once(kiosk: Run, isolated_data_dir: Path) -> None:
    raw = _keygen(kiosk, isolated_data_dir)
    again = kiosk("hq", "keygen")
    assert again.returncode == 0 and "이미 있는 키" in again.stdout
    assert base64.b64encode(raw).decode() in again.stdout


def test_push_once_sends_everything_and_prints_one_line(
    kiosk: Run, isolated_data_dir: Path, tmp_path: Path, hq: FakeHq, monkeypatch: pytest.MonkeyPatch
) -> None:
    hq.store.public_key = _keygen(kiosk, isolated_data_dir)
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    assert kiosk("--db", url, "db", "upgrade").returncode == 0
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        center = ensure_center(session, "seoul-central")
        sync_log.record_many(
            session, [(center.id, "ticket.no_show", {"ticket_id": f"t{i}"}) for i in range(3)]
        )
        append_event(session, "desk:1", "ticket.no_show", "ticket:t0")
        session.commit()
    engine.dispose()

    monkeypatch.setenv("KIOSK_HQ__URL", "")
    off = kiosk("--db", url, "hq", "push", "--once")
    assert off.returncode == 2 and "hq.url" in off.stderr

    monkeypatch.setenv("KIOSK_HQ__URL", hq.url)
    pushed = kiosk("--db", url, "hq", "push", "--once")
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout.strip() == "events sent 3 acked 3, audit sent 1 acked 1"
    assert sorted(hq.store.events) == [1, 2, 3]
    again = kiosk("--db", url, "hq", "push", "--once")
    assert again.stdout.strip() == "events sent 0 acked 3, audit sent 0 acked 1"

    hq.stop()
    down = kiosk("--db", url, "hq", "push", "--once")
    assert down.returncode == 1 and "본부로 보내지 못했어요" in down.stderr


def test_push_without_a_key_says_to_run_keygen(
    kiosk: Run, tmp_path: Path, hq: FakeHq, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_HQ__URL", hq.url)
    r = kiosk("--db", f"sqlite:///{tmp_path / 'hub.db'}", "hq", "push", "--once")
    assert r.returncode == 2 and "keygen" in r.stderr
